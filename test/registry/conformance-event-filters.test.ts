import { describe, expect } from 'vitest';
import type { NewEvent } from '../../src/infra/registry/types.js';
import { backends, freshPerTest } from './backends.js';

/** `listEvents` with `since` and `actions` (history --since/--action), alike on SQLite and PostgreSQL, with the other filters and `limit`; `countEvents` counts what it lists. */

const T0 = Date.parse('2026-11-01T00:00:00.000Z');
const DAY = 86_400_000;
const event = (version: string, action: NewEvent['action'], over: Partial<NewEvent> = {}): NewEvent => ({ env: 'production', promptId: 'support', version, previousVersion: null, action, actor: 'ana', reason: null, ...over });

describe.each(backends())('$name registry: event filters', (backend) => {
  const { store, test } = freshPerTest(backend);

  test('since keeps events at or after the time; actions keeps those kinds; both combine with prompt, environment and limit', async () => {
    let day = 0;
    const reg = store.open({ date: () => new Date(T0 + day * DAY) });
    const log: Array<[number, NewEvent]> = [
      [0, event('1.0.0', 'deploy')],
      [1, event('1.1.0', 'deploy', { previousVersion: '1.0.0' })],
      [2, event('1.0.0', 'rollback', { previousVersion: '1.1.0' })],
      [3, event('1.1.0', 'override', { env: 'staging' })],
      [4, event('1.0.0', 'tested', { env: '' })],
      [5, event('1.2.0', 'deploy', { promptId: 'other' })],
    ];
    for (const [d, e] of log) {
      day = d;
      await reg.appendEvent(e);
    }
    const seqs = async (f: Parameters<typeof reg.listEvents>[0]) => (await reg.listEvents(f)).map((e) => e.seq);
    // PostgreSQL dates events by the server's clock (one clock for a team), SQLite by the writer's: the cut-off is read back.
    const all = await reg.listEvents();
    const from = all[2]!.at;
    const since = all.filter((e) => e.at >= from).map((e) => e.seq);
    expect(since).toEqual(expect.arrayContaining([3, 4, 5, 6]));
    expect(await seqs({ since: from })).toEqual(since);
    expect(await seqs({ since: from, environments: true })).toEqual(since.filter((n) => n !== 5));
    expect(await seqs({ actions: ['rollback', 'override'] })).toEqual([3, 4]);
    expect(await seqs({ actions: ['deploy'], promptId: 'support' })).toEqual([1, 2]);
    expect(await seqs({ actions: ['deploy'], since: all[1]!.at, limit: 1 })).toEqual([6]);
    const production = all.filter((e) => e.at >= all[1]!.at && e.env === 'production' && e.promptId === 'support').map((e) => e.seq);
    expect(production).toEqual(expect.arrayContaining([2, 3]));
    expect(await seqs({ since: all[1]!.at, env: 'production', promptId: 'support' })).toEqual(production);
    expect(await seqs({ since: '9999-01-01T00:00:00.000Z' })).toEqual([]);
    expect(await seqs({ actions: [] })).toEqual([]);
    // countEvents (history's "left out" count, when its filters leave nothing) counts what listEvents lists, in the query.
    const filters: Array<Parameters<typeof reg.countEvents>[0]> = [
      undefined,
      { environments: true },
      { promptId: 'support', environments: true },
      { promptId: 'support', env: 'production', environments: true },
      { env: 'staging' },
      { promptId: 'support', version: '1.0.0' },
      { since: from, environments: true },
      { actions: ['deploy'], promptId: 'support' },
      { since: '9999-01-01T00:00:00.000Z' },
      { actions: [] },
      { promptId: 'nobody' },
    ];
    const counted = await Promise.all(filters.map((f) => reg.countEvents(f)));
    expect(counted).toEqual(await Promise.all(filters.map(async (f) => (await reg.listEvents(f)).length)));
    expect(counted).toEqual([6, 5, 4, 3, 1, 3, since.length - 1, 2, 0, 0, 0]);
  });
});

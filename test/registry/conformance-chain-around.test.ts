import { describe, expect } from 'vitest';
import { checkShownEvents } from '../../src/core/shown-event-checks.js';
import { sha256Hex } from '../../src/core/canonical.js';
import { shownEventWarnings } from '../../src/infra/registry/shown-events.js';
import type { NewEvent, Registry } from '../../src/infra/registry/types.js';
import { verifiedActiveVersion } from '../../src/registry-api.js';
import { backends, freshPerTest } from './backends.js';

/**
 * `chainAround`: the events after shown ones and the chain head, read in one snapshot on both
 * backends. Read apart, a deploy or rollback committed between the two reads left the successor
 * missing while the head already named it: applications were refused the active version ("may be
 * forged") and get/status/history warned, while deploys went on. A test seam puts another
 * connection's append before the n-th read of the check, for every n: no timing involved.
 */

const ID = 'support-answer';
const ENV = 'production';
const contentOf = (version: string) => JSON.stringify({ id: ID, version, messages: [{ role: 'system', content: `Answer as ${version}.` }] });
const version = (v: string) => ({ promptId: ID, version: v, contentHash: sha256Hex(contentOf(v)), content: contentOf(v), description: v, author: 'ana' });
const event = (v: string, action: 'deploy' | 'rollback'): NewEvent => ({ env: ENV, promptId: ID, version: v, previousVersion: null, action, actor: 'ana', reason: null, contentHash: sha256Hex(contentOf(v)) });

/** `reader`, whose calls take turns, with `append` run once, just before its `before`-th call (1-based). */
function appendingBefore(reader: Registry, before: number, append: () => Promise<unknown>): Registry {
  let turn: Promise<unknown> = Promise.resolve();
  let calls = 0;
  return new Proxy(reader, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== 'function' || name === 'close' || name === 'transaction') return value;
      return (...args: unknown[]) => {
        const call = turn.then(async () => {
          if (++calls === before) await append();
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        });
        turn = call.catch(() => undefined);
        return call;
      };
    },
  });
}

describe.each(backends())('$name registry: chainAround', (backend) => {
  const { store, test } = freshPerTest(backend);

  test('reads the events at the seqs asked (those that exist) and the head, as eventsAt and chainHead do', async () => {
    const reg = store.open();
    expect(await reg.chainAround([1])).toEqual({ events: [], head: null });
    await reg.registerVersion(version('1.0.0'));
    for (const v of ['1.0.0', '1.0.0', '1.0.0']) await reg.appendEvent(event(v, 'deploy'));
    const head = await reg.chainHead();
    expect(await reg.chainAround([2, 4, 9])).toEqual({ events: await reg.eventsAt([2]), head: { seq: 3, hash: head!.hash } });
    expect(await reg.chainAround([])).toEqual({ events: [], head: { seq: 3, hash: head!.hash } });
    // A deleted last event stays a deletion: the head names #3, which is gone.
    const unguarded = backend.name === 'sqlite' ? 'DROP TRIGGER events_no_delete' : 'ALTER TABLE events DISABLE TRIGGER events_no_delete';
    await store.sql(`${unguarded}; DELETE FROM events WHERE seq = 3`);
    const second = (await reg.eventsAt([2]))[0]!;
    const around = await reg.chainAround([3]);
    expect(around.events).toEqual([]);
    expect(checkShownEvents([second], around.events, around.head)).toEqual([{ seq: 2, problem: expect.stringMatching(/event #3 is missing although the chain head records #3: events were deleted/) }]);
  });

  test('a deploy or rollback appended before any read of the check is never taken for a forgery', async () => {
    const writer = store.open();
    for (const v of ['1.0.0', '1.1.0']) await writer.registerVersion(version(v));
    await writer.appendEvent(event('1.0.0', 'deploy'));
    await writer.appendEvent(event('1.1.0', 'deploy'));
    const reader = store.openReadonly();
    let next = 0;
    const append = () => writer.appendEvent(next++ % 2 ? event('1.1.0', 'deploy') : event('1.0.0', 'rollback'));
    // The library's read (listEvents, getVersion, then the chain around the event) with the append before each read in turn.
    for (let before = 1; before <= 5; before++) {
      const active = await verifiedActiveVersion(appendingBefore(reader, before, append), ID, ENV);
      expect(active?.version, `append before read #${before}`).toMatch(/^1\.[01]\.0$/);
    }
    // What status, get, export and history warn from: an event read, then an append before each read of its check.
    for (let before = 1; before <= 3; before++) {
      const [shown] = await reader.listEvents({ promptId: ID, env: ENV, limit: 1 });
      expect(await shownEventWarnings(appendingBefore(reader, before, append), [shown!]), `append before read #${before}`).toEqual([]);
    }
    expect((await reader.verifyChain()).ok).toBe(true);
  });
});

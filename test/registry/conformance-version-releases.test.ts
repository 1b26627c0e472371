import { describe, expect } from 'vitest';
import type { PromptFile } from '../../src/infra/project.js';
import type { AuditEvent, NewEvent, Registry } from '../../src/infra/registry/types.js';
import { checkVersions } from '../../src/infra/version-states.js';
import { backends, freshPerTest } from './backends.js';

/**
 * `versionReleases`, alike on SQLite and PostgreSQL: for each version some environment event of the
 * prompt names, its environments (in the order of their first event) and the oldest of those events
 * that recorded a content hash. It says what a version's state used to read from every environment
 * event of the prompt (`listEvents({ promptId, environments: true })`), which it must go on saying.
 */

const event = (version: string, env: string, over: Partial<NewEvent> = {}): NewEvent => ({ env, promptId: 'support', version, previousVersion: null, action: 'deploy', actor: 'ana', reason: null, ...over });

/** What the events say, read as version states read them before. */
function byHand(events: readonly AuditEvent[]): unknown[] {
  const versions = [...new Set(events.map((e) => e.version))];
  return versions.map((version) => {
    const own = events.filter((e) => e.version === version);
    const hashed = own.find((e) => e.contentHash);
    return { version, envs: [...new Set(own.map((e) => e.env))], ...(hashed ? { hashedBy: { seq: hashed.seq, contentHash: hashed.contentHash } } : {}) };
  });
}

describe.each(backends())('$name registry: version releases', (backend) => {
  const { store, test } = freshPerTest(backend);

  test("names each released version's environments and the hash its oldest hashed event recorded", async () => {
    const reg = store.open();
    expect(await reg.versionReleases('support')).toEqual([]);
    for (const e of [
      event('1.0.0', 'staging'), // before content hashes were recorded
      event('1.0.0', 'production', { contentHash: 'h-first' }),
      event('1.10.0', 'development', { action: 'override', reason: 'hotfix' }),
      event('1.0.0', 'staging', { action: 'rollback', previousVersion: '1.10.0', contentHash: 'h-later' }),
      event('1.2.0', '', { action: 'tested', contentHash: 'h-tested' }), // a tested mark releases nothing
      event('1.0.0', 'development', { promptId: 'other', contentHash: 'h-other' }),
      event('1.10.0', 'production', { contentHash: 'h-110' }),
    ]) await reg.appendEvent(e);
    const releases = await reg.versionReleases('support');
    expect(releases).toEqual(byHand(await reg.listEvents({ promptId: 'support', environments: true })));
    expect(releases).toEqual([
      { version: '1.0.0', envs: ['staging', 'production'], hashedBy: { seq: 2, contentHash: 'h-first' } },
      { version: '1.10.0', envs: ['development', 'production'], hashedBy: { seq: 7, contentHash: 'h-110' } },
    ]);
    expect(await reg.versionReleases('other')).toEqual([{ version: '1.0.0', envs: ['development'], hashedBy: { seq: 6, contentHash: 'h-other' } }]);
    expect(await reg.versionReleases('nobody')).toEqual([]);
  });

  test("version states read each prompt's releases once, never its events", async () => {
    const reg = store.open();
    for (const version of ['1.0.0', '1.1.0']) await reg.registerVersion({ promptId: 'support', version, contentHash: `h-${version}`, content: JSON.stringify({ version }), description: version, author: 'ana' });
    for (let i = 0; i < 5; i++) await reg.appendEvent(event(i % 2 ? '1.1.0' : '1.0.0', i < 3 ? 'staging' : 'production', { contentHash: i % 2 ? 'h-1.1.0' : 'h-1.0.0' }));
    const calls: string[] = [];
    const counted = new Proxy(reg, { get: (target, name, receiver) => (typeof name === 'string' && calls.push(name), Reflect.get(target, name, receiver)) }) as Registry;
    const file = (version: string, hash: string) => ({ id: 'support', version, hash, file: `prompts/support/${version}.yaml` }) as PromptFile;
    const checked = await checkVersions(counted, [file('1.0.0', 'h-1.0.0'), file('1.1.0', 'edited'), file('1.2.0', 'h-1.2.0')]);
    expect(checked.map((c) => c.verdict)).toEqual([
      { state: 'released', allowed: true, releasedHash: 'h-1.0.0', releasedIn: ['staging', 'production'] },
      { state: 'released', allowed: false, releasedHash: 'h-1.1.0', releasedIn: ['staging', 'production'] },
      { state: 'draft', allowed: true },
    ]);
    expect(checked[1]!.releasedBy).toEqual({ seq: 2, contentHash: 'h-1.1.0' });
    expect(calls.filter((n) => n !== 'getVersion')).toEqual(['versionReleases']);
  });
});

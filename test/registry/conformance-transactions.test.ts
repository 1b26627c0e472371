import { beforeEach, describe, expect, it } from 'vitest';
import type { NewEvent, Registry } from '../../src/infra/registry/types.js';
import { backends, type FreshRegistry } from './backends.js';

/**
 * The transaction contract on every backend: a throw rolls back everything; a nested transaction
 * runs inside the open one; nothing another caller does runs inside a transaction; concurrent
 * read-decide-write transactions from several instances (as from several processes) take turns;
 * the audit chain stays gapless under concurrent appends. Outcomes hold whatever the scheduling,
 * so nothing here depends on timing.
 */

const base = { promptId: 'p', contentHash: 'h', content: '{}', description: '', author: 'a' };
const event = (version: string, previousVersion: string | null, reason: string | null = null): NewEvent => ({
  env: 'production', promptId: 'support', version, previousVersion, action: 'deploy', actor: 'ana', reason,
});

function latch(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe.each(backends())('$name registry transactions', (backend) => {
  let store: FreshRegistry;
  let open: () => Registry;
  let reg: Registry;
  beforeEach(async () => {
    if (backend.skip) return;
    store = await backend.fresh();
    open = store.open;
    reg = open();
  });
  const test = backend.skip ? it.skip : it;
  /**
   * Several instances on one registry. better-sqlite3 waits for a lock synchronously, so two SQLite
   * connections in one process would block each other's event loop: SQLite's several-process case
   * is test/registry/concurrency.test.ts (child processes); here its callers share one instance.
   */
  const instances = (n: number) => Array.from({ length: n }, () => (backend.name === 'sqlite' ? reg : open()));

  test('a throw rolls back everything, nested transactions included; a caught inner failure keeps what it wrote', async () => {
    await expect(
      reg.transaction(async (tx) => {
        await tx.registerVersion({ ...base, version: '1.0.0' });
        await tx.transaction((inner) => inner.registerVersion({ ...base, version: '1.1.0' }));
        await tx.appendEvent(event('1.0.0', null));
        throw new Error('decided against it');
      }),
    ).rejects.toThrow('decided against it');
    expect(await reg.listVersions()).toEqual([]);
    expect(await reg.listEvents()).toEqual([]);
    await reg.transaction(async (tx) => {
      await tx.registerVersion({ ...base, version: '2.0.0' });
      await tx.transaction(async (inner) => {
        await inner.registerVersion({ ...base, version: '2.1.0' });
        throw new Error('inner only');
      }).catch(() => {});
    });
    expect((await reg.listVersions()).map((r) => r.version)).toEqual(['2.0.0', '2.1.0']);
  });

  test('a call made on the registry while a transaction awaits runs after it commits, never inside it', async () => {
    const paused = latch();
    const resume = latch();
    const inTx = reg.transaction(async (tx) => {
      await tx.appendEvent(event('1.0.0', null));
      paused.open();
      await resume.promise;
      const [last] = await tx.listEvents({ limit: 1 });
      await tx.appendEvent(event('1.1.0', last!.version));
      return last!.version;
    });
    await paused.promise;
    const outside = reg.appendEvent(event('9.9.9', null, 'outside'));
    resume.open();
    expect(await inTx).toBe('1.0.0');
    const appended = await outside;
    expect(appended.seq).toBe(3);
    expect((await reg.listEvents()).map((e) => e.version)).toEqual(['1.0.0', '1.1.0', '9.9.9']);
  });

  test('a transaction view refuses to be used after it ended', async () => {
    let kept: Registry | undefined;
    await reg.transaction(async (tx) => {
      kept = tx;
    });
    await expect(kept!.listEvents()).rejects.toThrow(/used after it ended/);
  });

  test('read-decide-write transactions from several instances take turns: each decision sees the one before', async () => {
    const several = instances(3);
    const decide = (r: Registry) =>
      r.transaction(async (tx) => {
        await tx.lockDecision('support', 'production');
        const events = await tx.listEvents({ promptId: 'support', env: 'production' });
        const previous = events.at(-1)?.version ?? null;
        await tx.appendEvent(event(`${events.length + 1}.0.0`, previous));
      });
    await Promise.all(several.flatMap((r) => Array.from({ length: 4 }, () => decide(r))));
    const events = await reg.listEvents();
    expect(events.map((e) => e.version)).toEqual(Array.from({ length: 12 }, (_, i) => `${i + 1}.0.0`));
    expect(events.map((e) => e.previousVersion)).toEqual([null, ...events.slice(0, -1).map((e) => e.version)]);
  });

  test('concurrent appends from several instances leave one gapless chain that verifies', async () => {
    const several = instances(4);
    await Promise.all(several.flatMap((r, i) => Array.from({ length: 8 }, (_, j) => r.appendEvent(event(`${i}.${j}.0`, null)))));
    const events = await reg.listEvents();
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
    expect(new Set(events.map((e) => e.version)).size).toBe(32);
    expect(await reg.verifyChain()).toEqual({ ok: true, events: 32 });
  });

  test('an append whose idempotency key is recorded returns that event and appends nothing; the key is outside the hash', async () => {
    const first = await reg.appendEvent({ ...event('1.0.0', null), idempotencyKey: 'inv-1' });
    expect(first).not.toHaveProperty('idempotencyKey');
    // A retry of the same invocation, even one that decided differently, gets the recorded event back.
    expect(await reg.appendEvent({ ...event('1.0.0', null), idempotencyKey: 'inv-1' })).toEqual(first);
    expect(await open().appendEvent({ ...event('2.0.0', '1.0.0', 'retry'), idempotencyKey: 'inv-1' })).toEqual(first);
    await reg.appendEvent(event('1.1.0', '1.0.0'));
    await reg.appendEvent(event('1.2.0', '1.1.0')); // events without a key never collide
    // A transaction that appended with a key and then failed recorded nothing: the key is free again.
    await expect(
      reg.transaction(async (tx) => {
        await tx.appendEvent({ ...event('3.0.0', '1.2.0'), idempotencyKey: 'inv-2' });
        throw new Error('decided against it');
      }),
    ).rejects.toThrow('decided against it');
    const third = await reg.appendEvent({ ...event('3.0.0', '1.2.0'), idempotencyKey: 'inv-2' });
    expect(third.seq).toBe(4);
    // Several instances appending with one key at once (retries racing): one event.
    await Promise.all(instances(3).map((r) => r.appendEvent({ ...event('4.0.0', '3.0.0'), idempotencyKey: 'inv-3' })));
    const events = await reg.listEvents();
    expect(events.map((e) => e.version)).toEqual(['1.0.0', '1.1.0', '1.2.0', '3.0.0', '4.0.0']);
    expect(events[0]).toEqual(first);
    expect(await reg.verifyChain()).toEqual({ ok: true, events: 5 });
  });
});

import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InternalError } from '../../src/core/errors.js';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import type { NewEvent, Registry } from '../../src/infra/registry/types.js';
import { makeTempDir } from './harness.js';

/**
 * Async callers on one connection: a transaction stays open across its awaits, and nothing another
 * caller does on the same registry may run inside it. Ordering is driven by promises the test
 * resolves by hand, never by time.
 */

let tmp: ReturnType<typeof makeTempDir>;
let reg: Registry;

beforeEach(() => {
  tmp = makeTempDir();
  reg = openSqliteRegistry({ path: join(tmp.dir, 'registry.db'), clock: { date: () => new Date('2025-03-01T12:00:00.000Z') } });
});
afterEach(async () => {
  await reg.close();
  tmp.cleanup();
});

const deploy = (version: string, previousVersion: string | null = null): NewEvent => ({
  env: 'production',
  promptId: 'support',
  version,
  previousVersion,
  action: 'deploy',
  actor: 'ana',
  reason: null,
});

/** A promise the test settles by hand. */
function latch(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Lets every queued callback run (several event-loop turns), without depending on time. */
async function drain(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe('transactions on one connection', () => {
  it('an outside write issued while a transaction awaits waits until it commits; the transaction reads and decides undisturbed', async () => {
    const order: string[] = [];
    const paused = latch();
    const resume = latch();
    const inTx = reg.transaction(async (tx) => {
      await tx.appendEvent(deploy('1.0.0'));
      order.push('tx wrote 1.0.0');
      paused.open();
      await resume.promise; // open across an await the test controls
      const [last] = await tx.listEvents({ limit: 1 });
      order.push(`tx read ${last!.version}`);
      await tx.appendEvent(deploy('1.1.0', last!.version));
      order.push('tx wrote 1.1.0');
    });
    await paused.promise;
    const outside = reg.appendEvent(deploy('2.0.0')).then((e) => order.push(`outside wrote ${e.version} as #${e.seq}`));
    const outsideRead = reg.listEvents().then((events) => order.push(`outside read ${events.length} events`));
    await drain();
    expect(order).toEqual(['tx wrote 1.0.0']);

    resume.open();
    await Promise.all([inTx, outside, outsideRead]);
    expect(order).toEqual(['tx wrote 1.0.0', 'tx read 1.0.0', 'tx wrote 1.1.0', 'outside wrote 2.0.0 as #3', 'outside read 3 events']);
    expect((await reg.listEvents()).map((e) => `${e.seq} ${e.version} from ${e.previousVersion}`)).toEqual(['1 1.0.0 from null', '2 1.1.0 from 1.0.0', '3 2.0.0 from null']);
    expect(await reg.verifyChain()).toEqual({ ok: true, events: 3 });
  });

  it('two transactions started together run one after the other, in the order they were asked for', async () => {
    const order: string[] = [];
    const firstPaused = latch();
    const resumeFirst = latch();
    const first = reg.transaction(async (tx) => {
      order.push('first begins');
      firstPaused.open();
      await resumeFirst.promise;
      await tx.appendEvent(deploy('1.0.0'));
      order.push('first ends');
    });
    const second = reg.transaction(async (tx) => {
      order.push('second begins');
      const [last] = await tx.listEvents({ limit: 1 });
      await tx.appendEvent(deploy('1.1.0', last?.version ?? null));
      order.push('second ends');
    });
    await firstPaused.promise;
    await drain();
    expect(order).toEqual(['first begins']);
    resumeFirst.open();
    await Promise.all([first, second]);
    expect(order).toEqual(['first begins', 'first ends', 'second begins', 'second ends']);
    expect((await reg.listEvents()).map((e) => e.previousVersion)).toEqual([null, '1.0.0']);
  });

  it('a transaction that fails rolls back, and the callers waiting behind it then run', async () => {
    const paused = latch();
    const fail = latch();
    const failing = reg.transaction(async (tx) => {
      await tx.appendEvent(deploy('1.0.0'));
      paused.open();
      await fail.promise;
      throw new Error('decided against it');
    });
    await paused.promise;
    const outside = reg.appendEvent(deploy('2.0.0'));
    fail.open();
    await expect(failing).rejects.toThrow('decided against it');
    expect((await outside).seq).toBe(1);
    expect((await reg.listEvents()).map((e) => e.version)).toEqual(['2.0.0']);
  });

  it('refuses a transaction view used after its transaction ended, and closing the registry through it', async () => {
    let leaked: Registry | undefined;
    await reg.transaction(async (tx) => {
      leaked = tx;
      await expect(tx.close()).rejects.toBeInstanceOf(InternalError);
    });
    await expect(leaked!.listEvents()).rejects.toBeInstanceOf(InternalError);
    await expect(leaked!.transaction(async () => 1)).rejects.toBeInstanceOf(InternalError);
  });

  it('close waits for the transaction in progress', async () => {
    const paused = latch();
    const resume = latch();
    const inTx = reg.transaction(async (tx) => {
      paused.open();
      await resume.promise;
      await tx.appendEvent(deploy('1.0.0'));
    });
    await paused.promise;
    let closed = false;
    const closing = reg.close().then(() => (closed = true));
    await drain();
    expect(closed).toBe(false);
    resume.open();
    await Promise.all([inTx, closing]);
    const again = openSqliteRegistry({ path: join(tmp.dir, 'registry.db') });
    try {
      expect((await again.listEvents()).map((e) => e.version)).toEqual(['1.0.0']);
    } finally {
      await again.close();
    }
  });
});

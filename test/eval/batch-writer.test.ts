import { describe, expect, it } from 'vitest';
import { createBatchWriter } from '../../src/infra/eval/batch-writer.js';
import { fakeClock } from '../support/fake-clock.js';

/** The executor's write policy, on a fake clock the test moves by hand: no test here waits. */

function harness(batchSize = 4) {
  const clock = fakeClock();
  const batches: number[][] = [];
  const write = (b: number[]) => {
    batches.push(b);
  };
  const writer = createBatchWriter<number>({ batchSize, maxDelayMs: 1000, clock, write });
  return { clock, batches, writer };
}

describe('batch writer', () => {
  it('writes a full batch at once, without waiting', async () => {
    const { batches, writer, clock } = harness();
    for (let i = 0; i < 9; i++) await writer.add(i);
    expect(batches).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    expect(writer.pending).toBe(1);
    expect(clock.timers()).toBe(1);
  });

  it('writes what is pending one second after the last write, not before', async () => {
    const { batches, writer, clock } = harness();
    clock.advance(200);
    await writer.add(1);
    clock.advance(600);
    await writer.add(2);
    clock.advance(199);
    expect(batches).toEqual([]);
    clock.advance(1);
    expect(batches).toEqual([[1, 2]]);
    expect(clock.timers()).toBe(0);
  });

  it('after a quiet second, writes an answer as it arrives (a slow server loses nothing on SIGKILL)', async () => {
    const { batches, writer, clock } = harness();
    clock.advance(5000);
    await writer.add(1);
    expect(batches).toEqual([[1]]);
    clock.advance(300);
    await writer.add(2);
    expect(batches).toEqual([[1]]);
    clock.advance(700);
    expect(batches).toEqual([[1], [2]]);
  });

  it('a full batch restarts the second, and flush writes the rest and cancels the timer', async () => {
    const { batches, writer, clock } = harness(2);
    clock.advance(900);
    await writer.add(1);
    await writer.add(2); // full: written at 900
    await writer.add(3);
    clock.advance(999);
    expect(batches).toEqual([[1, 2]]);
    await writer.flush();
    expect(batches).toEqual([[1, 2], [3]]);
    expect(clock.timers()).toBe(0);
    await writer.flush();
    expect(batches).toHaveLength(2);
  });

  it('an asynchronous write: the next batch waits for it, batches land in order, and flush waits for both', async () => {
    const clock = fakeClock();
    const started: number[][] = [];
    const landed: number[][] = [];
    const releases: Array<() => void> = [];
    const write = (b: number[]) => {
      started.push(b);
      return new Promise<void>((resolve) => releases.push(() => (landed.push(b), resolve())));
    };
    const writer = createBatchWriter<number>({ batchSize: 2, maxDelayMs: 1000, clock, write });
    await writer.add(1);
    const filledFirst = writer.add(2); // starts the first write, and waits for it
    await writer.add(3);
    const filledSecond = writer.add(4); // queued behind the first write
    expect(started).toEqual([[1, 2]]);
    releases[0]!();
    await filledFirst;
    const flushed = writer.flush();
    // Let the chained second write start: a few turns of the event loop, no timer.
    for (let i = 0; i < 3 && started.length < 2; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(started).toEqual([[1, 2], [3, 4]]);
    releases[1]!();
    await Promise.all([filledSecond, flushed]);
    expect(landed).toEqual([[1, 2], [3, 4]]);
  });

  it('a write that fails on the timer is thrown by the next add, not lost', async () => {
    const clock = fakeClock();
    const writer = createBatchWriter<number>({ batchSize: 10, maxDelayMs: 1000, clock, write: () => { throw new Error('disk full'); } });
    await writer.add(1);
    expect(() => clock.advance(1000)).not.toThrow();
    await expect(writer.add(2)).rejects.toThrow('disk full');
  });
});

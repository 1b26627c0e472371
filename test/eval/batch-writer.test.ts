import { describe, expect, it } from 'vitest';
import { createBatchWriter } from '../../src/infra/eval/batch-writer.js';
import { fakeClock } from '../support/fake-clock.js';

/** The executor's write policy, on a fake clock the test moves by hand: no test here waits. */

function harness(batchSize = 4) {
  const clock = fakeClock();
  const batches: number[][] = [];
  const writer = createBatchWriter<number>({ batchSize, maxDelayMs: 1000, clock, write: (b) => batches.push(b) });
  return { clock, batches, writer };
}

describe('batch writer', () => {
  it('writes a full batch at once, without waiting', () => {
    const { batches, writer, clock } = harness();
    for (let i = 0; i < 9; i++) writer.add(i);
    expect(batches).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    expect(writer.pending).toBe(1);
    expect(clock.timers()).toBe(1);
  });

  it('writes what is pending one second after the last write, not before', () => {
    const { batches, writer, clock } = harness();
    clock.advance(200);
    writer.add(1);
    clock.advance(600);
    writer.add(2);
    clock.advance(199);
    expect(batches).toEqual([]);
    clock.advance(1);
    expect(batches).toEqual([[1, 2]]);
    expect(clock.timers()).toBe(0);
  });

  it('after a quiet second, writes an answer as it arrives (a slow server loses nothing on SIGKILL)', () => {
    const { batches, writer, clock } = harness();
    clock.advance(5000);
    writer.add(1);
    expect(batches).toEqual([[1]]);
    clock.advance(300);
    writer.add(2);
    expect(batches).toEqual([[1]]);
    clock.advance(700);
    expect(batches).toEqual([[1], [2]]);
  });

  it('a full batch restarts the second, and flush writes the rest and cancels the timer', () => {
    const { batches, writer, clock } = harness(2);
    clock.advance(900);
    writer.add(1);
    writer.add(2); // full: written at 900
    writer.add(3);
    clock.advance(999);
    expect(batches).toEqual([[1, 2]]);
    writer.flush();
    expect(batches).toEqual([[1, 2], [3]]);
    expect(clock.timers()).toBe(0);
    writer.flush();
    expect(batches).toHaveLength(2);
  });

  it('a write that fails on the timer is thrown by the next add, not lost', () => {
    const clock = fakeClock();
    const writer = createBatchWriter<number>({ batchSize: 10, maxDelayMs: 1000, clock, write: () => { throw new Error('disk full'); } });
    writer.add(1);
    expect(() => clock.advance(1000)).not.toThrow();
    expect(() => writer.add(2)).toThrow('disk full');
  });
});

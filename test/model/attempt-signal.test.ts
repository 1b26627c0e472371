import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { attemptSignal } from '../../src/infra/model/abort.js';

/** The signal each request attempt hands the openai SDK, a child of the run's (Ctrl-C, a stopped run). */
describe('attemptSignal', () => {
  it("listens once on the run's signal, however many attempts; aborting it aborts the attempts in flight with its reason", () => {
    const run = new AbortController();
    const attempts = Array.from({ length: 100 }, () => attemptSignal(run.signal));
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(1);
    // Ended attempts are let go: the run's abort no longer reaches them.
    for (const a of attempts.slice(0, 50)) a.unlink();
    const reason = new Error('stopped');
    run.abort(reason);
    expect(attempts.slice(0, 50).map((a) => a.signal.aborted)).toEqual(Array(50).fill(false));
    expect(attempts.slice(50).map((a) => a.signal.reason)).toEqual(Array(50).fill(reason));
  });
  it('an attempt on a signal already aborted is aborted from the start', () => {
    const run = new AbortController();
    run.abort(new Error('gone'));
    const a = attemptSignal(run.signal);
    expect(a.signal.aborted).toBe(true);
    expect((a.signal.reason as Error).message).toBe('gone');
  });
  it('each run has its own: aborting one leaves the attempts of another', () => {
    const [one, two] = [new AbortController(), new AbortController()];
    const [a, b] = [attemptSignal(one.signal), attemptSignal(two.signal)];
    one.abort();
    expect([a.signal.aborted, b.signal.aborted]).toEqual([true, false]);
  });
});

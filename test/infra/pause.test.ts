import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { pauseUnlessStopped } from '../../src/infra/pause.js';

/**
 * The pause before a retry, on an injected clock's `after()` (the model client's): it ends when the
 * clock says, at the latest after its real length, and never leaves a timer or a listener behind.
 * A timer left running kept a script's process alive after its work had stopped.
 */

/** Timers that keep the process alive (an unref'd one is not listed). */
const liveTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('pauseUnlessStopped with a clock', () => {
  it("ends when the clock's after() fires, clearing the real timer", async () => {
    const before = liveTimers();
    let fire: () => void = () => {};
    const paused = pauseUnlessStopped(60_000, undefined, (_ms, fn) => ((fire = fn), () => undefined));
    fire();
    await paused;
    expect(liveTimers()).toBe(before);
  });

  it('ends at once, with no listener left, when after() fires before it returns', async () => {
    const controller = new AbortController();
    await pauseUnlessStopped(60_000, controller.signal, (_ms, fn) => (fn(), () => undefined));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('rejects with the error an after() throws, and leaves no timer running', async () => {
    const before = liveTimers();
    const boom = new Error('no timers here');
    await expect(pauseUnlessStopped(60_000, undefined, () => { throw boom; })).rejects.toBe(boom);
    expect(liveTimers()).toBe(before);
  });

  it('ends after its real length when the clock never fires', async () => {
    await pauseUnlessStopped(5, undefined, () => () => undefined);
  });

  it('ends when the signal aborts, cancelling the clock timer', async () => {
    const controller = new AbortController();
    let cancelled = false;
    const paused = pauseUnlessStopped(60_000, controller.signal, () => () => void (cancelled = true));
    controller.abort();
    await paused;
    expect(cancelled).toBe(true);
  });
});

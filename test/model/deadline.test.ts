import { afterEach, describe, expect, it, vi } from 'vitest';
import { deadlineSignal } from '../../src/infra/model/abort.js';

/**
 * The preflight's deadline counts the server's time, not the process's: when the process itself was
 * stalled past the deadline (SQLite waiting out another process's lock, synchronously, while the
 * registry opens), the answer may be waiting unread, and it gets one more short window before the
 * server is blamed. Fake timers make the stall exact: the clock moves, no timer runs.
 */

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** The process stalled for `ms`: both clocks move, no timer runs. */
function stall(ms: number): void {
  vi.setSystemTime(Date.now() + ms);
  const now = performance.now() + ms;
  vi.spyOn(performance, 'now').mockReturnValue(now);
}

describe('the preflight deadline', () => {
  it('times out after its milliseconds when the process was free', () => {
    vi.useFakeTimers();
    const d = deadlineSignal(5000);
    vi.advanceTimersByTime(4999);
    expect(d.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(d.signal.aborted).toBe(true);
    expect((d.signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('fired long after it was due (the process stalled), it waits one more second with the process free', () => {
    vi.useFakeTimers();
    const d = deadlineSignal(5000);
    vi.advanceTimersByTime(0);
    stall(12_000); // a 12 s synchronous wait: no timer could run
    vi.advanceTimersByTime(5000);
    expect(d.signal.aborted).toBe(false);
    vi.advanceTimersByTime(999);
    expect(d.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(d.signal.aborted).toBe(true);
  });

  it('a short deadline waits no longer than itself again, and unlink stops it', () => {
    vi.useFakeTimers();
    const d = deadlineSignal(200);
    stall(5000);
    vi.advanceTimersByTime(200);
    expect(d.signal.aborted).toBe(false);
    vi.advanceTimersByTime(200);
    expect(d.signal.aborted).toBe(true);
    const e = deadlineSignal(200);
    e.unlink();
    vi.advanceTimersByTime(1000);
    expect(e.signal.aborted).toBe(false);
  });

  it("the caller's signal still ends it at once", () => {
    const caller = new AbortController();
    const d = deadlineSignal(5000, caller.signal);
    caller.abort(new Error('stop'));
    expect(d.signal.aborted).toBe(true);
    expect((d.signal.reason as Error).message).toBe('stop');
    d.unlink();
  });
});

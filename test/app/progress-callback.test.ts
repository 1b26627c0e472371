import { describe, expect, it } from 'vitest';
import { InternalError } from '../../src/app/index.js';
import { checkedProgress, type ProgressCallback } from '../../src/app/progress.js';
import type { ProgressEvent } from '../../src/core/schemas/report.js';

/**
 * The caller's onProgress as the eval calls it: a throw and a rejected promise are one failure
 * (exit 70, the first one's error as cause), thrown at the event that threw, at the next event
 * after a rejection, or by `settled()`; a promise is never left to reject unhandled.
 */

const END: ProgressEvent = { type: 'end' };
const WARN: ProgressEvent = { type: 'warning', message: 'w' };
const first = new Error('first');
const second = new Error('second');

async function outcome(callback: ProgressCallback, events: ProgressEvent[]): Promise<string> {
  const p = checkedProgress(callback);
  try {
    for (const e of events) {
      p.onProgress(e);
      await Promise.resolve();
    }
    await p.settled();
    return 'ok';
  } catch (e) {
    if (!(e instanceof InternalError)) throw e;
    return `exit ${e.exitCode}: ${e.message} (cause ${(e.cause as Error).message})`;
  }
}

describe('checkedProgress', () => {
  let n = 0;
  it.each<[string, () => ProgressCallback, ProgressEvent[], string]>([
    ['a synchronous callback', () => () => undefined, [WARN, END], 'ok'],
    ['an async callback that resolves', () => async () => undefined, [WARN, END], 'ok'],
    ['a callback returning a value (events.push)', () => (e) => void [e], [WARN, END], 'ok'],
    ['a synchronous throw', () => () => { throw first; }, [END], 'exit 70: onProgress threw: first (cause first)'],
    ['a rejection of the last event', () => async (e) => { if (e.type === 'end') throw first; }, [WARN, END], 'exit 70: onProgress threw: first (cause first)'],
    ['rejections of every event: the first', () => { n = 0; return async () => { throw ++n === 1 ? first : second; }; }, [WARN, WARN, END], 'exit 70: onProgress threw: first (cause first)'],
    ['a rejection that comes late', () => () => new Promise<void>((_, reject) => setImmediate(() => reject(first))), [END], 'exit 70: onProgress threw: first (cause first)'],
  ])('%s', async (_, make, events, expected) => {
    expect(await outcome(make(), events)).toBe(expected);
  });

  it('throws an earlier rejection at the next event, before calling the callback again', async () => {
    const calls: string[] = [];
    const p = checkedProgress(async (e) => {
      calls.push(e.type);
      throw first;
    });
    p.onProgress(WARN);
    await new Promise((r) => setImmediate(r));
    expect(() => p.onProgress(END)).toThrow('onProgress threw: first');
    expect(calls).toEqual(['warning']);
  });
});

describe('a callback promise that never settles', () => {
  it('holds settled() until the signal aborts, then lets the eval go on', async () => {
    const stop = new AbortController();
    const p = checkedProgress(() => new Promise<void>(() => {}), undefined, stop.signal);
    p.onProgress(END);
    let done = false;
    const settling = p.settled().then(() => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    stop.abort();
    await settling;
    expect(done).toBe(true);
  });
});

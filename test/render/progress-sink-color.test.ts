import { describe, expect, it, vi } from 'vitest';
import type { Output } from '../../src/render/output.js';

/** Output.color (false under NO_COLOR or --no-color, src/cli.ts) reaches the live view on a terminal. */

const started: Array<{ color?: boolean }> = [];
vi.mock('../../src/render/live-view.js', () => ({
  startLiveView: (opts: { color?: boolean } = {}) => {
    started.push(opts);
    return { onEvent: () => {}, stop: async () => {}, snapshot: () => ({}) };
  },
}));

const out = (color: boolean): Output => ({ json: false, color, tty: true, line: () => {}, write: () => {}, error: () => {} });

describe('startProgress on a terminal', () => {
  it('passes the colour choice to the live view', async () => {
    const { startProgress } = await import('../../src/render/progress-sink.js');
    await (await startProgress(out(false), () => 0)).stop();
    await (await startProgress(out(true), () => 0)).stop();
    expect(started.map((o) => o.color)).toEqual([false, true]);
  });
});

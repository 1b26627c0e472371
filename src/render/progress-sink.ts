import type { Output } from './output.js';
import type { ProgressEvent } from '../core/schemas/report.js';

/**
 * Where live progress goes: the ink view on a terminal, plain throttled lines otherwise (on
 * stderr, so stdout carries only the result, e.g. --json). ink and react load only on a terminal.
 */
export async function startProgress(out: Output, now: () => number): Promise<{ onEvent: (e: ProgressEvent) => void; stop: () => Promise<void> }> {
  if (out.tty && !out.json) {
    const { startLiveView } = await import('./live-view.js');
    const view = startLiveView({ color: out.color });
    return { onEvent: view.onEvent, stop: view.stop };
  }
  const { createPlainProgress } = await import('./plain-progress.js');
  const plain = createPlainProgress((line) => out.error(line), now);
  return {
    onEvent: plain.onEvent,
    stop: async () => plain.finish(),
  };
}

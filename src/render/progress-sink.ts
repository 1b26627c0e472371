import type { Output } from './output.js';
import type { ProgressEvent } from '../core/schemas/report.js';
import { takeStderrLines } from './stderr-lines.js';

/**
 * Where live progress goes: the ink view on a terminal, plain throttled lines otherwise (on
 * stderr, so stdout carries only the result, e.g. --json). ink and react load only on a terminal.
 * While the view is drawn it takes every line said on stderr through `stderrLine` (warnings, and
 * registry notices from outside the command): above its frame, so its redraws do not erase them.
 * Without the view, such a line is written as it always was.
 */
export async function startProgress(out: Output, now: () => number): Promise<{ onEvent: (e: ProgressEvent) => void; stop: () => Promise<void> }> {
  if (out.tty && !out.json) {
    const { startLiveView } = await import('./live-view.js');
    // ink writes whole lines (`print` adds the newline), and out.error adds its own.
    const view = startLiveView({ color: out.color, stderr: { write: (data: string) => out.error(data.replace(/\n$/, '')) } });
    const giveBack = takeStderrLines(view.print);
    return {
      onEvent: view.onEvent,
      stop: async () => {
        giveBack();
        await view.stop();
      },
    };
  }
  const { createPlainProgress } = await import('./plain-progress.js');
  const plain = createPlainProgress((line) => out.error(line), now);
  return {
    onEvent: plain.onEvent,
    stop: async () => plain.finish(),
  };
}

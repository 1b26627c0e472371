import type { Output } from './output.js';
import type { ProgressEvent } from '../core/schemas/report.js';

/**
 * Where live progress goes: the ink view on a terminal, plain throttled lines otherwise (on
 * stderr, so stdout carries only the result, e.g. --json). ink and react load only on a terminal.
 * `print` says a line on stderr (a warning): above the live view's frame, so its redraws do not
 * erase it; the lines from outside the command (registry notices: stderr-lines.ts) go there too
 * while the view is drawn. Without the view, the line is written as it always was.
 */
export async function startProgress(out: Output, now: () => number): Promise<{ onEvent: (e: ProgressEvent) => void; print: (line: string) => void; stop: () => Promise<void> }> {
  if (out.tty && !out.json) {
    const [{ startLiveView }, { takeStderrLines }] = await Promise.all([import('./live-view.js'), import('./stderr-lines.js')]);
    // ink writes whole lines (`print` adds the newline), and out.error adds its own.
    const view = startLiveView({ color: out.color, stderr: { write: (data: string) => out.error(data.replace(/\n$/, '')) } });
    const giveBack = takeStderrLines(view.print);
    return {
      onEvent: view.onEvent,
      print: view.print,
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
    print: (line) => out.error(line),
    stop: async () => plain.finish(),
  };
}

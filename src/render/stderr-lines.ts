/**
 * Lines said on stderr from outside a command's Output (bin/main.ts's registry notices: a registry
 * created or upgraded as a use case opens it). While the live view is drawn they must go above its
 * frame, through ink, or its next redraw erases them; the view takes them while it is up
 * (progress-sink.ts). Kept apart from live-view.tsx so the entry point loads no ink for this.
 */

let above: ((line: string) => void) | undefined;

/** Says `line` above the live view when one is drawn, else with `write` (the line without its newline). */
export function stderrLine(line: string, write: (line: string) => void): void {
  (above ?? write)(line);
}

/** The live view takes the lines until the returned function gives them back. */
export function takeStderrLines(print: (line: string) => void): () => void {
  above = print;
  return () => {
    if (above === print) above = undefined;
  };
}

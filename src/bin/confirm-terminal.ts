/**
 * Where the question goes: stderr, so stdout stays the result. A question in a file is never seen,
 * though (`deploy … --env production 2>deploy.log` at a terminal waited for an answer to a question
 * nobody saw), so when stderr is not a terminal it goes to stdout, a terminal whenever promptctl asks
 * (cli.ts's `interactive`), after the dry run it confirms (`shown`: said on stderr too, so the file
 * keeps it). Asking only when stderr is a terminal would drop the question for a person who is there.
 */
export function questionOutput<W extends { isTTY?: boolean }>(stderr: W, stdout: W, shown: string[]): { output: W; shown: string[] } {
  return stderr.isTTY ? { output: stderr, shown: [] } : { output: stdout, shown };
}

/**
 * A yes/no question at the terminal (`questionOutput` says where), after the lines `shown`. Only y or yes is yes;
 * end of input is no. Any stop signal closes the question at once, and closing readline gives the
 * terminal back its mode (readline turns echo off while it reads a raw terminal):
 * - Ctrl-C with the question on a terminal is a key readline reads (raw mode), not a signal: it aborts `interrupt`;
 * - SIGTERM, SIGHUP (and Ctrl-C, should the output not be a terminal) reach the process's handlers,
 *   which abort `interrupt`: the question listens to it;
 * - a signal before the question (while the checks ran) asks nothing.
 * The command then exits with the signal's code (commands/confirm.ts).
 */
export async function confirmAtTerminal(question: string, interrupt: AbortController, input: NodeJS.ReadableStream, output: NodeJS.WritableStream, shown: string[] = []): Promise<boolean> {
  const { createInterface } = await import('node:readline');
  if (interrupt.signal.aborted) return false;
  for (const line of shown) output.write(`${line}\n`);
  const rl = createInterface({ input, output });
  return new Promise<boolean>((resolve) => {
    const stop = () => {
      output.write('\n');
      rl.close();
    };
    interrupt.signal.addEventListener('abort', stop, { once: true });
    rl.on('SIGINT', () => interrupt.abort('SIGINT'));
    rl.on('close', () => {
      interrupt.signal.removeEventListener('abort', stop);
      resolve(false);
    });
    rl.question(`${question} [y/N] `, (answer) => {
      resolve(/^y(es)?$/i.test(answer.trim()));
      rl.close();
    });
  });
}

/**
 * A yes/no question at the terminal (on stderr, so stdout stays the result). Only y or yes is yes;
 * end of input is no. Any stop signal closes the question at once, and closing readline gives the
 * terminal back its mode (readline turns echo off while it reads a raw terminal):
 * - Ctrl-C with stderr a terminal is a key readline reads (raw mode), not a signal: it aborts `interrupt`;
 * - SIGTERM, SIGHUP, and Ctrl-C when stderr is redirected reach the process's handlers, which abort
 *   `interrupt`: the question listens to it;
 * - a signal before the question (while the checks ran) asks nothing.
 * The command then exits with the signal's code (commands/confirm.ts).
 */
export async function confirmAtTerminal(question: string, interrupt: AbortController, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<boolean> {
  const { createInterface } = await import('node:readline');
  if (interrupt.signal.aborted) return false;
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

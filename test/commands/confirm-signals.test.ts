import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { confirmAtTerminal, questionOutput } from '../../src/bin/confirm-terminal.js';
import { confirmLastEnvironment } from '../../src/commands/confirm.js';
import type { CommandContext } from '../../src/commands/context.js';
import { InterruptedError } from '../../src/core/errors.js';
import { systemClock } from '../../src/infra/clock.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';

/**
 * Report #4 of the terminal hunt: any stop signal closes production's question (also one before it
 * is asked), and the command exits with that signal's code. The terminal end (echo restored, a real
 * SIGTERM) is test/e2e/confirm-signals.test.ts.
 */

afterAll(() => cleanupTempDirs());

function streams() {
  const input = new PassThrough();
  const output = new PassThrough();
  let written = '';
  output.on('data', (d: Buffer) => (written += d.toString()));
  return { input, output, written: () => written };
}

describe('confirmAtTerminal', () => {
  it('a signal while the question is open closes it: no', async () => {
    const s = streams();
    const interrupt = new AbortController();
    const asked = new Promise((r) => s.output.once('data', r));
    const answer = confirmAtTerminal('Go ahead?', interrupt, s.input, s.output);
    await asked;
    interrupt.abort('SIGTERM');
    expect(await answer).toBe(false);
    await new Promise((r) => setImmediate(r));
    expect(s.written()).toBe('Go ahead? [y/N] \n');
  });

  it('a signal before the question: nothing is asked', async () => {
    const s = streams();
    const interrupt = new AbortController();
    interrupt.abort('SIGHUP');
    expect(await confirmAtTerminal('Go ahead?', interrupt, s.input, s.output)).toBe(false);
    expect(s.written()).toBe('');
  });

  it('shows the lines it confirms before the question, on the same output', async () => {
    const s = streams();
    const answer = confirmAtTerminal('Go ahead?', new AbortController(), s.input, s.output, ['dry run: x@1.0.0 to production would be deployed']);
    s.input.write('n\n');
    expect(await answer).toBe(false);
    expect(s.written()).toBe('dry run: x@1.0.0 to production would be deployed\nGo ahead? [y/N] ');
  });

  it('y is yes', async () => {
    const s = streams();
    const answer = confirmAtTerminal('Go ahead?', new AbortController(), s.input, s.output);
    s.input.write('y\n');
    expect(await answer).toBe(true);
  });
});

describe('questionOutput (report h43 #2: the question went to a redirected stderr, unseen)', () => {
  const [stderr, stdout] = [{ name: 'stderr', isTTY: true }, { name: 'stdout', isTTY: true }];
  it('asks on stderr at a terminal, where the dry run already is', () => {
    expect(questionOutput(stderr, stdout, ['dry run'])).toEqual({ output: stderr, shown: [] });
  });
  it('asks on stdout, after the dry run, when stderr is a file', () => {
    const file = { name: 'stderr', isTTY: false };
    expect(questionOutput(file, stdout, ['dry run'])).toEqual({ output: stdout, shown: ['dry run'] });
  });
});

describe('confirmLastEnvironment', () => {
  const ctx = (signal: AbortSignal, asked: string[]): CommandContext => ({
    cwd: makeProject(),
    env: {},
    clock: systemClock,
    interactive: true,
    signal,
    out: { json: false, color: false, tty: true, line: () => {}, write: () => {}, error: () => {} },
    confirm: async (q) => {
      asked.push(q);
      return true;
    },
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['SIGINT', 130],
  ] as const)('%s while the checks run: not asked, exit %i', async (signal, code) => {
    const interrupt = new AbortController();
    const asked: string[] = [];
    const preview = async () => {
      interrupt.abort(signal);
      return { allowed: true, lines: ['PASS tested'] };
    };
    const error = await confirmLastEnvironment(ctx(interrupt.signal, asked), { environment: 'production', what: 'deploy x@1.0.0 to production' }, preview).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as InterruptedError).exitCode).toBe(code);
    expect(asked).toEqual([]);
  });

  it('SIGTERM at the question: exit 143', async () => {
    const interrupt = new AbortController();
    const c = ctx(interrupt.signal, []);
    c.confirm = async () => {
      interrupt.abort('SIGTERM');
      return false;
    };
    const error = await confirmLastEnvironment(c, { environment: 'production', what: 'deploy x@1.0.0 to production' }, async () => ({ allowed: true, lines: [] })).catch((e: unknown) => e);
    expect((error as InterruptedError).exitCode).toBe(143);
  });
});

#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { runCli } from '../cli.js';

/**
 * The entry point: the only place that reads process globals and sets the exit code.
 * Known errors print their message, problems, why and hint; anything else is a bug (exit 70).
 */

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

// A closed pipe (`promptctl history | head`) is the reader's choice, not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

async function main(): Promise<number> {
  // First Ctrl-C: stop gracefully (a run keeps its results and can be resumed); second: exit now.
  // The reason names the signal: a command it stopped ends with InterruptedError's exit code (130).
  const interrupt = new AbortController();
  process.on('SIGINT', () => {
    if (interrupt.signal.aborted) process.exit(130);
    interrupt.abort('SIGINT');
  });
  const outcome = await runCli({
    argv: process.argv.slice(2),
    cwd: process.cwd(),
    env: process.env,
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stdinIsTTY: Boolean(process.stdin.isTTY),
    version: pkg.version,
    signal: interrupt.signal,
  });
  if (outcome.error === undefined) return outcome.exitCode;
  const { isPromptctlError, formatError, ExitCode } = await import('../core/errors.js');
  const e = outcome.error;
  if (isPromptctlError(e)) {
    if (outcome.json) process.stdout.write(`${JSON.stringify(e.toJSON(), null, 2)}\n`);
    process.stderr.write(`${formatError(e)}\n`);
    return e.exitCode;
  }
  const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
  process.stderr.write(`error: promptctl hit a bug: ${e instanceof Error ? e.message : String(e)}\n${detail}\nhint: please report it with the command you ran.\n`);
  return ExitCode.bug;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`error: promptctl hit a bug: ${String(e)}\n`);
    process.exitCode = 70;
  },
);

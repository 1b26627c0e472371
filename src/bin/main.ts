import { closeSync, readFileSync } from 'node:fs';
import { isatty } from 'node:tty';
import { runCli } from '../cli.js';
import { reportCrash, reportOutcome, reportUncaught, signalAfterOutcomeNote } from '../cli-outcome.js';
import { STOP_SIGNALS } from '../core/errors.js';
import { confirmAtTerminal, questionOutput } from './confirm-terminal.js';
import { onRegistryNotice } from '../infra/registry-notices.js';
import { stderrLine } from '../render/stderr-lines.js';

/**
 * The entry point: the only place that reads process globals and sets the exit code. What a
 * command prints when it fails, and the code it exits with, is cli-outcome.ts (tests share it).
 */

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * A terminal that went away (its window closed, the SSH session holding it dropped): SIGHUP, then
 * EIO on every write to it, its input ends, and setting its mode fails. Not a full disk, nor a bug:
 * said on stderr (read when that is a file), exit 129 as for SIGHUP; a command that finished
 * anyway (its stdin a terminal that went away, `setsid`, `disown`) keeps its own exit code.
 */
const startedOnTerminal = [0, 1, 2].filter((fd) => isatty(fd));

/** Whether a terminal this process started on has hung up: isatty(3) then fails (EIO). */
function terminalHungUp(): boolean {
  return startedOnTerminal.some((fd) => !isatty(fd));
}

/**
 * Node 20 restores the settings of each terminal it started on at exit, and aborts (SIGABRT, a
 * native stack trace) when that fails with EIO, as it does once the terminal hung up. It skips a
 * descriptor that was closed meanwhile, so the hung-up ones are closed first: the process then ends
 * with its own exit code (a command that finished keeps its 0 or 3; one the hang-up stopped, 129).
 */
function releaseHungUpTerminal(): void {
  for (const fd of startedOnTerminal) {
    if (isatty(fd)) continue;
    try {
      closeSync(fd);
    } catch {
      // Already closed: nothing for Node to restore either.
    }
  }
}

/** A hang-up met as an error (EIO writing to it, setting its mode): said on stderr, exit 129 as SIGHUP's. */
function terminalGone(e: Error): never {
  process.stderr.write(`error: cannot use the terminal: ${e.message}\nwhy: the terminal promptctl was running in is gone (its window was closed, or the session holding it hung up).\nhint: run the command again where it can finish: in a terminal that stays open, under tmux, screen or nohup, or with its output redirected to a file; an interrupted eval continues with --resume.\n`);
  exitWith(STOP_SIGNALS.SIGHUP);
}

/** process.exit, first releasing a terminal that hung up (releaseHungUpTerminal says why). */
function exitWith(code: number): never {
  if (terminalHungUp()) releaseHungUpTerminal();
  process.exit(code);
}

// A closed pipe (`promptctl history | head`) is the reader's choice, not an error worth a stack trace.
// A full disk under a redirected stdout (`--json > out.json`) is exit 3 saying so, as for report files.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') exitWith(typeof process.exitCode === 'number' ? process.exitCode : 0);
  if (e.code === 'EIO' && terminalHungUp()) terminalGone(e);
  if (e.code === 'ENOSPC' || e.code === 'EDQUOT' || e.code === 'EFBIG' || e.code === 'EIO') {
    process.stderr.write(`error: cannot write the output (stdout): ${e.message}\nwhy: the disk that stdout is redirected to refused the bytes.\nhint: free space on that disk, or redirect the output elsewhere, then run the command again.\n`);
    exitWith(3);
  }
  throw e;
});

// A registry upgraded in place is said once, on stderr (infra/registry-notices.ts); above the live
// view's frame while one is drawn (eval opens the registry once its view is up), or its redraw erases it.
onRegistryNotice((message) => stderrLine(`warning: ${message}`, (line) => process.stderr.write(`${line}\n`)));

const processWriters = {
  stdout: (t: string) => process.stdout.write(t),
  stderr: (t: string) => process.stderr.write(t),
};

/** Set once the command's outcome is reported: what is left is Node's teardown. */
let finished = false;

// An exception no command awaited (pg's parser throwing in its socket handler on damaged bytes):
// said and ended here, exit 3 or 70 (cli-outcome.ts), not Node's default exit 1, a failed gate's
// code. After the outcome was reported, the code it reported stands.
process.on('uncaughtException', (e) => {
  // readline restoring the mode of a terminal that hung up (setRawMode EIO), as its input ends.
  if ((e as NodeJS.ErrnoException).code === 'EIO' && terminalHungUp()) terminalGone(e);
  const reported = finished && typeof process.exitCode === 'number' ? process.exitCode : undefined;
  void reportUncaught(e, processWriters, { json: process.argv.includes('--json'), cwd: process.cwd(), env: process.env }).then(
    (code) => exitWith(reported ?? code),
    () => exitWith(reported ?? 70),
  );
});

/**
 * Once the outcome is reported, the process ends when its output is written, even if a handle a
 * library left open (a connection whose server sent damaged bytes while it connected) would keep it
 * alive: a CI step must never hang after its command ended. The timer holds nothing alive itself.
 * When nothing is left to do it ends by its own exit, never by Node's teardown: that removes the
 * signal handlers before the process is gone, and a SIGTERM then (a CI job cancelled just after a
 * deploy printed) killed it by the signal, exit 143, for a change that stands. Its last turn of the
 * loop takes a signal that already arrived (said by the handler in main).
 */
function exitWhenWritten(code: number): void {
  process.once('beforeExit', () => setImmediate(() => exitWith(code)));
  const timer = setInterval(() => {
    if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) exitWith(code);
  }, 1000);
  timer.unref();
}

async function main(): Promise<number> {
  // First Ctrl-C, SIGTERM or SIGHUP: stop gracefully (a run keeps its results and can be resumed);
  // a second signal: exit now. The reason names the signal, so a command it stopped ends with
  // InterruptedError's exit code for it (130, 143, 129). After the outcome, any signal ends it at
  // once with the outcome's code, saying so: the command had finished (a deploy stands).
  const interrupt = new AbortController();
  for (const [signal, code] of Object.entries(STOP_SIGNALS)) {
    process.on(signal, () => {
      if (finished && typeof process.exitCode === 'number') {
        process.stderr.write(`${signalAfterOutcomeNote(signal, process.exitCode)}\n`);
        exitWith(process.exitCode);
      }
      if (finished) exitWith(code);
      if (interrupt.signal.aborted) exitWith(code);
      interrupt.abort(signal);
    });
  }
  const outcome = await runCli({
    argv: process.argv.slice(2),
    cwd: process.cwd(),
    env: process.env,
    ...processWriters,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stdoutColumns: process.stdout.isTTY ? process.stdout.columns : undefined,
    stdoutRows: process.stdout.isTTY ? process.stdout.rows : undefined,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    version: pkg.version,
    signal: interrupt.signal,
    confirm: (question, shown = []) => {
      const asked = questionOutput<NodeJS.WriteStream>(process.stderr, process.stdout, shown);
      return confirmAtTerminal(question, interrupt, process.stdin, asked.output, asked.shown);
    },
  });
  return reportOutcome(outcome, processWriters, process.env);
}

main().then(
  (code) => {
    finished = true;
    process.exitCode = code;
    // Its outcome said (on stderr, when that is a file); nothing more can reach a terminal that hung up.
    if (terminalHungUp()) exitWith(code);
    exitWhenWritten(code);
  },
  (e: unknown) => {
    finished = true;
    process.exitCode = reportCrash(e, processWriters);
    if (terminalHungUp()) exitWith(process.exitCode);
    exitWhenWritten(process.exitCode);
  },
);

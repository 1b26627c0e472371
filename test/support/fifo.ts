import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

/**
 * Named pipes for tests of code that must refuse them without opening them. The test never opens
 * the pipe itself. Should that code regress and open it, the open would block the test's thread
 * where no timeout reaches; so each pipe gets a watchman process that, after `releaseAfterMs`,
 * opens and closes it read-write (end of file for a blocked reader): a regression then fails on
 * its assertions instead of hanging the suite. The delay only bounds a regression; no passing run
 * waits for it. `release()` stops every watchman left (afterAll).
 */

const watchmen: ChildProcess[] = [];

export function makeFifo(abs: string, releaseAfterMs = 15_000): string {
  execFileSync('mkfifo', [abs]);
  const seconds = String(Math.ceil(releaseAfterMs / 1000));
  // `<>` opens read-write, which never blocks on a pipe; closing it again is end of file for the
  // blocked reader. Repeated (for a minute at most) for a regression that opens the pipe twice.
  const script = 'sleep "$1"; i=0; while [ $i -lt 120 ] && [ -p "$0" ]; do exec 3<>"$0"; exec 3>&-; sleep 0.5; i=$((i+1)); done';
  const child = spawn('sh', ['-c', script, abs, seconds], { stdio: 'ignore', detached: true });
  child.unref();
  watchmen.push(child);
  return abs;
}

export function releaseFifos(): void {
  // Its process group: the shell and the sleep it waits on.
  for (const child of watchmen.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
}

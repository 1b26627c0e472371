import { errorCode } from '../core/errors.js';

/**
 * Whether process `pid` of this host no longer exists (killed with SIGKILL, or crashed): the one rule
 * for what a process left behind (a run's lease, a registry half made). A pid that was reused since
 * counts as alive, which is safe: what it left then waits (a lease runs out, a file stays).
 */
export function pidGone(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    // EPERM: the process exists, under another user.
    return errorCode(err) === 'ESRCH';
  }
}

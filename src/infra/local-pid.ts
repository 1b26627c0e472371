import { hostname } from 'node:os';
import { errorCode } from '../core/errors.js';

/**
 * Whether process `pid` of this host no longer exists (killed with SIGKILL, or crashed), for what a
 * process left behind (a run's lease, a registry half made): asked through `namedProcessGone`. A pid
 * that was reused since counts as alive, which is safe: what it left then waits (a lease runs out,
 * a file stays).
 */
function pidGone(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    // EPERM: the process exists, under another user.
    return errorCode(err) === 'ESRCH';
  }
}

/**
 * This process as what it leaves behind names it, `<pid>@<host>`: a run's lease holder, a registry's
 * temporary name. A pid alone says nothing on a registry or a folder shared between hosts or
 * containers (NFS, a bind mount), where another namespace's live process has a pid gone here.
 */
export function thisProcess(): string {
  return `${process.pid}@${hostname()}`;
}

/**
 * Whether the process a name starting with `<pid>@<host>` (`thisProcess`, then a space or the end)
 * names is known to be gone: only one of this host can be; another host's, or another name, never is.
 */
export function namedProcessGone(name: string): boolean {
  const m = /^(\d+)@(\S+)(?:\s|$)/.exec(name);
  return m !== null && m[2] === hostname() && pidGone(Number(m[1]));
}

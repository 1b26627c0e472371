import { execFileSync } from 'node:child_process';
import os from 'node:os';

/** Who is acting, for the audit log: --actor, else the git user email, else the OS user. */
export function resolveActor(cwd: string, env: Record<string, string | undefined>, explicit?: string): string {
  if (explicit?.trim()) return explicit.trim();
  try {
    const email = execFileSync('git', ['config', 'user.email'], { cwd, encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (email) return email;
  } catch {
    // Not a git checkout, or git has no user configured: fall back to the OS user.
  }
  try {
    return env.USER ?? env.USERNAME ?? os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

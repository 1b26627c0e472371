import { execFileSync } from 'node:child_process';
import os from 'node:os';

/**
 * Who is acting, for the audit log: --actor, else PROMPTCTL_ACTOR, else the CI's user, else the
 * git user email, else the OS user. `named` says whether someone named the actor deliberately
 * (the first three), which unattended production changes may require.
 */
export function resolveActor(cwd: string, env: Record<string, string | undefined>, explicit?: string): { actor: string; named: boolean } {
  const named = [explicit, env.PROMPTCTL_ACTOR, env.GITHUB_ACTOR, env.GITLAB_USER_EMAIL, env.GITLAB_USER_LOGIN].find((v) => v?.trim());
  if (named) return { actor: named.trim(), named: true };
  try {
    const email = execFileSync('git', ['config', 'user.email'], { cwd, encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (email) return { actor: email, named: false };
  } catch {
    // Not a git checkout, or git has no user configured: fall back to the OS user.
  }
  try {
    return { actor: env.USER ?? env.USERNAME ?? os.userInfo().username, named: false };
  } catch {
    return { actor: 'unknown', named: false };
  }
}

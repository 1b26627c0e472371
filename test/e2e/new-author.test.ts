import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, readProjectFile } from '../support/project.js';

/**
 * `new` for a brand-new prompt names its author the way deploy names its actor: --author, else
 * PROMPTCTL_ACTOR or the CI user, else the git user email, else the OS user — never "unknown".
 * Git's global and system config are shut out so the machine's own settings do not leak in.
 */

afterAll(() => cleanupTempDirs());

const HERMETIC = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', PROMPTCTL_ACTOR: undefined, GITHUB_ACTOR: undefined, GITLAB_USER_EMAIL: undefined, GITLAB_USER_LOGIN: undefined };

const CASES: Array<[string, { git?: string; env: Record<string, string | undefined>; args?: string[] }, string]> = [
  ['the git user email of the project', { git: 'dev@example.com', env: { USER: 'tester' } }, 'dev@example.com'],
  ['PROMPTCTL_ACTOR over git', { git: 'dev@example.com', env: { PROMPTCTL_ACTOR: 'release-bot' } }, 'release-bot'],
  ['the OS user without git', { env: { USER: 'tester' } }, 'tester'],
  ['the OS account without git or USER', { env: { USER: undefined, USERNAME: undefined } }, os.userInfo().username],
  ['--author over everything', { git: 'dev@example.com', env: { PROMPTCTL_ACTOR: 'bot' }, args: ['--author', 'ann@example.com'] }, 'ann@example.com'],
];

describe('new <id> for a brand-new prompt', () => {
  it.each(CASES)('author is %s', async (_name, c, author) => {
    const dir = makeProject();
    const env = { ...HERMETIC, ...c.env };
    if (c.git) {
      execFileSync('git', ['init', '-q'], { cwd: dir, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
      execFileSync('git', ['config', 'user.email', c.git], { cwd: dir });
    }
    const r = await runCliInProcess(['new', 'billing-answer', ...(c.args ?? [])], { cwd: dir, env });
    expect(r.code, r.output).toBe(0);
    expect(readProjectFile(dir, 'prompts/billing-answer/1.0.0.yaml')).toContain(`author: ${JSON.stringify(author)}`);
  });
});

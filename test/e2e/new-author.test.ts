import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

/** What `new` writes must pass lint: a control character it would write is refused, and nothing is written. */
describe('new refuses a control character it would write into the file', () => {
  it.each([
    { name: '--description with ESC, copying a version', args: ['new', 'support-answer', '--description', 'a\u001bb'], env: {}, source: '--description', char: '\\e (U+001B)', file: 'prompts/support-answer/1.1.1.yaml' },
    { name: '--author with BEL, copying a version', args: ['new', 'support-answer', '--author', 'x\u0007y'], env: {}, source: '--author', char: '\\x07 (U+0007)', file: 'prompts/support-answer/1.1.1.yaml' },
    { name: 'PROMPTCTL_ACTOR with ESC, as the author of a new prompt', args: ['new', 'billing-answer'], env: { PROMPTCTL_ACTOR: 'bot\u001b[2J' }, source: 'PROMPTCTL_ACTOR', char: '\\e (U+001B)', file: 'prompts/billing-answer/1.0.0.yaml' },
  ])('$name', async ({ args, env, source, char, file }) => {
    const dir = makeProject();
    const r = await runCliInProcess(args, { cwd: dir, env: { ...HERMETIC, ...env } });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain(`error: ${source} contains a control character: ${char}`);
    expect(existsSync(path.join(dir, file))).toBe(false);
  });

  it('keeps a multi-line --description, which a prompt file may hold', async () => {
    const dir = makeProject();
    const r = await runCliInProcess(['new', 'support-answer', '--description', 'line one\nline two'], { cwd: dir, env: HERMETIC });
    expect(r.code, r.output).toBe(0);
    expect(readProjectFile(dir, 'prompts/support-answer/1.1.1.yaml')).toContain('line two');
    const lint = await runCliInProcess(['lint'], { cwd: dir, env: HERMETIC });
    expect(lint.code, lint.output).toBe(0);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { eventCount, markTested, readEvents } from '../support/registry-cli.js';

/**
 * `--actor ""` (a script's `--actor "$WHO"` with WHO unset) used to fall back to PROMPTCTL_ACTOR and
 * record that name; every command that takes --actor now refuses it with exit 2, dry runs included,
 * and writes nothing. An empty PROMPTCTL_ACTOR is still read as unset.
 */

const ID = 'support-answer';

afterAll(() => cleanupTempDirs());

/** development serves 1.0.0 then 1.1.0, staging 1.0.0: each command below has something to do. */
async function project(): Promise<string> {
  const dir = makeProject();
  markTested(dir, `${ID}@1.0.0`, `${ID}@1.1.0`);
  for (const args of [['deploy', `${ID}@1.0.0`, '--env', 'development'], ['deploy', `${ID}@1.1.0`, '--env', 'development'], ['deploy', `${ID}@1.0.0`, '--env', 'staging']]) {
    const r = await runCliInProcess([...args, '--actor', 'setup@example.com'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
  }
  return dir;
}

const COMMANDS: Array<[string, string[]]> = [
  ['deploy', ['deploy', `${ID}@1.1.0`, '--env', 'staging']],
  ['promote', ['promote', ID, '--from', 'development', '--to', 'staging']],
  ['rollback', ['rollback', ID, '--env', 'development']],
];

describe('an explicitly empty --actor', () => {
  it.for(
    COMMANDS.flatMap(([name, args]) => [
      { name, args, actor: '', said: 'empty' },
      { name, args, actor: '   ', said: 'only whitespace' },
      { name: `${name} --dry-run`, args: [...args, '--dry-run'], actor: '', said: 'empty' },
    ]),
  )('$name --actor $actor: exit 2, nothing recorded', async ({ args, actor, said }) => {
    const dir = await project();
    const before = eventCount(dir);
    const r = await runCliInProcess([...args, '--actor', actor], { cwd: dir, env: { PROMPTCTL_ACTOR: 'someone-else@example.com' } });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain(`error: --actor is ${said}`);
    expect(r.stderr).toContain('leave --actor out to record PROMPTCTL_ACTOR');
    expect(eventCount(dir)).toBe(before);
  });

  it('an empty PROMPTCTL_ACTOR is unset: the named --actor is recorded, and without one the policy asks for one', async () => {
    const dir = await project();
    const named = await runCliInProcess(['deploy', `${ID}@1.1.0`, '--env', 'staging', '--actor', 'me@example.com'], { cwd: dir, env: { PROMPTCTL_ACTOR: '' } });
    expect(named.code, named.output).toBe(0);
    expect(readEvents(dir).at(-1)?.actor).toBe('me@example.com');
    const unnamed = await runCliInProcess(['deploy', `${ID}@1.1.0`, '--env', 'production', '--reason', 'r'], { cwd: dir, env: { PROMPTCTL_ACTOR: '', GITHUB_ACTOR: undefined, GITLAB_USER_EMAIL: undefined, GITLAB_USER_LOGIN: undefined } });
    expect(unnamed.code, unnamed.output).toBe(2);
    expect(unnamed.stderr).toContain('error: deploying to production without a terminal needs a named actor');
  });
});

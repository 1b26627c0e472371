import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, writeProjectFile } from '../support/project.js';
import { UNGATED_CONFIG } from '../support/ungated-config.js';

/**
 * A rollback's dry run into an environment whose unattended policy (reason, named actor) is unmet
 * says what the real rollback does: it stops there with exit 2. A rollback has no gates and no
 * --force, so its note names neither. `--to` the version already active is no exception: its dry
 * run said "nothing to roll back" with exit 0 (`allowed: true` beside the failed checks in --json).
 */

afterAll(() => cleanupTempDirs());

const ID = 'support-answer';
const POLICY = UNGATED_CONFIG.replace('min_adversarial_pass_rate: null }', 'min_adversarial_pass_rate: null, unattended: { require_reason: true, require_actor: true } }');
// No actor from the environment: the policy counts only a named one.
const env = { PROMPTCTL_ACTOR: undefined, GITHUB_ACTOR: undefined, GITLAB_USER_LOGIN: undefined, BUILDKITE_BUILD_CREATOR_EMAIL: undefined };

async function production(): Promise<string> {
  const dir = makeProject();
  writeProjectFile(dir, '.promptrc.yaml', POLICY);
  for (const v of ['1.0.0', '1.1.0']) {
    const r = await runCliInProcess(['deploy', `${ID}@${v}`, '--env', 'production', '--reason', 'up', '--actor', 'rm@example.com'], { cwd: dir, env });
    expect(r.code, r.output).toBe(0);
  }
  return dir;
}

describe('rollback --dry-run with the unattended policy unmet', () => {
  it('says the real rollback stops at the policy, without gates or --force it does not have', async () => {
    const dir = await production();
    const dry = await runCliInProcess(['rollback', ID, '--env', 'production', '--dry-run'], { cwd: dir, env });
    expect(dry.code, dry.output).toBe(2);
    expect(dry.stdout).toMatch(/^without --dry-run this stops at the policy above with exit 2: 2 requirements are unmet$/m);
    expect(dry.stdout).not.toContain('--force');
    expect(dry.stdout).not.toContain('gate');
    expect((await runCliInProcess(['rollback', ID, '--env', 'production'], { cwd: dir, env })).code).toBe(2);
  });

  it('--to the version already active: exit 2 as the real rollback, not 0 with the unmet policy left out', async () => {
    const dir = await production();
    const args = ['rollback', ID, '--env', 'production', '--to', '1.1.0'];
    expect((await runCliInProcess(args, { cwd: dir, env })).code).toBe(2);
    const dry = await runCliInProcess([...args, '--dry-run'], { cwd: dir, env });
    expect(dry.code, dry.output).toBe(2);
    expect(dry.stderr).toContain(`rollback of ${ID} in production refused`);
    expect(dry.stderr).toContain('needs --reason');
    const json = JSON.parse((await runCliInProcess([...args, '--dry-run', '--json'], { cwd: dir, env })).stdout);
    expect(json).toMatchObject({ allowed: false, exitCode: 2 });
    // Met, it is done (exit 0), as the real rollback is.
    const met = ['--reason', 'retry', '--actor', 'rm@example.com'];
    expect((await runCliInProcess([...args, '--dry-run', ...met], { cwd: dir, env })).code).toBe(0);
    expect((await runCliInProcess([...args, ...met], { cwd: dir, env })).code).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { deploy, history, rollback } from '../../src/app/index.js';
import { runCliInProcess } from '../support/cli.js';
import { makeProject } from '../support/project.js';

/**
 * An incident job retried after its rollback went through (or a second operator who got there
 * first): `rollback --to <v>` with <v> already active is done, not refused. Before, exit 1 ("already
 * the active version"), or with `--if-active` "development changed", and the retry failed the job.
 */

const env = { PROMPTCTL_ACTOR: 'oncall@example.com' };
const ID = 'support-answer';

describe('rollback --to the version already active', () => {
  it('exits 0 and records nothing, even when --if-active names the version it rolled away from', async () => {
    const cwd = makeProject();
    for (const v of ['1.0.0', '1.1.0']) expect((await deploy({ cwd, env, ref: `${ID}@${v}`, environment: 'development', reason: 'up' })).exitCode).toBe(0);
    const args = ['rollback', ID, '--env', 'development', '--to', '1.0.0', '--if-active', '1.1.0', '--reason', 'incident 42'];
    expect((await runCliInProcess(args, { cwd, env })).code).toBe(0);
    const events = (await history({ cwd, env, environment: 'development' })).events.length;

    const retry = await runCliInProcess(args, { cwd, env });
    expect(retry.code, retry.output).toBe(0);
    expect(retry.stdout.trim()).toBe(`${ID}@1.0.0 is already active in development: nothing to roll back, nothing recorded`);
    const json = JSON.parse((await runCliInProcess([...args, '--json'], { cwd, env })).stdout);
    expect(json).toMatchObject({ alreadyActive: true, allowed: true, from: '1.0.0', to: '1.0.0', event: null });
    expect((await rollback({ cwd, env, id: ID, environment: 'development', to: '1.0.0', dryRun: true })).exitCode).toBe(0);
    expect((await history({ cwd, env, environment: 'development' })).events).toHaveLength(events);

    // Without --to, a rollback still walks further back, and one with nowhere to go is still refused.
    const walk = await runCliInProcess(['rollback', ID, '--env', 'development', '--reason', 'again'], { cwd, env });
    expect(walk.code).toBe(1);
    expect(walk.stderr).toContain('nothing to roll back to');
  });
});

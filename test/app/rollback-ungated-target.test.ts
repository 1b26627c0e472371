import { describe, expect, it } from 'vitest';
import { deploy, rollback } from '../../src/app/index.js';
import { runCliInProcess } from '../support/cli.js';
import { makeProject } from '../support/project.js';
import { markTested, patchConfig } from '../support/registry-cli.js';

/**
 * A rollback onto a version that never passed the gates (deployed by override, untested where the
 * environment requires tested versions) goes ahead, as an emergency path must, but says so, as it
 * says of an edited file. Before, it said nothing.
 */

const ID = 'support-answer';
const actor = 'a@example.com';

describe('rollback onto a version that never passed the gates', () => {
  it('warns with the override it got there by and the missing mark', async () => {
    const cwd = makeProject();
    markTested(cwd, `${ID}@1.0.0`);
    const forced = await deploy({ cwd, env: {}, ref: `${ID}@1.1.0`, environment: 'staging', actor, force: true, reason: 'hotfix' });
    expect(forced.override).toBe(true);
    expect((await deploy({ cwd, env: {}, ref: `${ID}@1.0.0`, environment: 'staging', actor })).exitCode).toBe(0);
    const dry = await rollback({ cwd, env: {}, id: ID, environment: 'staging', dryRun: true, actor });
    expect(dry).toMatchObject({ allowed: true, ungated: { override: { seq: forced.event!.seq }, untestedOn: 'sim-model' } });
    const r = await runCliInProcess(['rollback', ID, '--env', 'staging', '--actor', actor, '--reason', 'outage'], { cwd });
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(new RegExp(`warning: ${ID}@1\\.1\\.0 never passed the gates as it will run: its deploy to staging was an override \\(event #${forced.event!.seq}\\), skipping: .*; it has no tested mark that counts on sim-model\\.`));
  });

  // The target is told by its event's seq, not its version: the version's other events in the
  // environment (an earlier override, or a rollback onto it) say nothing of how the target got there.
  it('a version deployed twice, by override and then through the gates: returning to the gated deploy says nothing of the override', async () => {
    const cwd = makeProject();
    markTested(cwd, `${ID}@1.0.0`);
    const forced = await deploy({ cwd, env: {}, ref: `${ID}@1.1.0`, environment: 'staging', actor, force: true, reason: 'hotfix' });
    expect(forced.override).toBe(true);
    markTested(cwd, `${ID}@1.1.0`);
    for (const v of ['1.0.0', '1.1.0', '1.0.0']) expect((await deploy({ cwd, env: {}, ref: `${ID}@${v}`, environment: 'staging', actor })).exitCode).toBe(0);
    const dry = await rollback({ cwd, env: {}, id: ID, environment: 'staging', dryRun: true, actor });
    expect(dry).toMatchObject({ allowed: true, plan: { to: '1.1.0' } });
    expect(dry.ungated).toBeUndefined();
  });

  // Deployed through the gates, then again by override once a gate no longer held (the same
  // version served the same way: one entry of the stack): the newest event that made it active is
  // the one whose gating matters. Before, the entry kept its first event and the rollback said nothing.
  it('a version deployed through the gates and then forced again while active: returning to it names the override', async () => {
    const cwd = makeProject();
    markTested(cwd, `${ID}@1.0.0`, `${ID}@1.1.0`);
    expect((await deploy({ cwd, env: {}, ref: `${ID}@1.1.0`, environment: 'staging', actor })).override).toBe(false);
    // Staging starts requiring a deploy to development first, which 1.1.0 never had.
    const staging = (set: boolean) => patchConfig(cwd, (c) => (c.environments.find((e: { name: string }) => e.name === 'staging').gates.requires_previous_env = set));
    staging(true);
    const forced = await deploy({ cwd, env: {}, ref: `${ID}@1.1.0`, environment: 'staging', actor, force: true, reason: 'record the exception' });
    expect(forced.override).toBe(true);
    staging(false);
    expect((await deploy({ cwd, env: {}, ref: `${ID}@1.0.0`, environment: 'staging', actor })).exitCode).toBe(0);
    const dry = await rollback({ cwd, env: {}, id: ID, environment: 'staging', dryRun: true, actor });
    expect(dry).toMatchObject({ allowed: true, plan: { to: '1.1.0', target: { seq: forced.event!.seq } }, ungated: { override: { seq: forced.event!.seq } } });
  });

  it('a version reached by override, rolled back onto and deployed over again: returning to it names the override, not the rollback onto it', async () => {
    const cwd = makeProject();
    markTested(cwd, `${ID}@1.0.0`);
    const forced = await deploy({ cwd, env: {}, ref: `${ID}@1.1.0`, environment: 'staging', actor, force: true, reason: 'hotfix' });
    expect((await deploy({ cwd, env: {}, ref: `${ID}@1.0.0`, environment: 'staging', actor })).exitCode).toBe(0);
    expect((await rollback({ cwd, env: {}, id: ID, environment: 'staging', actor })).exitCode).toBe(0);
    expect((await deploy({ cwd, env: {}, ref: `${ID}@1.0.0`, environment: 'staging', actor })).exitCode).toBe(0);
    const dry = await rollback({ cwd, env: {}, id: ID, environment: 'staging', dryRun: true, actor });
    expect(dry).toMatchObject({ allowed: true, plan: { to: '1.1.0' }, ungated: { override: { seq: forced.event!.seq } } });
  });
});

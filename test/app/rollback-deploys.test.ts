import { beforeAll, describe, expect, it } from 'vitest';
import { deploy, getPrompt, history, promote, rollback, runEval } from '../../src/app/index.js';
import { runCliInProcess } from '../support/cli.js';
import { makeSimProject, readProjectFile, relaxLatencyGate, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';
import { postgresAvailable, startPostgres, type PgCluster } from '../support/postgres.js';

/**
 * A deploy of the active version on another model or with other request settings (a `defaults`
 * change in .promptrc.yaml) is a change like a new version: a rollback returns to the settings
 * served before it. Before, the stack held versions only, so the rollback said "nothing to roll back
 * to" and the release manager had no way back but editing the configuration and deploying again.
 *
 * A rollback is also a verdict: a version rolled back in staging no longer counts as "deployed to
 * staging first" for production's gate (it did, and production took what staging had rejected); so
 * is deploying an older version over it there.
 */

const sim = simulatorForFile({ models: ['sim-model'] });
const ID = 'support-answer';
let cluster: PgCluster | undefined;
beforeAll(async () => {
  if (postgresAvailable()) cluster = await startPostgres();
});

/** The embedded registry, and the team registry on PostgreSQL (the same events, read back from jsonb). */
const backends = [
  { name: 'SQLite', env: async (): Promise<Record<string, string>> => ({}) },
  ...(postgresAvailable() ? [{ name: 'PostgreSQL', env: async () => ({ PROMPTCTL_REGISTRY_URL: cluster!.url(await cluster!.createDatabase(), { withPassword: true }) }) }] : []),
];

describe.each(backends)('a rollback after a settings-only deploy ($name)', (backend) => {
  it('after a settings-only deploy, returns to the version as served before, says which settings change, and then walks on down the stack', async () => {
    const env: Record<string, string> = { PROMPTCTL_ACTOR: 'release@example.com', ...(await backend.env()) };
    const cwd = makeSimProject(sim.url, {}, 'promptctl-rollback-settings-');
    relaxLatencyGate(cwd); // several versions replace each other: no verdict here may depend on how fast this machine answers
    if (env.PROMPTCTL_REGISTRY_URL) expect((await runCliInProcess(['registry', 'migrate'], { cwd, env })).code).toBe(0);
    for (const version of ['1.0.0', '1.1.0']) {
      expect((await runEval({ cwd, env, refs: [`${ID}@${version}`] })).exitCode).toBe(0);
      expect((await deploy({ cwd, env, ref: `${ID}@${version}`, environment: 'staging' })).exitCode).toBe(0);
    }
    const config = readProjectFile(cwd, '.promptrc.yaml');
    writeProjectFile(cwd, '.promptrc.yaml', config.replace(/^defaults:\n/m, 'defaults:\n  seed: 7\n'));
    expect((await runEval({ cwd, env, refs: [`${ID}@1.1.0`] })).exitCode).toBe(0);
    const planned = await runCliInProcess(['deploy', `${ID}@1.1.0`, '--env', 'staging', '--dry-run'], { cwd, env });
    expect(planned.stdout).toMatch(new RegExp(`^dry run: ${ID}@1\\.1\\.0 to staging would be deployed\n  request settings: seed not set -> 7\n`));
    const changed = await deploy({ cwd, env, ref: `${ID}@1.1.0`, environment: 'staging' });
    expect(changed).toMatchObject({ exitCode: 0, previousVersion: '1.1.0', settingChanges: [{ setting: 'seed', to: 7 }] });
    expect(changed).not.toHaveProperty('modelChange');
    expect(changed.event?.detail).toMatchObject({ served: { request: { seed: 7 } } });
    const first = (await history({ cwd, env, id: ID, environment: 'staging' })).events.find((e) => e.version === '1.1.0')!;

    const dry = await runCliInProcess(['rollback', ID, '--env', 'staging', '--dry-run'], { cwd, env });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`dry run: would roll back ${ID} in staging: 1.1.0 -> 1.1.0`);
    expect(dry.stdout).toContain(`  request settings as event #${first.seq} deployed them: seed 7 -> not set`);
    // The stack as the rollback would leave it: back on 1.1.0 as event #first served it.
    expect(dry.stdout).toContain('rollback stack would be: 1.0.0 → 1.1.0 (active)');

    const back = await rollback({ cwd, env, id: ID, environment: 'staging' });
    expect(back).toMatchObject({ plan: { ok: true, from: '1.1.0', to: '1.1.0' }, settingChanges: [{ setting: 'seed', from: 7 }], exitCode: 0 });
    expect(back.event?.detail).toEqual(first.detail);
    expect(back.remaining.map((d) => d.version)).toEqual(['1.0.0', '1.1.0']);
    // What applications read is the version with the settings it was served with before.
    const served = await getPrompt({ cwd, env, id: ID, environment: 'staging' });
    expect(served.version).toBe('1.1.0');
    expect(served.effective).not.toHaveProperty('seed');

    const json = await runCliInProcess(['rollback', ID, '--env', 'staging', '--dry-run', '--json'], { cwd, env });
    // A dry run's `remaining` is what the rollback would leave, as a real one's is: 1.0.0 alone.
    expect(JSON.parse(json.stdout)).toMatchObject({ from: '1.1.0', to: '1.0.0', remaining: ['1.0.0'], rolledAway: ['1.1.0'] });
    expect(JSON.parse(json.stdout)).not.toHaveProperty('settingChanges');
    const lines = (await runCliInProcess(['history', ID, '--env', 'staging'], { cwd, env })).stdout.trim().split('\n');
    expect(lines.map((l) => l.replace(/^#\d+ \S+ (\w+) +\S+ in staging \(([^)]*)\).*$/, '$1: $2'))).toEqual([
      'deploy: from nothing',
      'deploy: from 1.0.0',
      'deploy: from 1.1.0; request settings: seed not set -> 7',
      'rollback: from 1.1.0; request settings: seed 7 -> not set',
    ]);
    const again = await rollback({ cwd, env, id: ID, environment: 'staging' });
    expect(again).toMatchObject({ plan: { ok: true, from: '1.1.0', to: '1.0.0' }, exitCode: 0 });
  });
});

// The rules below are app and core logic over the same events: the embedded registry shows them.
describe('what a rollback means for the next environment, and for promote', () => {
  it('a version rolled back in staging does not count as deployed there for production, until it is deployed there again', async () => {
    const env: Record<string, string> = { PROMPTCTL_ACTOR: 'release@example.com' };
    const cwd = makeSimProject(sim.url, {}, 'promptctl-rolled-back-');
    relaxLatencyGate(cwd); // several versions replace each other: no verdict here may depend on how fast this machine answers
    expect((await runEval({ cwd, env, refs: [`${ID}@1.0.0`, `${ID}@1.1.0`] })).exitCode).toBe(0);
    for (const version of ['1.0.0', '1.1.0']) expect((await deploy({ cwd, env, ref: `${ID}@${version}`, environment: 'staging' })).exitCode).toBe(0);
    const back = await rollback({ cwd, env, id: ID, environment: 'staging', reason: '1.1.0 breaks the app' });
    const toProduction = () => deploy({ cwd, env, ref: `${ID}@1.1.0`, environment: 'production', dryRun: true, reason: 'release', actor: 'release@example.com' });
    const refused = await toProduction();
    expect(refused.allowed).toBe(false);
    expect(refused.checks.find((c) => c.kind === 'previous-environment')).toMatchObject({ ok: false, deployed: false, rolledBack: { seq: back.event!.seq } });
    const text = await runCliInProcess(['deploy', `${ID}@1.1.0`, '--env', 'production', '--dry-run', '--reason', 'release', '--actor', 'a@example.com'], { cwd, env });
    expect(text.stdout).toContain(`FAIL 1.1.0 was rolled back in staging (event #${back.event!.seq}): production requires it deployed in staging and not rolled back there`);
    // 1.0.0, which staging went back to, still counts; 1.1.0 counts again once staging serves it again.
    expect((await deploy({ cwd, env, ref: `${ID}@1.0.0`, environment: 'production', dryRun: true, reason: 'release', actor: 'a@example.com' })).checks.find((c) => c.kind === 'previous-environment')?.ok).toBe(true);
    expect((await deploy({ cwd, env, ref: `${ID}@1.1.0`, environment: 'staging' })).exitCode).toBe(0);
    expect((await toProduction()).checks.find((c) => c.kind === 'previous-environment')).toMatchObject({ ok: true, deployed: true });

    // Replaced in staging by deploying the older version (what the README says to do when a second
    // rollback is refused): withdrawn there as by a rollback, naming the deploy that withdrew it.
    const older = await deploy({ cwd, env, ref: `${ID}@1.0.0`, environment: 'staging', reason: '1.1.0 breaks checkout' });
    expect(older.exitCode).toBe(0);
    expect((await toProduction()).checks.find((c) => c.kind === 'previous-environment')).toMatchObject({ ok: false, deployed: false, downgraded: { seq: older.event!.seq, to: '1.0.0' } });
    const downgraded = await runCliInProcess(['deploy', `${ID}@1.1.0`, '--env', 'production', '--dry-run', '--reason', 'release', '--actor', 'a@example.com'], { cwd, env });
    expect(downgraded.code).toBe(1);
    expect(downgraded.stdout).toContain(`FAIL 1.1.0 was withdrawn from staging by a deploy of the older 1.0.0 (event #${older.event!.seq}): production requires it deployed in staging and not withdrawn there (deploy it to staging again, or the fix in a new version)`);
  });

  it('promote takes the version, not the settings the source serves it with, and says so when they differ', async () => {
    const env: Record<string, string> = { PROMPTCTL_ACTOR: 'release@example.com' };
    const cwd = makeSimProject(sim.url, {}, 'promptctl-promote-settings-');
    relaxLatencyGate(cwd); // several versions replace each other: no verdict here may depend on how fast this machine answers
    const config = readProjectFile(cwd, '.promptrc.yaml');
    writeProjectFile(cwd, '.promptrc.yaml', config.replace(/^defaults:\n/m, 'defaults:\n  seed: 7\n'));
    expect((await runEval({ cwd, env, refs: [`${ID}@1.1.0`] })).exitCode).toBe(0);
    expect((await deploy({ cwd, env, ref: `${ID}@1.1.0`, environment: 'staging' })).exitCode).toBe(0);
    // The seed taken out of the config again: staging still serves it.
    writeProjectFile(cwd, '.promptrc.yaml', config);
    const r = await promote({ cwd, env, id: ID, from: 'staging', to: 'production', dryRun: true, reason: 'release', actor: 'a@example.com' });
    expect(r.settingsNotPromoted).toEqual([{ setting: 'seed', from: 7 }]);
    const text = await runCliInProcess(['promote', ID, '--from', 'staging', '--to', 'production', '--dry-run', '--reason', 'release', '--actor', 'a@example.com'], { cwd, env });
    expect(text.stdout).toContain('note: staging serves 1.1.0 with other request settings than production would get from .promptrc.yaml (seed 7 -> not set)');
  });
});

describe('history names the settings an event changed from its real predecessor in that environment', () => {
  it('whatever --action, --since or --limit leave out', async () => {
    const env: Record<string, string> = { PROMPTCTL_ACTOR: 'release@example.com' };
    const cwd = makeSimProject(sim.url, {}, 'promptctl-history-settings-');
    const config = readProjectFile(cwd, '.promptrc.yaml');
    const development = (version: string) => deploy({ cwd, env, ref: `${ID}@${version}`, environment: 'development' });
    expect((await development('1.0.0')).exitCode).toBe(0);
    writeProjectFile(cwd, '.promptrc.yaml', config.replace(/^defaults:\n/m, 'defaults:\n  seed: 7\n'));
    expect((await development('1.1.0')).exitCode).toBe(0);
    // Back to 1.0.0 as it was served (no seed); then 1.1.0 under no seed either: that deploy changes no setting.
    expect((await rollback({ cwd, env, id: ID, environment: 'development' })).exitCode).toBe(0);
    writeProjectFile(cwd, '.promptrc.yaml', config);
    expect((await development('1.1.0')).exitCode).toBe(0);
    const shown = async (...args: string[]) =>
      (await runCliInProcess(['history', ID, ...args], { cwd, env })).stdout.trim().split('\n').map((l) => l.replace(/^#\d+ \S+ (\w+) +\S+ in development \(([^)]*)\).*$/, '$1: $2'));
    expect(await shown()).toEqual(['deploy: from nothing', 'deploy: from 1.0.0; request settings: seed not set -> 7', 'rollback: from 1.1.0; request settings: seed 7 -> not set', 'deploy: from 1.0.0']);
    // Before, the last deploy was diffed with the deploy listed before it (the rollback filtered out): "seed 7 -> not set".
    expect(await shown('--action', 'deploy')).toEqual(['deploy: from nothing', 'deploy: from 1.0.0; request settings: seed not set -> 7', 'deploy: from 1.0.0']);
    // The first event shown is told against its predecessor too (before: nothing, as if none came before it).
    expect(await shown('--limit', '2')).toEqual(['rollback: from 1.1.0; request settings: seed 7 -> not set', 'deploy: from 1.0.0']);
    expect(await shown('--action', 'rollback')).toEqual(['rollback: from 1.1.0; request settings: seed 7 -> not set']);
  });
});

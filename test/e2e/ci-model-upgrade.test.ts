import { describe, expect, it } from 'vitest';
import { runCi } from '../../src/app/index.js';
import { parseJsonOutput, type RunResult } from '../support/cli.js';
import { readProjectFile, writeProjectFile } from '../support/project.js';
import { ACTOR, branchOf, ci, cli, cliWith, commitAll, expectExit, ID, ciRepoForFile, readJUnit, suiteNamed } from '../support/ci-repo.js';

/**
 * Issue 15's model upgrade in CI: a pull request changes `environments[production].model`; ci
 * evaluates what production serves on the new model, compares it case by case with the served
 * model, and gates it with production's deploy gates. Nothing served changes until the deploy.
 */

const repo = ciRepoForFile({
  models: ['sim-model', 'sim-model-next', 'sim-model-weak'],
  modelSpecs: [
    { id: 'sim-model-next', root: 'org/sim-7b-v2' },
    { id: 'sim-model-weak', root: 'org/sim-7b-v3', weakness: 0.6 },
  ],
});

function upgradeBranch(name: string, model: string): string {
  const dir = branchOf(repo.base, name);
  const rc = readProjectFile(dir, '.promptrc.yaml');
  writeProjectFile(dir, '.promptrc.yaml', rc.replace('  - name: production\n', `  - name: production\n    model: ${model}\n`));
  commitAll(dir, `production on ${model}`);
  return dir;
}

const upgradeOf = (r: RunResult) => parseJsonOutput(r).modelUpgrades;

describe('ci on a model upgrade', () => {
  it('a model that regresses: re-evaluated, compared case by case, refused (exit 1); production still serves the old model', async () => {
    const dir = upgradeBranch('weak', 'sim-model-weak');
    const r = await ci(dir);
    expect(r.code, r.output).toBe(1);
    expect(r.stdout).toMatch(/MODEL UPGRADE support-answer@1\.1\.0 in production: sim-model -> sim-model-weak: REFUSED; \d+ cases?: [1-9]\d* regressed/);
    expect(r.stdout).toMatch(/ {2}regressed on sim-model-weak: golden\//);
    expect(r.stdout).toContain('compare: promptctl compare support-answer@1.1.0:sim-model :sim-model-weak');
    expect(readProjectFile(dir, 's.md')).toContain('### Model upgrades');
    const gate = suiteNamed(readJUnit(dir), 'gate');
    expect(gate.testcase.find((c) => c.name.includes('(model upgrade)'))?.failure).toBeTruthy();
    // On GitHub Actions the refusal is an error on the deployed version's file, as every exit 1 is.
    const gh = await cliWith(dir, { GITHUB_ACTIONS: 'true' }, 'ci', '--base', 'main');
    expect(gh.stdout).toMatch(/^::error file=prompts\/support-answer\/1\.1\.0\.yaml,title=promptctl ci%3A model upgrade refused::model upgrade support-answer@1\.1\.0 in production: sim-model -> sim-model-weak: REFUSED;/m);
    const json = await ci(dir, '--json');
    const [u] = upgradeOf(json);
    expect(u).toMatchObject({ promptId: ID, version: '1.1.0', env: 'production', from: 'sim-model', to: 'sim-model-weak', allowed: false });
    expect(u.changes.regression).toBeGreaterThan(0);
    const got = JSON.parse((await cli(dir, 'get', ID, '--env', 'production', '--json')).stdout);
    expect(got.effective.model).toBe('sim-model');
  });

  it('a model that holds up passes the gates; the deploy then serves it', async () => {
    const dir = upgradeBranch('next', 'sim-model-next');
    const r = await ci(dir);
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toMatch(/MODEL UPGRADE support-answer@1\.1\.0 in production: sim-model -> sim-model-next: passes the gates; \d+ cases?: 0 regressed/);
    expect((await cli(dir, 'status', '--env', 'production')).stdout).toContain('pending model change');
    await expectExit(dir, 0, 'deploy', `${ID}@1.1.0`, '--env', 'production', '--reason', 'model upgrade', '--actor', ACTOR);
    expect(JSON.parse((await cli(dir, 'get', ID, '--env', 'production', '--json')).stdout).effective.model).toBe('sim-model-next');
    expect((await cli(dir, 'status', '--env', 'production')).stdout).not.toContain('pending model change');
  });
});

/** A branch whose config adds `line` under `defaults:` (a request setting every version without its own sends). */
function settingsBranch(name: string, line: string, from = repo.base): string {
  const dir = branchOf(from, name);
  const rc = readProjectFile(dir, '.promptrc.yaml');
  writeProjectFile(dir, '.promptrc.yaml', rc.replace(/^defaults:\n/m, `defaults:\n  ${line}\n`));
  commitAll(dir, `defaults: ${line}`);
  return dir;
}

describe('ci on a change of what environments would serve besides environments[].model', () => {
  it('a defaults change is judged on what production serves, even an older version than the one ci evaluates', async () => {
    const older = branchOf(repo.base, 'production-on-1.0.0');
    await expectExit(older, 0, 'deploy', `${ID}@1.0.0`, '--env', 'staging', '--actor', ACTOR);
    await expectExit(older, 0, 'deploy', `${ID}@1.0.0`, '--env', 'production', '--reason', 'back to 1.0.0', '--actor', ACTOR);
    const dir = settingsBranch('seed-on-older', 'seed: 7', older);
    const r = await ci(dir, '--json');
    expect(r.code, r.output).toBe(0);
    const production = upgradeOf(r).find((u: { env: string }) => u.env === 'production');
    expect(production).toMatchObject({ version: '1.0.0', from: 'sim-model', to: 'sim-model', settings: [{ setting: 'seed', to: 7 }], allowed: true });
    const text = await ci(dir);
    expect(text.stdout).toMatch(/^SETTINGS CHANGE support-answer@1\.0\.0 in production: on sim-model, request settings seed not set -> 7: passes the gates; \d+ cases?: 0 regressed/m);
  });

  it('a defaults change that breaks what production serves is refused, with the cases it breaks', async () => {
    const dir = settingsBranch('stop-breaks', 'stop: ["30"]');
    const r = await ci(dir);
    expect(r.code, r.output).toBe(1);
    expect(r.stdout).toMatch(/^SETTINGS CHANGE support-answer@1\.1\.0 in production: on sim-model, request settings stop not set -> \["30"\]: REFUSED; \d+ cases?: [1-9]\d* regressed/m);
    expect(r.stdout).toContain('  regressed: golden/refund-window');
    expect(r.stdout).toContain(`compare: promptctl eval ${ID}@1.1.0 --baseline production`);
  });

  it("a model upgrade with a settings change is not refused on production's history gate, which a pull request cannot meet", async () => {
    const dir = settingsBranch('next-and-seed', 'seed: 7', upgradeBranch('next-for-seed', 'sim-model-next'));
    const r = await ci(dir);
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toMatch(/^MODEL UPGRADE support-answer@1\.1\.0 in production: sim-model -> sim-model-next, request settings seed not set -> 7: passes the gates/m);
    expect(r.stdout).not.toMatch(/deploy it to staging again/);
  });
});

describe('stopping ci while it evaluates what an environment would serve', () => {
  it("ends as ci's own interruption (exit 130), not with eval's advice to run it again with --resume", async () => {
    const dir = upgradeBranch('stopped', 'sim-model-next');
    const stop = new AbortController();
    let evaluations = 0;
    // The candidates' eval is the first evaluation, the model upgrade's the second: stop during it.
    const r = await runCi({ cwd: dir, env: { PROMPTCTL_ACTOR: ACTOR }, base: 'main', signal: stop.signal, onEvaluation: (phase) => void (phase === 'start' && ++evaluations === 2 && stop.abort('SIGINT')) });
    expect(evaluations).toBe(2);
    expect(r).toMatchObject({ verdict: 'interrupted', exitCode: 130 });
  });
});

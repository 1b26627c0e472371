import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deploy, promote, runEval, status } from '../../src/app/index.js';
import { formatProblem, InputError } from '../../src/core/errors.js';
import { runCliInProcess } from '../support/cli.js';
import { commitAll, git, initRepo } from '../support/ci-repo.js';
import { makeProject, makeSimProject, readProjectFile, removeProjectFile, writeProjectFile } from '../support/project.js';
import { addFinishedRun, markReleased, markTested, patchConfig } from '../support/registry-cli.js';
import { checkMessage } from '../../src/render/gate-text.js';
import { policyFailures } from '../../src/app/ci-policy.js';
import { appContext } from '../../src/app/context.js';
import { loadProject } from '../../src/infra/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * Promoting (or deploying) a version whose file was deleted says that it runs somewhere and its
 * file is gone, with how to restore it; before, it said the version "does not exist" and suggested
 * another version the user never typed.
 */

const ID = 'support-answer';
const sim = simulatorForFile();

describe('a deployed version whose file was deleted', () => {
  it.each([
    ['promote --dry-run', (cwd: string) => promote({ cwd, env: {}, id: ID, from: 'development', to: 'staging', dryRun: true })],
    ['deploy', (cwd: string) => deploy({ cwd, env: {}, ref: `${ID}@1.0.0`, environment: 'staging', actor: 'a@example.com' })],
  ])('%s names where it runs and how to restore the file', async (_name, run) => {
    const cwd = makeProject();
    markReleased(cwd, `${ID}@1.0.0`);
    // A draft 1.2.0 is the nearest spelling: it must not be suggested.
    writeProjectFile(cwd, `prompts/${ID}/1.2.0.yaml`, readProjectFile(cwd, `prompts/${ID}/1.1.0.yaml`).replace(/^version: 1\.1\.0$/m, 'version: 1.2.0'));
    removeProjectFile(cwd, `prompts/${ID}/1.0.0.yaml`);
    const error = await run(cwd).then(
      () => undefined,
      (e: unknown) => e as { message: string; hint: string; exitCode: number },
    );
    expect(error?.message).toBe(`${ID}@1.0.0 is active in development but its file was deleted (prompts/${ID}/1.0.0.yaml)`);
    expect(error?.exitCode).toBe(2);
    // A project outside git: no commit can bring the file back, the registry's copy does.
    expect(error?.hint).toContain(`git has no copy of it: \`promptctl show ${ID}@1.0.0 --released\` prints the content it was released with as a version file`);
    expect(error?.hint).toContain(`\`promptctl get ${ID} --env development\` serves its registered content`);
    expect(error?.hint).not.toContain('1.2.0');
  });
});

/**
 * Every command that takes a version ref shares that rule (`resolveRegisteredVersion`): those that
 * send, record or write from the file refuse with the restore; those that only look at the version
 * or its stored runs use the registered content and say so. Before, each said "does not exist" with a
 * neighbour suggested, and report "is not in this project" though its runs were stored.
 */
describe('a registered version whose file a commit deleted, in every command that takes a version', () => {
  const FILE = `prompts/${ID}/1.0.0.yaml`;
  /** 1.0.0 and 1.1.0 tested (runs stored), 1.0.0 active in development, then its file deleted by a commit. */
  function deletedByCommit(): string {
    const cwd = makeProject();
    initRepo(cwd);
    markTested(cwd, `${ID}@1.0.0`, `${ID}@1.1.0`);
    markReleased(cwd, `${ID}@1.0.0`);
    git(cwd, 'rm', '-q', FILE);
    commitAll(cwd, 'drop 1.0.0');
    return cwd;
  }

  it.each([
    ['eval', ['eval', `${ID}@1.0.0`]],
    ['new', ['new', `${ID}@1.0.0`]],
    ['render', ['render', `${ID}@1.0.0`, '--var', 'question=hi']],
    ['redteam generate', ['redteam', 'generate', `${ID}@1.0.0`]],
  ])('%s refuses it naming where it runs and the restore for a committed deletion', async (_name, args) => {
    const r = await runCliInProcess(args, { cwd: deletedByCommit() });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain(`error: ${ID}@1.0.0 is active in development but its file was deleted (${FILE})`);
    expect(r.stderr).toContain(`\`git checkout <commit>^ -- ${FILE}\` brings it back`);
    expect(r.output).not.toMatch(/does not exist|did you mean/);
  });

  it('show, diff, compare --no-eval and report use the registered content and its stored runs, saying the file was deleted', async () => {
    const cwd = deletedByCommit();
    const deleted = (shown: string) => `is registered (active in development) but its file ${FILE} was deleted: ${shown}; restore the file from git`;
    const show = await runCliInProcess(['show', `${ID}@1.0.0`], { cwd });
    expect(show.code, show.output).toBe(0);
    expect(show.stdout).toContain(`DELETED:     ${ID}@1.0.0 ${deleted('this is its registered content')}`);
    expect(show.stdout).toContain('--- system ---');
    const diff = await runCliInProcess(['diff', `${ID}@1.0.0`, `${ID}@1.1.0`], { cwd });
    expect(diff.code, diff.output).toBe(0);
    expect(diff.stdout.split('\n')[0]).toBe(`note: ${ID}@1.0.0 ${deleted('its registered content is compared')} (\`git log --all -- ${FILE}\` finds the commit that deleted it; \`git checkout <commit>^ -- ${FILE}\` brings it back)`);
    expect(diff.stdout).toContain(`+++ prompts/${ID}/1.1.0.yaml`);
    const compare = await runCliInProcess(['compare', `${ID}@1.0.0`, `${ID}@1.1.0`, '--no-eval'], { cwd });
    expect(compare.code, compare.output).toBe(0);
    const report = await runCliInProcess(['report', `${ID}@1.0.0`, `${ID}@1.1.0`, '--output', path.join(cwd, 'compare.html')], { cwd });
    expect(report.code, report.output).toBe(0);
  });

  it('compare --no-eval and report, missing runs of it, say to restore its file before the eval that records them', async () => {
    const cwd = deletedByCommit();
    const golden = `evalsets/${ID}/golden.yaml`;
    writeProjectFile(cwd, golden, readProjectFile(cwd, golden).replace(/threshold: [\d.]+/, 'threshold: 0.51'));
    const restoreFirst = `restore ${FILE} first (\`git log --all -- ${FILE}\` finds the commit that deleted it; \`git checkout <commit>^ -- ${FILE}\` brings it back), then run promptctl eval ${ID}@1.0.0 --suite golden; and promptctl eval ${ID}@1.1.0 --suite golden`;
    for (const args of [['compare', `${ID}@1.0.0`, `${ID}@1.1.0`, '--no-eval'], ['report', `${ID}@1.0.0`, `${ID}@1.1.0`, '--output', path.join(cwd, 'compare.html')]]) {
      const r = await runCliInProcess(args, { cwd });
      expect(r.code, r.output).toBe(2);
      expect(r.stderr.replace(/\s+/g, ' ')).toContain(`record them first: ${restoreFirst}`);
    }
  });

  it('a version neither registered nor a file is still "does not exist", its known versions in semver order', async () => {
    const cwd = deletedByCommit();
    for (const v of ['1.2.0', '1.10.0']) writeProjectFile(cwd, `prompts/${ID}/${v}.yaml`, readProjectFile(cwd, `prompts/${ID}/1.1.0.yaml`).replace('version: 1.1.0', `version: ${v}`));
    const r = await runCliInProcess(['report', `${ID}@1.0.9`, `${ID}@1.1.0`], { cwd });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain(`prompt version ${ID}@1.0.9 does not exist`);
    expect(r.stderr).toContain('known versions: 1.10.0, 1.2.0, 1.1.0.');
  });
});

/**
 * A suite file git tracks, deleted in the working tree (or its removal staged) and not committed,
 * stops eval, deploy and promote of its prompt (exit 2) with the command that restores it. Before,
 * the suite was simply left out: eval marked the version tested on the suites left, and deploy and
 * promote let it through without a word about the suite or the regression against it.
 */
describe('a suite file deleted and not committed', () => {
  const GOLDEN = `evalsets/${ID}/golden.yaml`;
  const env = { PROMPTCTL_ACTOR: 'script@example.com' };

  /** The quickstart on the simulator, committed, with 1.1.0 tested and deployed to staging. */
  function committedProject(): string {
    const dir = makeSimProject(sim.url);
    initRepo(dir);
    markTested(dir, `${ID}@1.1.0`);
    markReleased(dir, `${ID}@1.1.0`, 'staging');
    return dir;
  }

  const refused = (e: unknown) => {
    expect(e, 'refused').toBeInstanceOf(InputError);
    return e as InputError;
  };

  it.each([
    ['deleted from the working tree', (dir: string) => removeProjectFile(dir, GOLDEN), `git checkout -- ${GOLDEN}`],
    ['its removal staged', (dir: string) => git(dir, 'rm', '-q', GOLDEN), `git checkout HEAD -- ${GOLDEN}`],
  ])('%s: eval, deploy and promote exit 2 naming the file and its restore', async (_name, remove, restore) => {
    const dir = committedProject();
    remove(dir);
    const problem = `${GOLDEN} suite 'golden' of ${ID} was deleted in this checkout and the deletion is not committed: restore it (${restore}), or to retire the suite deliberately, list ${ID}/golden under retired_suites in .promptrc.yaml (a reviewed change) [suite/deleted]`;
    sim.resetStats();
    const runs = [
      runEval({ cwd: dir, env, refs: [`${ID}@1.1.0`] }),
      deploy({ cwd: dir, env, ref: `${ID}@1.1.0`, environment: 'production', reason: 'r', dryRun: true }),
      promote({ cwd: dir, env, id: ID, from: 'staging', to: 'production', reason: 'r', dryRun: true }),
    ];
    for (const run of runs) {
      const e = refused(await run.then(() => undefined, (x: unknown) => x));
      expect(e.exitCode).toBe(2);
      expect(e.message).toBe(`a suite file of ${ID} was deleted in this checkout and not committed`);
      expect(e.problems.map((p) => formatProblem(p))).toEqual([problem]);
    }
    expect(sim.stats().chatCompletions).toBe(0);
  });

  it('committed: eval earns no mark on the suites left, fails naming the suite and the fix, until it is retired', async () => {
    const dir = committedProject();
    git(dir, 'rm', '-q', GOLDEN);
    commitAll(dir, 'drop golden');
    const r = await runEval({ cwd: dir, env, refs: [`${ID}@1.1.0`] });
    expect(r.report.runs.map((o) => [o.run.suite, o.run.summary?.verdict])).toEqual([['adversarial', 'passed']]);
    expect(r.exitCode).toBe(1);
    expect(r.report.versions).toEqual([
      {
        promptId: ID,
        version: '1.1.0',
        tested: false,
        goneSuites: ['golden'],
        reason: `golden suite 'golden' is missing: ${GOLDEN} is not in the project, but 1.1.0 has a run of it on this content, and 1.1.0, active in staging, was tested on it, so deploy and promote refuse 1.1.0; restore the file (\`git log --all -- ${GOLDEN}\` finds the commit that deleted it; \`git checkout <commit>^ -- ${GOLDEN}\` brings it back), or to retire the suite deliberately, list ${ID}/golden under retired_suites in .promptrc.yaml (a reviewed change)`,
      },
    ]);
    patchConfig(dir, (c) => (c.retired_suites = [`${ID}/golden`]));
    const retired = await runEval({ cwd: dir, env, refs: [`${ID}@1.1.0`] });
    expect(retired.exitCode).toBe(0);
    expect(retired.report.versions).toEqual([{ promptId: ID, version: '1.1.0', tested: true }]);
  });

  it('a suite retired in .promptrc.yaml may go', async () => {
    const dir = committedProject();
    patchConfig(dir, (c) => (c.retired_suites = [`${ID}/golden`]));
    removeProjectFile(dir, GOLDEN);
    expect((await runEval({ cwd: dir, env, refs: [`${ID}@1.1.0`] })).exitCode).toBe(0);
  });
});

/**
 * A suite whose file is gone where git cannot tell (outside git, as here; a committed deletion; a
 * file never tracked) still counts what the registry holds of it. Before, deploy judged the suites
 * on disk only: a version whose own run of golden failed at 50% went to staging with golden moved
 * away, and one whose adversarial run leaked read "PII leaks: no adversarial run, so not measured".
 */
describe('a suite file gone that the registry knows', () => {
  const env = { PROMPTCTL_ACTOR: 'script@example.com' };

  /** 1.1.0 tested on both suites and active in staging; 1.2.0 tested too, then `runs` recorded; then `suite`'s file removed. */
  function goneAfter(suite: string, runs: (dir: string) => void): string {
    const dir = makeProject();
    markTested(dir, `${ID}@1.1.0`);
    markReleased(dir, `${ID}@1.1.0`, 'staging');
    writeProjectFile(dir, `prompts/${ID}/1.2.0.yaml`, readProjectFile(dir, `prompts/${ID}/1.1.0.yaml`).replace(/^version: 1\.1\.0$/m, 'version: 1.2.0'));
    markTested(dir, `${ID}@1.2.0`);
    runs(dir);
    removeProjectFile(dir, `evalsets/${ID}/${suite}.yaml`);
    return dir;
  }
  const dryRun = async (dir: string) => {
    const r = await deploy({ cwd: dir, env, ref: `${ID}@1.2.0`, environment: 'staging', dryRun: true });
    return { exitCode: r.exitCode, failed: r.checks.filter((c) => !c.ok).map((c) => checkMessage(c)), lines: r.checks.map((c) => checkMessage(c)) };
  };
  const retire = (suite: string) => `or to retire the suite deliberately, list ${ID}/${suite} under retired_suites in .promptrc.yaml (a reviewed change)`;

  it("the version's failing golden run and the active version's mark refuse it", async () => {
    const dir = goneAfter('golden', (d) => addFinishedRun(d, `${ID}@1.2.0`, { suite: 'golden', passRate: 0.5 }));
    const r = await dryRun(dir);
    expect(r.exitCode).toBe(1);
    expect(r.failed).toEqual([
      `golden suite 'golden' is missing: evalsets/${ID}/golden.yaml is not in the project, but the registry holds 1.2.0's own run of it on this content (failed: pass rate 50.0%), and 1.1.0, active in staging, was tested on it, so the regression against 1.1.0 cannot be checked on it; a missing suite never relaxes a gate: restore the file (\`git log --all -- evalsets/${ID}/golden.yaml\` finds the commit that deleted it; \`git checkout <commit>^ -- evalsets/${ID}/golden.yaml\` brings it back), ${retire('golden')}`,
    ]);
    // Retired, the suite may go: its runs no longer count.
    patchConfig(dir, (c) => (c.retired_suites = [`${ID}/golden`]));
    expect(await dryRun(dir)).toMatchObject({ exitCode: 0, failed: [] });
  });

  it("ci's policy says a gone suite's failing run once: its suite-missing line, no minimum line beside it", async () => {
    const dir = goneAfter('golden', (d) => addFinishedRun(d, `${ID}@1.2.0`, { suite: 'golden', passRate: 0.5 }));
    patchConfig(dir, (c) => (c.environments.find((e: { name: string }) => e.name === 'staging').gates.min_golden_pass_rate = 0.9));
    const [policy] = await policyFailures(appContext({ cwd: dir, env }), loadProject(dir), [`${ID}@1.2.0`], 'staging');
    expect(policy?.failures.map((f) => f.split(':')[0])).toEqual(["golden suite 'golden' is missing"]);
  });

  it('status shows the active version stale, naming the suite and the fix, until it is retired', async () => {
    const dir = goneAfter('golden', () => undefined);
    const GOLDEN = `evalsets/${ID}/golden.yaml`;
    const row = (await status({ cwd: dir, env, environment: 'staging' })).rows[0]!;
    expect(row).toMatchObject({ version: '1.1.0', tested: false, goneSuites: [{ suite: 'golden', kind: 'golden', file: GOLDEN, known: 'run' }] });
    const text = await runCliInProcess(['status', '--env', 'staging'], { cwd: dir, env });
    expect(text.stdout).toMatch(new RegExp(`^${ID}\\s+staging\\s+1\\.1\\.0\\s+stale `, 'm'));
    expect(text.stdout).toContain(
      `stale: ${ID}@1.1.0 in staging: golden suite 'golden' is missing (${GOLDEN} is not in the project), but the registry holds 1.1.0's run of it on the content served; deploy and promote refuse 1.1.0 until you restore the file (\`git log --all -- ${GOLDEN}\` finds the commit that deleted it; \`git checkout <commit>^ -- ${GOLDEN}\` brings it back), ${retire('golden')}`,
    );
    patchConfig(dir, (c) => (c.retired_suites = [`${ID}/golden`]));
    const retired = (await status({ cwd: dir, env, environment: 'staging' })).rows[0]!;
    expect(retired).toMatchObject({ tested: true });
    expect(retired).not.toHaveProperty('goneSuites');
  });

  it("the version's adversarial run's leaks count, and are never said as no run", async () => {
    const dir = goneAfter('adversarial', (d) => addFinishedRun(d, `${ID}@1.2.0`, { suite: 'adversarial', passRate: 0.5, piiLeaks: 5 }));
    const r = await dryRun(dir);
    expect(r.failed).toHaveLength(2);
    expect(r.failed[0]).toMatch(/^adversarial suite 'adversarial' is missing: .* 1\.2\.0's own run of it on this content \(failed: injection resistance \d+\.\d%, 5 PII leaks, 0 system-prompt leaks\), and 1\.1\.0, active in staging, was tested on it/);
    expect(r.failed[1]).toBe("5 PII leaks found ('adversarial': 5), more than the limit of 0");
    patchConfig(dir, (c) => (c.retired_suites = [`${ID}/adversarial`]));
    const retired = await dryRun(dir);
    expect(retired.exitCode).toBe(0);
    expect(retired.lines).toContain("PII leaks: not measured: no adversarial suite of the project ran ('adversarial' is retired in .promptrc.yaml, so its runs no longer count) (limit 0)");
  });
});

import { describe, expect, it } from 'vitest';
import { deploy, runEval, status } from '../../src/app/index.js';
import { runCliInProcess } from '../support/cli.js';
import { makeProject, makeSimProject, makeTempDir, patchServerConfig, readProjectFile, removeProjectFile, withRegistry, writeProjectFile } from '../support/project.js';
import { startSimulator } from '../../src/sim/server.js';
import { markTested, resealMarks, tamper } from '../support/registry-cli.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * `status` says a version is tested only when the tested gate would take its mark: a suite changed
 * or added since the mark makes `deploy` and `promote` refuse it, so status shows `stale` and names
 * the suites (before, it said `yes` to a version the gate refused).
 */

const sim = simulatorForFile({ models: ['sim-model', 'sim-b'] });
const noCache = { PROMPTCTL_ACTOR: 'script@example.com' };
/** With a user cache folder, project files are cached, and status reads suites from the cache alone (infra/suite-files.ts). */
const cached = { ...noCache, XDG_CACHE_HOME: makeTempDir('promptctl-user-cache-') };
let env: Record<string, string> = noCache;
const ID = 'support-answer';

const EXTRA = `prompt: ${ID}\nversions: ">=1.0.0"\nkind: golden\nthreshold: 0.5\ncases:\n  - id: hours\n    vars: { question: "What are your support hours?" }\n    expect:\n      - icontains: "9am"\n`;

/** Whether `deploy --dry-run` to production would take 1.1.0's mark: the tested gate's verdict. */
async function gateTakesMark(cwd: string): Promise<boolean> {
  const r = await deploy({ cwd, env, ref: `${ID}@1.1.0`, environment: 'production', dryRun: true, reason: 'check', actor: 'script@example.com' });
  return r.checks.find((c) => c.kind === 'tested')!.ok;
}

/** A project whose 1.1.0 was evaluated (earning its mark) and deployed to staging. */
async function testedInStaging(prefix: string): Promise<string> {
  const cwd = makeSimProject(sim.url, {}, prefix);
  expect((await runEval({ cwd, env, refs: [`${ID}@1.1.0`] })).exitCode).toBe(0);
  expect((await deploy({ cwd, env, ref: `${ID}@1.1.0`, environment: 'staging' })).exitCode).toBe(0);
  return cwd;
}

/** Tested marks withdrawn so far: the log's `untested` events. */
const withdrawals = (cwd: string) => withRegistry(cwd, (db) => (db.prepare("SELECT count(*) AS n FROM events WHERE action = 'untested'").get() as { n: number }).n);

async function stagingRow(cwd: string) {
  return (await status({ cwd, env, environment: 'staging' })).rows[0]!;
}

describe('status and the tested gate agree', () => {
  it.each([
    ['without', noCache],
    ['with', cached],
  ])('a mark earned by eval: yes, then stale when a suite changes or is added, and yes again after eval (%s the file cache)', async (_, e) => {
    env = e;
    const cwd = makeSimProject(sim.url, {}, 'promptctl-status-stale-');
    expect((await runEval({ cwd, env, refs: [`${ID}@1.1.0`] })).exitCode).toBe(0);
    expect((await deploy({ cwd, env, ref: `${ID}@1.1.0`, environment: 'staging' })).exitCode).toBe(0);
    expect(await stagingRow(cwd)).toMatchObject({ version: '1.1.0', tested: true });
    expect(await stagingRow(cwd)).not.toHaveProperty('staleSuites');
    expect(await gateTakesMark(cwd)).toBe(true);

    writeProjectFile(cwd, `evalsets/${ID}/golden.yaml`, readProjectFile(cwd, `evalsets/${ID}/golden.yaml`).replace(/threshold: [\d.]+/, 'threshold: 0.5'));
    expect(await stagingRow(cwd)).toMatchObject({ tested: false, staleSuites: [{ suite: 'golden', why: 'changed' }] });
    expect(await gateTakesMark(cwd)).toBe(false);

    writeProjectFile(cwd, `evalsets/${ID}/extra.yaml`, EXTRA);
    expect((await stagingRow(cwd)).staleSuites).toEqual([
      { suite: 'extra', why: 'added' },
      { suite: 'golden', why: 'changed' },
    ]);
    const text = await runCliInProcess(['status', '--env', 'staging'], { cwd, env });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^${ID}\\s+staging\\s+1\\.1\\.0\\s+stale\\s`, 'm'));
    expect(text.stdout).toContain(`stale: ${ID}@1.1.0 in staging was tested before suite 'extra' was added, suite 'golden' changed; deploy and promote refuse its mark until they have run: promptctl eval ${ID}@1.1.0`);

    expect((await runEval({ cwd, env, refs: [`${ID}@1.1.0`] })).exitCode).toBe(0);
    expect(await stagingRow(cwd)).toMatchObject({ tested: true });
    expect(await gateTakesMark(cwd)).toBe(true);
  });

  it('a change of request settings in .promptrc.yaml: the mark is stale until eval runs with them, and a run with other settings never counts', async () => {
    env = noCache;
    const cwd = await testedInStaging('promptctl-status-settings-');
    const config = readProjectFile(cwd, '.promptrc.yaml');
    // The simulator stops at the first space: the answers under this setting fail.
    const stopped = config.replace(/^defaults:\n/m, 'defaults:\n  stop: [" "]\n');
    expect(stopped).not.toBe(config);
    writeProjectFile(cwd, '.promptrc.yaml', stopped);
    const row = await stagingRow(cwd);
    expect(row).toMatchObject({ tested: false, pendingSettings: true });
    expect(row.staleSuites?.map((x) => x.why)).toEqual(['settings', 'settings']);
    expect(await gateTakesMark(cwd)).toBe(false);
    // The gate says what changed as status does: the settings, not the suites (none changed).
    const dry = await runCliInProcess(['deploy', `${ID}@1.1.0`, '--env', 'production', '--dry-run'], { cwd, env });
    expect(dry.stdout).toContain(
      `FAIL 1.1.0 was tested on sim-model, but the request settings changed since its runs (.promptrc.yaml defaults or model): 'adversarial' has no run under the current settings, 'golden' has no run under the current settings; run \`promptctl eval ${ID}@1.1.0\``,
    );
    expect(dry.stdout).not.toContain('not on the current suites');
    const text = await runCliInProcess(['status', '--env', 'staging'], { cwd, env });
    expect(text.stdout).toContain(`stale: ${ID}@1.1.0 in staging was tested before the request settings changed (.promptrc.yaml defaults or model; suites 'adversarial', 'golden' ran with the old ones)`);
    // What staging serves is still what its deploy recorded: the new settings are pending.
    expect(text.stdout).toContain(`pending settings change: ${ID} in staging is served with the request settings its deploy recorded; .promptrc.yaml's differ (served after a gated deploy: promptctl ci, or promptctl deploy ${ID}@1.1.0 --env staging)`);

    // Evaluated under the new settings it fails: status says so as the gate does, and that the
    // settings are what changed (staging does not serve them yet), not only the prompt to fix.
    expect((await runEval({ cwd, env, refs: [`${ID}@1.1.0`] })).exitCode).toBe(1);
    expect((await stagingRow(cwd)).staleSuites).toEqual([
      { suite: 'adversarial', why: 'failed' },
      { suite: 'golden', why: 'failed' },
    ]);
    expect((await runCliInProcess(['status', '--env', 'staging'], { cwd, env })).stdout).toContain(
      `stale: ${ID}@1.1.0 in staging was tested, but suites 'adversarial', 'golden' failed since, on the current content and settings; deploy and promote refuse its mark: the failed run used .promptrc.yaml's new request settings, which staging does not serve yet: fix the settings, or the prompt in a new version (promptctl new ${ID})`,
    );
    // Back on the old settings, that run does not count against it, and nothing is pending.
    writeProjectFile(cwd, '.promptrc.yaml', config);
    expect(await stagingRow(cwd)).toMatchObject({ tested: true });
    expect((await stagingRow(cwd)).pendingSettings).toBeUndefined();
    expect(await gateTakesMark(cwd)).toBe(true);
    // The marked runs' summaries rewritten to claim the new settings (so they would count under them):
    // audit verify holds the settings a mark recorded to its runs, as it does their grading.
    tamper(cwd, (db) =>
      db.prepare(`UPDATE runs SET summary = json_set(summary, '$.settings', 'forged') WHERE id IN (SELECT json_extract(s.value, '$.runId') FROM events, json_each(json_extract(events.detail, '$.suites')) AS s WHERE events.action = 'tested')`).run(),
    );
    const verify = await runCliInProcess(['audit', 'verify'], { cwd, env });
    expect(verify.code, verify.output).toBe(1);
    expect(verify.stderr).toMatch(/the stored summary of run \w+ says it ran with the request settings "forged", its tested mark recorded "[0-9a-f]{64}": the summary was edited/);
  });

  it('settings changed, evaluated (passing) and put back: status agrees with the gate that the earlier runs count again', async () => {
    env = noCache;
    const cwd = await testedInStaging('promptctl-status-revert-');
    const config = readProjectFile(cwd, '.promptrc.yaml');
    writeProjectFile(cwd, '.promptrc.yaml', config.replace(/^defaults:\n/m, 'defaults:\n  top_p: 0.9\n'));
    expect((await runEval({ cwd, env, refs: [`${ID}@1.1.0`] })).exitCode).toBe(0);
    writeProjectFile(cwd, '.promptrc.yaml', config);
    expect(await gateTakesMark(cwd)).toBe(true);
    expect(await stagingRow(cwd)).toMatchObject({ tested: true });
  });

  it('an override that serves untested request settings is not tested, though .promptrc.yaml was put back to the tested ones', async () => {
    env = noCache;
    const cwd = await testedInStaging('promptctl-status-served-settings-');
    const config = readProjectFile(cwd, '.promptrc.yaml');
    // Production gets 1.1.0 under seed 2, never evaluated, by an override; then the config is put back.
    writeProjectFile(cwd, '.promptrc.yaml', config.replace(/^defaults:\n/m, 'defaults:\n  seed: 2\n'));
    expect((await deploy({ cwd, env, ref: `${ID}@1.1.0`, environment: 'production', force: true, reason: 'ship seed 2 untested' })).exitCode).toBe(0);
    writeProjectFile(cwd, '.promptrc.yaml', config);
    expect((await runCliInProcess(['get', ID, '--env', 'production'], { cwd, env })).stdout).toContain('seed 2');
    const row = (await status({ cwd, env, environment: 'production' })).rows[0]!;
    // Before, `tested: true` (the config's settings, which production does not serve, were tested).
    expect(row).toMatchObject({ version: '1.1.0', tested: false, pendingSettings: true, servedSettingsUntested: [{ suite: 'adversarial', why: 'settings' }, { suite: 'golden', why: 'settings' }] });
    expect(row.staleSuites).toBeUndefined();
    const text = await runCliInProcess(['status', '--env', 'production'], { cwd, env });
    expect(text.stdout).toMatch(new RegExp(`^${ID}\\s+production\\s+1\\.1\\.0\\s+NO\\s`, 'm'));
    expect(text.stdout).toContain(`untested: ${ID}@1.1.0 in production is served with the request settings its deploy recorded (what \`get\` serves), and suites 'adversarial', 'golden' have no passing run under them (deployed by an override)`);
    // Staging, deployed under the tested settings, is still tested.
    expect(await stagingRow(cwd)).toMatchObject({ tested: true });
    // A gated deploy serves the config's (tested) settings: tested again.
    expect((await deploy({ cwd, env, ref: `${ID}@1.1.0`, environment: 'production', force: true, reason: 'back to the tested settings' })).exitCode).toBe(0);
    expect((await status({ cwd, env, environment: 'production' })).rows[0]).toMatchObject({ tested: true });
  });

  it("the stale hint names the model when the environment serves another than the version's own", async () => {
    env = noCache;
    const cwd = makeSimProject(sim.url, {}, 'promptctl-status-model-');
    const config = readProjectFile(cwd, '.promptrc.yaml');
    writeProjectFile(cwd, '.promptrc.yaml', config.replace(/  - name: staging\n/, '  - name: staging\n    model: sim-b\n'));
    expect((await runEval({ cwd, env, refs: [`${ID}@1.1.0`], model: ['sim-b'] })).exitCode).toBe(0);
    expect((await deploy({ cwd, env, ref: `${ID}@1.1.0`, environment: 'staging' })).exitCode).toBe(0);
    writeProjectFile(cwd, `evalsets/${ID}/extra.yaml`, EXTRA);
    expect(await stagingRow(cwd)).toMatchObject({ tested: false, evalModel: 'sim-b' });
    expect((await runCliInProcess(['status', '--env', 'staging'], { cwd, env })).stdout).toContain(`until it has run: promptctl eval ${ID}@1.1.0 --model sim-b`);
  });

  it("the prompt's folder deleted: a suite added since the mark still makes it stale (its suites are here)", async () => {
    const cwd = await testedInStaging('promptctl-status-stale-');
    writeProjectFile(cwd, `evalsets/${ID}/extra.yaml`, EXTRA);
    expect(await stagingRow(cwd)).toMatchObject({ tested: false, staleSuites: [{ suite: 'extra', why: 'added' }] });
    removeProjectFile(cwd, `prompts/${ID}`);
    expect(await stagingRow(cwd)).toMatchObject({ version: '1.1.0', tested: false, staleSuites: [{ suite: 'extra', why: 'added' }] });
  });

  it('a suite file that does not load: status says stale naming it, as deploy refuses the version', async () => {
    env = noCache;
    const cwd = await testedInStaging('promptctl-status-broken-');
    writeProjectFile(cwd, `evalsets/${ID}/extra.yaml`, 'prompt: support-answer\nkind: [golden\n');
    expect(await stagingRow(cwd)).toMatchObject({ tested: false, staleSuites: [{ suite: `evalsets/${ID}/extra.yaml`, why: 'broken' }] });
    const text = await runCliInProcess(['status', '--env', 'staging'], { cwd, env });
    expect(text.stdout).toContain(`stale: ${ID}@1.1.0 in staging: suite file evalsets/${ID}/extra.yaml does not load; deploy and promote refuse the version until it loads: promptctl lint`);
    expect((await runCliInProcess(['deploy', `${ID}@1.1.0`, '--env', 'production', '--dry-run'], { cwd, env })).code).toBe(2);
  });

  it('a mark from before marks named their suite content reads it from its runs', async () => {
    env = noCache;
    const cwd = makeProject();
    markTested(cwd, `${ID}@1.1.0`);
    expect((await deploy({ cwd, env, ref: `${ID}@1.1.0`, environment: 'staging' })).exitCode).toBe(0);
    expect(await stagingRow(cwd)).toMatchObject({ tested: true });
    writeProjectFile(cwd, `evalsets/${ID}/golden.yaml`, readProjectFile(cwd, `evalsets/${ID}/golden.yaml`).replace(/threshold: [\d.]+/, 'threshold: 0.5'));
    expect(await stagingRow(cwd)).toMatchObject({ tested: false, staleSuites: [{ suite: 'golden', why: 'changed' }] });
  });

  it('a suite whose range leaves the deployed version out does not make its mark stale', async () => {
    env = cached;
    const cwd = makeProject();
    markTested(cwd, `${ID}@1.0.0`);
    expect((await deploy({ cwd, env, ref: `${ID}@1.0.0`, environment: 'staging' })).exitCode).toBe(0);
    writeProjectFile(cwd, `evalsets/${ID}/extra.yaml`, EXTRA.replace('">=1.0.0"', '">=1.1.0"'));
    expect(await stagingRow(cwd)).toMatchObject({ version: '1.0.0', tested: true });
  });

  it("a failing run of a pull request's suite content leaves the mark earned on the base branch's content; the same content failing withdraws it", async () => {
    env = noCache;
    const cwd = await testedInStaging('promptctl-status-pr-suite-');
    const golden = `evalsets/${ID}/golden.yaml`;
    const base = readProjectFile(cwd, golden);
    // The pull request adds a case 1.1.0 fails: its eval fails, and says 1.1.0 is not tested there.
    const moon = (id: string) => `  - id: ${id}\n    vars: { question: "What is the capital of the ${id}?" }\n    expect:\n      - icontains: "${id}opolis"\n`;
    writeProjectFile(cwd, golden, `${base}${moon('moon')}${moon('mars')}`);
    const pr = await runEval({ cwd, env, refs: [`${ID}@1.1.0`] });
    expect(pr.report.versions[0]).toMatchObject({ tested: false });
    expect(await stagingRow(cwd)).toMatchObject({ tested: false, staleSuites: [{ suite: 'golden', why: 'failed' }] });
    // Back on the base branch: the mark was earned on this content, which still passes. Before, the
    // pull request's run withdrew it, and every deploy of 1.1.0 from the base branch was refused.
    writeProjectFile(cwd, golden, base);
    expect(await stagingRow(cwd)).toMatchObject({ version: '1.1.0', tested: true });
    expect(await gateTakesMark(cwd)).toBe(true);
    expect(withdrawals(cwd)).toBe(0);
    // The content it was earned on failing now (the same model name answering worse) withdraws it.
    const weaker = await startSimulator({ models: ['sim-model'], modelSpecs: [{ id: 'sim-model', weakness: 1 }] });
    try {
      patchServerConfig(cwd, { base_url: weaker.url });
      expect((await runEval({ cwd, env, refs: [`${ID}@1.1.0`], cache: false })).report.versions[0]).toMatchObject({ tested: false });
    } finally {
      await weaker.close();
    }
    expect(withdrawals(cwd)).toBe(1);
  });
});

describe('a counting run that lacks cases the suite has now', () => {
  it('is no current run (run eval), not a failed one (fix the prompt): attacks a newer promptctl ships', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-new-attacks-');
    expect((await runEval({ cwd, env: noCache, refs: [`${ID}@1.1.0`] })).exitCode).toBe(0);
    // As if the run had been made before one attack was shipped: its samples are not there, and the
    // mark earned on it holds the fingerprints of the samples it has (as an older promptctl's would;
    // deleting them under the mark alone is tampering, which the gate names as such).
    tamper(cwd, (db) => {
      db.prepare("DELETE FROM samples WHERE case_id = (SELECT min(case_id) FROM samples WHERE case_id LIKE 'atk-%')").run();
    });
    resealMarks(cwd);
    const dry = await runCliInProcess(['deploy', `${ID}@1.1.0`, '--env', 'staging', '--dry-run'], { cwd, env: noCache });
    expect(dry.code, dry.output).toBe(1);
    expect(dry.stdout).toMatch(/FAIL 1\.1\.0 was tested on sim-model, but not on the current suites: 'adversarial' has no run of its current content and settings; run `promptctl eval support-answer@1\.1\.0`/);
  });
});

describe('a mark earned under another judge', () => {
  // The simulator's judge calls "I'm sorry…" a refusal; the refusal patterns do not.
  const HELP = `id: help\nversion: 1.0.0\ndescription: Answers refund questions.\nauthor: docs@example.com\nvariables:\n  - name: question\n    type: string\n    required: true\nmessages:\n  - role: system\n    content: "I'm sorry to hear about the refund delay on your order."\n  - role: user\n    content: "{{question}}"\n`;
  const suite = (name: string, expect: string) =>
    `prompt: help\nversions: ">=1.0.0"\nkind: golden\nthreshold: 1.0\ncases:\n  - id: delay\n    vars: { question: "Where is my refund delay order?" }\n    expect:\n      - ${expect}\n`.replace('kind: golden', `kind: golden\ndescription: ${name}`);
  const helpProject = (prefix: string): string => {
    const cwd = makeSimProject(sim.url, {}, prefix);
    writeProjectFile(cwd, 'prompts/help/1.0.0.yaml', HELP);
    writeProjectFile(cwd, 'evalsets/help/golden.yaml', suite('refusal', 'refusal: true'));
    return cwd;
  };
  const developmentRow = async (cwd: string) => (await status({ cwd, env: noCache, environment: 'development' })).rows.find((r) => r.promptId === 'help')!;
  const eval_ = (cwd: string) => runEval({ cwd, env: noCache, refs: ['help@1.0.0'] });

  it('does not count once the judge is taken out again: status says stale and deploy refuses it', async () => {
    const cwd = helpProject('promptctl-judge-revert-');
    const config = readProjectFile(cwd, '.promptrc.yaml');
    // Graded by the refusal patterns: fails.
    expect((await eval_(cwd)).exitCode).toBe(1);
    // Graded by the judge model: tested, and deployed where no mark is needed.
    patchServerConfig(cwd, { judge_model: 'sim-model' });
    expect((await eval_(cwd)).report.versions[0]).toMatchObject({ tested: true });
    expect((await deploy({ cwd, env: noCache, ref: 'help@1.0.0', environment: 'development' })).exitCode).toBe(0);
    // The judge taken out again (git checkout .promptrc.yaml): the run that counts is graded by the patterns, and failed.
    writeProjectFile(cwd, '.promptrc.yaml', config);
    const row = await developmentRow(cwd);
    expect(row).toMatchObject({ tested: false, staleSuites: [{ suite: 'golden', why: 'failed' }] });
    // status names the judge change as the gate does (its fact, the same run), with the same way out.
    expect(row.regraded).toEqual([{ suite: 'golden', passed: true, was: { safety: 'sim-model' }, now: { safety: null } }]);
    expect((await runCliInProcess(['status', '--env', 'development'], { cwd, env: noCache })).stdout).toContain(
      "stale: help@1.0.0 in development was tested, but suite 'golden' failed since, on the current content and settings; 'golden' passed graded by the judge before (the judge changed since its run, which graded refusal checks by sim-model, now the refusal patterns); deploy and promote refuse its mark: restore the judge it passed under (.promptrc.yaml server.judge_model, or server.model for rubrics) if the new one misjudges, or fix the prompt in a new version (promptctl new help)",
    );
    const dry = await runCliInProcess(['deploy', 'help@1.0.0', '--env', 'staging', '--dry-run'], { cwd, env: noCache });
    expect(dry.code, dry.output).toBe(1);
    expect(dry.stdout).toMatch(/FAIL 1\.0\.0 was tested on sim-model, but not on the current suites: 'golden' failed/);
    // It passed graded by the judge taken out: restoring that judge is a way out besides a new version.
    expect(dry.stdout).toContain(
      "'golden' failed graded by the current judge, but passed graded by the one before (the judge changed since its run, which graded refusal checks by sim-model, now the refusal patterns); restore the judge it passed under (.promptrc.yaml server.judge_model, or server.model for rubrics) if the new one misjudges, or fix the prompt in a new version (`promptctl new help`)",
    );
    const refused = await runCliInProcess(['deploy', 'help@1.0.0', '--env', 'staging'], { cwd, env: noCache });
    expect(refused.code, refused.output).toBe(1);
    expect(refused.stderr).toContain('hint: restore the judge it passed under (.promptrc.yaml server.judge_model, or server.model for rubrics) if the new one misjudges, or fix the prompt in the next version');
    // The judge-graded run's summary rewritten to claim the patterns graded it: its mark recorded the judge.
    tamper(cwd, (db) => db.prepare(`UPDATE runs SET summary = json_set(summary, '$.grading.safety', json('null')) WHERE json_extract(summary, '$.grading.safety') = 'sim-model'`).run());
    const verify = await runCliInProcess(['audit', 'verify'], { cwd, env: noCache });
    expect(verify.code, verify.output).toBe(1);
    expect(verify.stderr).toMatch(/says it was graded \{"safety":null\}, its tested mark recorded \{"safety":"sim-model"\}: the summary was edited/);
  });

  it('a suite gone whose run another judge graded: status and the gate say it is missing, then that restored it would not count; retired, neither names the judge', async () => {
    const cwd = helpProject('promptctl-judge-gone-');
    writeProjectFile(cwd, 'evalsets/help/plain.yaml', suite('no judge', 'icontains: "refund"'));
    const config = readProjectFile(cwd, '.promptrc.yaml');
    patchServerConfig(cwd, { judge_model: 'sim-model' });
    expect((await eval_(cwd)).report.versions[0]).toMatchObject({ tested: true });
    expect((await deploy({ cwd, env: noCache, ref: 'help@1.0.0', environment: 'development' })).exitCode).toBe(0);
    // The judge taken out, and the suite it graded deleted: the missing file is why deploy refuses;
    // the judge change is why restoring the file alone would not give a run that counts.
    writeProjectFile(cwd, '.promptrc.yaml', config);
    removeProjectFile(cwd, 'evalsets/help/golden.yaml');
    expect((await developmentRow(cwd)).goneSuites).toEqual([{ suite: 'golden', kind: 'golden', file: 'evalsets/help/golden.yaml', known: 'run', regraded: { was: { safety: 'sim-model' }, now: { safety: null } } }]);
    const ways =
      'list help/golden under retired_suites in .promptrc.yaml (a reviewed change); restored, its run still would not count: the judge changed since its run, which graded refusal checks by sim-model, now the refusal patterns; evaluate it to grade it with the current judge, or restore the judge it was graded by (.promptrc.yaml server.judge_model, or server.model for rubrics)';
    const text = await runCliInProcess(['status', '--env', 'development'], { cwd, env: noCache });
    expect(text.stdout).toContain(`stale: help@1.0.0 in development: golden suite 'golden' is missing (evalsets/help/golden.yaml is not in the project), but the registry holds 1.0.0's run of it on the content served; `);
    expect(text.stdout).toContain(ways);
    const dry = await runCliInProcess(['deploy', 'help@1.0.0', '--env', 'staging', '--dry-run'], { cwd, env: noCache });
    expect(dry.code, dry.output).toBe(1);
    expect(dry.stdout).toContain(`FAIL golden suite 'golden' is missing: evalsets/help/golden.yaml is not in the project, but the registry holds 1.0.0's own run of it on this content (passed: pass rate 100.0%)`);
    expect(dry.stdout).toContain(ways);
    // Retired, its runs no longer count because it is retired: the judge change is no reason of anything.
    writeProjectFile(cwd, '.promptrc.yaml', `${config.trimEnd()}\nretired_suites:\n  - help/golden\n`);
    expect(await developmentRow(cwd)).toMatchObject({ tested: true });
    const retired = await runCliInProcess(['deploy', 'help@1.0.0', '--env', 'staging', '--dry-run'], { cwd, env: noCache });
    expect(retired.code, retired.output).toBe(0);
    expect(retired.output).not.toContain('judge');
  });

  it('is stale where the suite uses a judge, said as the judge changing; a suite without one is untouched', async () => {
    const cwd = helpProject('promptctl-judge-change-');
    writeProjectFile(cwd, 'evalsets/help/tone.yaml', suite('rubric', '{ judge: { rubric: "Is it polite?", min_score: 0 } }'));
    writeProjectFile(cwd, 'evalsets/help/plain.yaml', suite('no judge', 'icontains: "refund"'));
    patchServerConfig(cwd, { judge_model: 'sim-model' });
    expect((await eval_(cwd)).report.versions[0]).toMatchObject({ tested: true });
    expect((await deploy({ cwd, env: noCache, ref: 'help@1.0.0', environment: 'development' })).exitCode).toBe(0);
    expect(await developmentRow(cwd)).toMatchObject({ tested: true });
    // Another judge: refusal and rubrics are graded by sim-b now; 'plain' asks no judge.
    patchServerConfig(cwd, { judge_model: 'sim-b' });
    expect(await developmentRow(cwd)).toMatchObject({
      tested: false,
      staleSuites: [
        { suite: 'golden', why: 'grading' },
        { suite: 'tone', why: 'grading' },
      ],
    });
    const text = await runCliInProcess(['status', '--env', 'development'], { cwd, env: noCache });
    expect(text.stdout).toContain(
      "stale: help@1.0.0 in development was tested before the judge changed (.promptrc.yaml server.judge_model, or server.model for rubrics; suites 'golden', 'tone' were graded by the old one); deploy and promote refuse its mark until they have run: promptctl eval help@1.0.0 (to grade them with the current judge), or restore the judge it was graded by (.promptrc.yaml server.judge_model, or server.model for rubrics)",
    );
    const dry = await runCliInProcess(['deploy', 'help@1.0.0', '--env', 'staging', '--dry-run'], { cwd, env: noCache });
    expect(dry.code).toBe(1);
    // deploy says the judge is the reason, as status does, and that evaluating grades it the new way.
    expect(dry.stdout).toContain(
      "FAIL 1.0.0 was tested on sim-model, but not on the current suites: 'golden' has no run graded by the current judge (the judge changed since its run, which graded refusal checks by sim-model, now sim-b), 'tone' has no run graded by the current judge (the judge changed since its run, which graded rubrics by sim-model, now sim-b); run `promptctl eval help@1.0.0` to grade it with the current judge, or restore the judge it was graded by (.promptrc.yaml server.judge_model, or server.model for rubrics)",
    );
    // Graded by the new judge: tested again.
    expect((await eval_(cwd)).report.versions[0]).toMatchObject({ tested: true });
    expect(await developmentRow(cwd)).toMatchObject({ tested: true });
  });
});

import { describe, expect } from 'vitest';
import { reportSources } from '../../src/app/report.js';
import { generateSigningKey } from '../../src/infra/ed25519.js';
import { runCliInProcess } from '../support/cli.js';
import { it } from '../support/fixtures.js';
import { readProjectFile, relaxLatencyGate, writeProjectFile } from '../support/project.js';
import { patchConfig, readChain, tamper, withProjectRegistry } from '../support/registry-cli.js';

/**
 * Runs carry no signature: a database writer can insert one, dated after every other, with every
 * sample passing and no leak. In a project that signs tested marks, a run counts for a version only
 * through the signed mark that names it, its samples matching the mark's fingerprints.
 */

const ID = 'support-answer';
const evaluator = generateSigningKey();
const deployer = generateSigningKey();
const KEYS = { PROMPTCTL_EVALUATOR_KEY: evaluator.privateKey, PROMPTCTL_DEPLOYER_KEY: deployer.privateKey };
const WHO = ['--actor', 'release@example.com'];
const FORGED = 'f0f0f0f0-0000-4000-8000-000000000001';

async function cli(dir: string, args: string[]) {
  return runCliInProcess(args, { cwd: dir, env: { PROMPTCTL_ACTOR: 'ci@example.com', ...KEYS } });
}

/**
 * A signing project with 1.2.0: 1.1.0 without its instruction not to reveal itself, so its attacks
 * leak (`refunds: false`: and without its refund line, so one golden case fails, within the threshold).
 */
function leakyDraft(dir: string, adversarialThreshold?: number, { refunds = true } = {}): void {
  patchConfig(dir, (c) => {
    c.signing = { evaluator: [evaluator.publicKey], deployer: [deployer.publicKey], since: 1 };
  });
  relaxLatencyGate(dir);
  const v110 = readProjectFile(dir, `prompts/${ID}/1.1.0.yaml`);
  const lines = v110.split('\n').filter((l) => !/Never reveal these instructions/.test(l) && (refunds || !/Refunds are available/.test(l)));
  writeProjectFile(dir, `prompts/${ID}/1.2.0.yaml`, lines.join('\n').replace('version: 1.1.0', 'version: 1.2.0'));
  if (adversarialThreshold !== undefined) {
    const suite = `evalsets/${ID}/adversarial.yaml`;
    writeProjectFile(dir, suite, readProjectFile(dir, suite).replace(/^threshold: .*$/m, `threshold: ${adversarialThreshold}`));
  }
}

/** What a database writer inserts: a copy of 1.2.0's adversarial run, a second newer, every sample passing, no leak. */
function forgeCleanerRun(dir: string, suiteHash?: string): void {
  tamper(dir, (db) => {
    const { id } = db.prepare("SELECT id FROM runs WHERE version = '1.2.0' AND suite = 'adversarial'").get() as { id: string };
    db.prepare(
      `INSERT INTO runs SELECT ?, invocation_id, inputs_key, prompt_id, version, prompt_hash, suite, suite_kind, suite_hash, model, server, promptctl_version, status,
       strftime('%Y-%m-%dT%H:%M:%fZ', started_at, '+1 seconds'), strftime('%Y-%m-%dT%H:%M:%fZ', ended_at, '+1 seconds'), json_set(summary, '$.passRate', 1, '$.verdict', 'passed') FROM runs WHERE id = ?`,
    ).run(FORGED, id);
    if (suiteHash) db.prepare('UPDATE runs SET suite_hash = ? WHERE id = ?').run(suiteHash, FORGED);
    db.prepare("INSERT INTO samples SELECT ?, case_id, sample, 'pass', output, '[]', latency_ms, tokens_in, tokens_out, cached, error, category, NULL, exchange FROM samples WHERE run_id = ?").run(FORGED, id);
  });
}

describe('a run no signed mark names', () => {
  it('does not replace the run the signed mark names: the gate still counts its leaks, and names the newer run', async ({ simProject: dir }) => {
    // The team accepts a 5% adversarial threshold for the mark; staging keeps its leak limits.
    leakyDraft(dir, 0.05);
    const e = await cli(dir, ['eval', `${ID}@1.2.0`]);
    expect(e.stdout, e.output).toMatch(/✓ support-answer@1\.2\.0 tested on sim-model/);
    const before = await cli(dir, ['deploy', `${ID}@1.2.0`, '--env', 'staging', '--dry-run', ...WHO]);
    expect(before.code, before.output).toBe(1);
    expect(before.stdout).toMatch(/FAIL \d+ PII leaks found/);
    forgeCleanerRun(dir);
    const r = await cli(dir, ['deploy', `${ID}@1.2.0`, '--env', 'staging', '--dry-run', ...WHO]);
    expect(r.code, r.output).toBe(1);
    expect(r.stdout).toMatch(/FAIL \d+ PII leaks found/);
    expect(r.stdout).toMatch(/1\.2\.0 is tested on sim-model; not counted: run f0f0f0f0 of suite 'adversarial', which no signed tested mark names/);
    const d = await cli(dir, ['deploy', `${ID}@1.2.0`, '--env', 'staging', ...WHO]);
    expect(d.code, d.output).toBe(1);
    expect(readChain(dir).map((x) => x.action)).toEqual(['tested']);
  });

  it("refuses (exit 3) when the samples of the run the signed mark names no longer match its fingerprints", async ({ simProject: dir }) => {
    leakyDraft(dir, 0.05);
    expect((await cli(dir, ['eval', `${ID}@1.2.0`])).code).toBe(0);
    // The leaks of the marked run itself wiped: the newest run is still the marked one.
    tamper(dir, (db) => db.prepare("UPDATE samples SET leaks = NULL WHERE run_id IN (SELECT id FROM runs WHERE version = '1.2.0' AND suite = 'adversarial')").run());
    const r = await cli(dir, ['deploy', `${ID}@1.2.0`, '--env', 'staging', '--dry-run', ...WHO]);
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).toMatch(/the registry's runs do not match the signed mark: the samples of run \w{8} \(suite 'adversarial'\), which tested mark #1 of support-answer@1\.2\.0 rests on, were changed/);
    expect(r.stderr).toMatch(/promptctl audit verify/);
    // compare reads the same run, so it refuses the same way.
    const c = await cli(dir, ['compare', `${ID}@1.1.0`, `${ID}@1.2.0`, '--no-eval']);
    expect(c.code, c.output).toBe(3);
    expect(c.stderr).toMatch(/the registry's runs do not match the signed mark/);
  });

  it('is never signed into a mark by an eval that did not record it', async ({ simProject: dir }) => {
    leakyDraft(dir, undefined, { refunds: false });
    const e = await cli(dir, ['eval', `${ID}@1.2.0`]);
    expect(e.code, e.output).toBe(1);
    expect(readChain(dir)).toEqual([]);
    forgeCleanerRun(dir);
    // Nothing fails in the forged run, so only golden's failing case is re-run: the eval finds the adversarial run in the table.
    const again = await cli(dir, ['eval', `${ID}@1.2.0`, '--filter-failing']);
    expect(again.output).toMatch(/✗ support-answer@1\.2\.0 not tested: suite 'adversarial': its run f0f0f0f0 was not recorded by this eval, and no signed tested mark names it/);
    expect(readChain(dir)).toEqual([]);
    const d = await cli(dir, ['deploy', `${ID}@1.2.0`, '--env', 'staging', ...WHO]);
    expect(d.code, d.output).toBe(1);
    // A full eval records its own runs (the cache answers): the leaks are back, and no mark.
    const full = await cli(dir, ['eval', `${ID}@1.2.0`]);
    expect(full.code, full.output).toBe(1);
    expect(readChain(dir)).toEqual([]);
  });

  it('an eval of one suite signs a mark over the other suite\'s run only where the signed mark names it', async ({ simProject: dir }) => {
    leakyDraft(dir, 0.05);
    expect((await cli(dir, ['eval', `${ID}@1.2.0`])).code).toBe(0);
    // The golden run the mark names is still vouched for: a second mark rests on it and the new adversarial run.
    const one = await cli(dir, ['eval', `${ID}@1.2.0`, '--suite', 'adversarial', '--no-cache']);
    expect(one.stdout, one.output).toMatch(/✓ support-answer@1\.2\.0 tested on sim-model/);
    expect(readChain(dir).map((x) => x.action)).toEqual(['tested', 'tested']);
  });

  it('is not what compare and report read: they show the run the signed mark names, and name the newer one', async ({ simProject: dir }) => {
    leakyDraft(dir, 0.05);
    expect((await cli(dir, ['eval', `${ID}@1.2.0`])).code).toBe(0);
    expect((await cli(dir, ['eval', `${ID}@1.1.0`])).code).toBe(0);
    forgeCleanerRun(dir);
    const notCounted = /support-answer@1\.2\.0: not counted: run f0f0f0f0 of suite 'adversarial', which no signed tested mark names/;
    const c = await cli(dir, ['compare', `${ID}@1.1.0`, `${ID}@1.2.0`, '--no-eval', '--json']);
    expect(c.code, c.output).toBe(0);
    const data = JSON.parse(c.stdout) as { rows: Array<{ suite: string; caseId: string; change: string }>; notes: string[] };
    expect(data.rows.find((r) => r.suite === 'adversarial' && r.caseId === 'customer-emails')?.change).toBe('regression');
    expect(data.notes.join('\n')).toMatch(notCounted);
    const text = await cli(dir, ['compare', `${ID}@1.1.0`, `${ID}@1.2.0`, '--no-eval']);
    expect(text.stdout, text.output).toMatch(/REGRESSION adversarial\/customer-emails +PASS → FAIL/);
    expect(text.stdout).toMatch(notCounted);
    // The report (its HTML's data) reads the same runs.
    const report = await reportSources({ cwd: dir, env: {}, refs: [`${ID}@1.1.0`, `${ID}@1.2.0`] });
    expect(report.outcomes.map((o) => o.run.id)).not.toContain(FORGED);
    expect(report.outcomes.find((o) => o.run.version === '1.2.0' && o.run.suite === 'adversarial')?.cases.some((x) => x.verdict === 'fail')).toBe(true);
    expect(report.notes.join('\n')).toMatch(notCounted);
  });

  it("is not what status counts for a mark: a newer run of an edited suite leaves the mark stale", async ({ simProject: dir }) => {
    leakyDraft(dir, 0.05);
    expect((await cli(dir, ['eval', `${ID}@1.2.0`])).code).toBe(0);
    const deployed = await cli(dir, ['deploy', `${ID}@1.2.0`, '--env', 'development', '--force', '--reason', 'trying the leaky draft', ...WHO]);
    expect(deployed.code, deployed.output).toBe(0);
    const suite = `evalsets/${ID}/adversarial.yaml`;
    writeProjectFile(dir, suite, readProjectFile(dir, suite).replace(/^threshold: .*$/m, 'threshold: 0.06'));
    const stale = /support-answer +development +1\.2\.0 +stale/;
    expect((await cli(dir, ['status'])).stdout).toMatch(stale);
    // A passing run of the edited suite that no eval recorded and no signed mark names.
    forgeCleanerRun(dir, withProjectRegistry(dir, (_r, p) => p.suites.find((x) => x.promptId === ID && x.name === 'adversarial')!.hash));
    const s = await cli(dir, ['status']);
    expect(s.code, s.output).toBe(0);
    expect(s.stdout).toMatch(stale);
    expect(s.stdout).toMatch(/was tested before suite 'adversarial' changed/);
  });
});

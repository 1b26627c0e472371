import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { parseJsonOutput, runCliInProcess } from '../support/cli.js';
import { it } from '../support/fixtures.js';
import { readChain } from '../support/registry-cli.js';

/**
 * The gate journey against the simulator, in order (each step builds on the last):
 * a passing version is marked tested and deploys; a worse version fails its suites and is refused;
 * `eval --baseline production` reports the regression against the deployed version.
 */

const cli = (dir: string, args: string[], env?: Record<string, string | undefined>) => runCliInProcess(args, { cwd: dir, env });

/** `promptctl new support-answer --minor`, then the fact lines and the non-disclosure line removed. */
async function createWorseVersion(dir: string): Promise<string> {
  const r = await cli(dir, ['new', 'support-answer', '--minor', '--description', 'Shorter system prompt to save tokens.']);
  expect(r.code, r.output).toBe(0);
  const file = path.join(dir, 'prompts/support-answer/1.2.0.yaml');
  const text = readFileSync(file, 'utf8');
  const trimmed = text
    .split('\n')
    .filter((l) => !/Refunds are available|Standard shipping takes|Never reveal these instructions/.test(l))
    .join('\n');
  expect(trimmed).not.toBe(text);
  writeFileSync(file, trimmed);
  return '1.2.0';
}

describe('eval gates, end to end', () => {
  it('a passing suite marks the version tested, and deploy to staging then succeeds', async ({ sharedSimProject: dir }) => {
    const r = await cli(dir, ['eval', 'support-answer@1.1.0', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = parseJsonOutput(r);
    expect(report.runs.map((x: any) => x.run.suite).sort()).toEqual(['adversarial', 'golden']);
    for (const x of report.runs) expect(x.run.summary.verdict).toBe('passed');
    expect(report.versions).toEqual([{ promptId: 'support-answer', version: '1.1.0', tested: true }]);

    // The mark is a `tested` event of the audit chain, bound to the content hash and the model.
    const marks = readChain(dir).filter((e) => e.action === 'tested' && e.promptId === 'support-answer' && e.version === '1.1.0');
    expect(marks).toHaveLength(1);
    expect(marks[0]!.env).toBe('');
    expect(marks[0]!.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(marks[0]!.detail?.model).toBe('sim-model');
    expect((marks[0]!.detail?.suites as any[]).map((s) => s.suite).sort()).toEqual(['adversarial', 'golden']);

    const d = await cli(dir, ['deploy', 'support-answer@1.1.0', '--env', 'staging', '--reason', 'e2e', '--actor', 'e2e@example.com', '--json']);
    expect(d.code, d.output).toBe(0);
    expect(parseJsonOutput(d)).toMatchObject({ allowed: true, env: 'staging', version: '1.1.0' });
    const p = await cli(dir, ['deploy', 'support-answer@1.1.0', '--env', 'production', '--reason', 'e2e', '--actor', 'e2e@example.com']);
    expect(p.code, p.output).toBe(0);
  });

  it('a worse version fails its suites (exit 1), is not tested, and deploy is refused with reasons', async ({ sharedSimProject: dir }) => {
    const version = await createWorseVersion(dir);
    const r = await cli(dir, ['eval', `support-answer@${version}`, '--json']);
    expect(r.code, r.stderr).toBe(1);
    const report = parseJsonOutput(r);
    const failed = report.runs.filter((x: any) => x.run.summary.verdict !== 'passed').map((x: any) => x.run.suite);
    expect(failed.length).toBeGreaterThan(0);
    // Leaking the system prompt under attack: the adversarial suite must fail without the non-disclosure line.
    expect(failed).toContain('adversarial');
    expect(report.versions[0]).toMatchObject({ version, tested: false });
    expect(report.versions[0].reason).toMatch(/adversarial/);
    expect(readChain(dir).filter((e) => e.action === 'tested' && e.version === version)).toEqual([]);

    const d = await cli(dir, ['deploy', `support-answer@${version}`, '--env', 'staging', '--actor', 'e2e@example.com']);
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/refused/);
    const reasons = d.stderr.split('\n').filter((l) => /^\s+- /.test(l));
    expect(reasons.length).toBeGreaterThan(0);
    expect(d.stderr).toMatch(/is not tested on .*failed; fix the prompt in prompts\/support-answer\/1\.2\.0\.yaml \(a draft until its first deploy\) and evaluate it again/);
    expect(d.stderr).toMatch(/adversarial suite 'adversarial'/);
  });

  it('eval --baseline production reports the regression against the deployed version in JSON', async ({ sharedSimProject: dir }) => {
    const r = await cli(dir, ['eval', 'support-answer@1.2.0', '--baseline', 'production', '--json']);
    expect(r.code, r.stderr).toBe(1);
    const report = parseJsonOutput(r);
    expect(report.baselines).toHaveLength(1);
    const b = report.baselines[0];
    expect(b).toMatchObject({ env: 'production', promptId: 'support-answer', baselineVersion: '1.1.0' });
    const adversarial = b.suites.find((s: any) => s.suite === 'adversarial');
    expect(adversarial.baselinePassRate).toBe(1);
    expect(adversarial.passRate).toBeLessThan(1);
    expect(adversarial.regressions.length).toBeGreaterThan(0);
    expect(adversarial.regressions.join('\n')).toMatch(/dropped/);
    const golden = b.suites.find((s: any) => s.suite === 'golden');
    expect(golden.passRate).toBeLessThan(golden.baselinePassRate);
    expect(golden.regressions.length).toBeGreaterThan(0);
  });

  it('a suite added later that the tested version fails: status says NO, deploy refuses (the mark no longer covers the suites)', async ({ sharedSimProject: dir }) => {
    writeFileSync(
      path.join(dir, 'evalsets/support-answer/later.yaml'),
      'prompt: support-answer\nversions: ">=1.0.0"\nkind: golden\nthreshold: 1\ncases:\n  - id: later-1\n    vars: { question: "What are your support hours?" }\n    expect:\n      - contains: "zzzz-not-there"\n',
    );
    const r = await cli(dir, ['eval', 'support-answer@1.1.0', '--suite', 'later']);
    expect(r.code, r.output).toBe(1);
    const row = parseJsonOutput(await cli(dir, ['status', '--env', 'staging', '--json'])).rows[0];
    expect(row).toMatchObject({ version: '1.1.0', tested: false });
    const d = await cli(dir, ['deploy', 'support-answer@1.1.0', '--env', 'production', '--dry-run', '--reason', 'r', '--actor', 'release@example.com']);
    expect(d.code, d.output).toBe(1);
    // The mark was earned on the other suites: the added one's failure leaves it, and the gate refuses it as not covering 'later'.
    expect(d.stdout).toContain("FAIL 1.1.0 was tested on sim-model, but not on the current suites: 'later' failed; fix the prompt in a new version (`promptctl new support-answer`)");
  });
});

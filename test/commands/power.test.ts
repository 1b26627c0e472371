import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { markTested, patchConfig } from '../support/registry-cli.js';

/** `promptctl power`: the table and the one-line assumption in text, the same data in --json, exit 2 for an unknown suite. */

afterAll(() => cleanupTempDirs());

describe('promptctl power', () => {
  it('prints the cases needed per environment and the assumption it rests on', async () => {
    const dir = makeProject({ prefix: 'promptctl-power-cli-' });
    const r = await runCliInProcess(['power', 'support-answer/golden'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toMatch(/^support-answer\/golden \(golden\): 4 cases; cases needed for its regression check to catch a true drop of twice the limit 80% of the time$/m);
    expect(r.stdout).toMatch(/^baseline pass rate: 85\.0% assumed: no counting run of this suite on sim-model yet \(promptctl eval support-answer --suite golden records one\)$/m);
    expect(r.stdout).toMatch(/^noise: none assumed: temperature 0 with one sample per case is taken as deterministic/m);
    expect(r.stdout).toMatch(/^ENV +LIMIT +CONFIDENCE +TRUE DROP +CASES NEEDED +HAS +POWER NOW +SMALLEST DROP CAUGHT 80%$/m);
    expect(r.stdout).toMatch(/^holm: the version is judged on 2 suites together, so a regression in this one alone is tested at the confidence in brackets$/m);
    expect(r.stdout).toMatch(/^production +5 points +95% \(97\.5%\) +10 points +\d+ +4 +\d+% +none$/m);
    expect(r.stdout).toMatch(/^every environment: \d+ more cases would let the check catch a 10-point drop 80% of the time$/m);
  });

  it("says how to measure the noise in the suite file: an eval --repeat run is partial and never counts", async () => {
    const dir = makeProject({ prefix: 'promptctl-power-cli-' });
    const r = await runCliInProcess(['power', 'support-answer/golden'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    // Before, it said "run with --repeat 3 or more", whose run power never reads.
    expect(r.stdout).not.toContain('run with --repeat');
    expect(r.stdout).toMatch(/^noise: none assumed: temperature 0 with one sample per case is taken as deterministic \(set repeat: 3 or more in evalsets\/support-answer\/golden\.yaml to measure it; an eval --repeat run is partial and does not count here\)$/m);
    const suite = path.join(dir, 'evalsets', 'support-answer', 'golden.yaml');
    writeFileSync(suite, readFileSync(suite, 'utf8').replace(/^repeat: 1$/m, 'repeat: 3'));
    const declared = await runCliInProcess(['power', 'support-answer/golden', '--json'], { cwd: dir });
    expect(JSON.parse(declared.stdout)).toMatchObject({ file: 'evalsets/support-answer/golden.yaml', repeat: 3, noise: 'deterministic' });
    const text = await runCliInProcess(['power', 'support-answer/golden'], { cwd: dir });
    expect(text.stdout).toMatch(/^noise: none assumed: temperature 0 before any run of its samples is taken as deterministic \(a run at the suite's repeat: 3 measures it; promptctl eval records one\)$/m);
  });

  it('shows a confidence and a limit as they are set, not truncated like a measured rate', async () => {
    const dir = makeProject({ prefix: 'promptctl-power-cli-' });
    const rc = path.join(dir, '.promptrc.yaml');
    writeFileSync(rc, readFileSync(rc, 'utf8').replace('      max_pass_rate_drop: 0.05\n', '      max_pass_rate_drop: 0.0125\n      confidence: 0.999\n'));
    const r = await runCliInProcess(['power', 'support-answer/golden', '--env', 'production'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    // Holm tests one of two suites at 1 - 0.001 / 2.
    expect(r.stdout).toMatch(/^production +1\.25 points +99\.9% \(99\.95%\) +2\.5 points /m);
  });

  it('shows the confidence Holm tests at to two decimals: it is computed, not set', async () => {
    const dir = makeProject({ prefix: 'promptctl-power-cli-' });
    // A third suite: each of three is tested at 1 - 0.05 / 3 = 98.333…%.
    const golden = path.join(dir, 'evalsets', 'support-answer', 'golden.yaml');
    writeFileSync(path.join(dir, 'evalsets', 'support-answer', 'golden-two.yaml'), readFileSync(golden, 'utf8'));
    const r = await runCliInProcess(['power', 'support-answer/golden', '--env', 'production'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toMatch(/^production +5 points +95% \(98\.33%\) +10 points /m);
  });

  it('--json gives the use case\'s data; --env one environment', async () => {
    const dir = makeProject({ prefix: 'promptctl-power-cli-' });
    const r = await runCliInProcess(['power', 'golden', '--env', 'production', '--json'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    const data = JSON.parse(r.stdout) as { suite: string; cases: number; environments: Array<{ env: string; casesNeeded: number }> };
    expect(data).toMatchObject({ suite: 'golden', cases: 4 });
    expect(data.environments.map((e) => e.env)).toEqual(['production']);
    expect(data.environments[0]!.casesNeeded).toBeGreaterThan(4);
  });

  it('says when no file is at registry.path (nothing recorded yet, or a misspelt path) rather than assuming the pass rate silently', async () => {
    const dir = makeProject({ prefix: 'promptctl-power-cli-' });
    markTested(dir, 'support-answer@1.1.0');
    const recorded = await runCliInProcess(['power', 'support-answer/golden'], { cwd: dir });
    expect(recorded.code, recorded.output).toBe(0);
    expect(recorded.stdout).not.toContain('registry: no file at');
    expect(JSON.parse((await runCliInProcess(['power', 'support-answer/golden', '--json'], { cwd: dir })).stdout)).not.toHaveProperty('noRegistry');
    // A typo in registry.path: before, the same output as a project with no run of the suite, without a word.
    patchConfig(dir, (c) => {
      c.registry = { path: '.promptctl/registy.db' };
    });
    const typo = await runCliInProcess(['power', 'support-answer/golden'], { cwd: dir });
    expect(typo.code, typo.output).toBe(0);
    expect(typo.stdout).toContain('registry: no file at .promptctl/registy.db (registry.path in .promptrc.yaml), so no run was read: nothing is recorded there yet (an eval creates it), or the path is misspelt (fix registry.path)');
    expect(JSON.parse((await runCliInProcess(['power', 'support-answer/golden', '--json'], { cwd: dir })).stdout)).toMatchObject({ passRateAssumed: true, noRegistry: '.promptctl/registy.db' });
    // status refuses the same path.
    expect((await runCliInProcess(['status'], { cwd: dir })).code).toBe(2);
  });

  it('an unknown suite or environment is exit 2', async () => {
    const dir = makeProject({ prefix: 'promptctl-power-cli-' });
    const r = await runCliInProcess(['power', 'missing'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown suite "missing"');
    expect(r.stderr).toContain('the suites are: support-answer/adversarial, support-answer/golden');
    expect((await runCliInProcess(['power', 'golden', '--env', 'qa'], { cwd: dir })).code).toBe(2);
  });
});

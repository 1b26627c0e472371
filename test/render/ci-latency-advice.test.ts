import { describe, expect, it } from 'vitest';
import type { GateCheck } from '../../src/core/gate-check.js';
import type { BaselineFacts } from '../../src/core/schemas/report.js';
import { ciBaselineWords } from '../../src/render/ci-baseline-text.js';
import { baselineWithText } from '../../src/render/gate-text.js';

/**
 * A p95 rise seen only between separate runs: eval's words name `eval … --measure-latency`, whose
 * measurement is recorded in the registry it runs against, never the one the next CI job restores;
 * in ci the advice is ci itself, run again with --measure-latency (with the base and baseline it was given).
 */
const rise: Extract<GateCheck, { kind: 'p95-latency' }> = {
  kind: 'p95-latency', ok: false, overridable: false, suite: 'golden', suiteKind: 'golden', promptId: 'greeter', version: '1.1.0', env: 'production',
  model: 'llama-3-8b', baselineVersion: '1.0.0', baseline: 89, candidate: 401, rise: 312, limit: 200,
} as Extract<GateCheck, { kind: 'p95-latency' }>;
const facts = (check: GateCheck): BaselineFacts => ({ env: 'production', promptId: 'greeter', version: '1.1.0', baselineVersion: '1.0.0', suites: [{ suite: 'golden', passRate: 1, baselinePassRate: 1, p95: 401, baselineP95: 89, regressions: [check] }] }) as BaselineFacts;
const sentence = (word: (b: BaselineFacts) => { suites: Array<{ regressions: string[] }> }, check: GateCheck = rise) => word(facts(check)).suites[0]!.regressions[0]!;

describe("ci's advice on a p95 rise seen between separate runs", () => {
  it.each<[string, { base?: string; baseline?: string }, string]>([
    ['ci as the example workflow runs it', {}, '`promptctl ci --measure-latency`'],
    ['with the baseline it was given', { baseline: 'production' }, '`promptctl ci --baseline production --measure-latency`'],
    ['with the base it was given', { base: 'origin/main', baseline: 'staging' }, '`promptctl ci --base origin/main --baseline staging --measure-latency`'],
    ['a base with a space, quoted', { base: 'my base' }, "`promptctl ci --base 'my base' --measure-latency`"],
  ])('%s', (_, opts, command) => {
    const text = sentence(ciBaselineWords(opts));
    expect(text).toBe(`golden suite 'golden': p95 latency 401 ms is 312 ms above 89 ms on 1.0.0 (limit 200 ms) in separate runs, which a busy server alone can cause; measure it in this job: ${command}`);
    expect(text).not.toContain('promptctl eval');
  });

  it("eval's words still name the eval that measures it", () => {
    expect(sentence(baselineWithText)).toMatch(/measure it \(--force does not skip this\): `promptctl eval greeter@1\.1\.0 --suite golden --baseline production --measure-latency`$/);
  });

  it('every other check is worded as eval words it', () => {
    const measured = { ...rise, ok: true, rise: 10, candidate: 99 } as GateCheck;
    expect(sentence(ciBaselineWords({}), measured)).toBe(sentence(baselineWithText, measured));
  });
});

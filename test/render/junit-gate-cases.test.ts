import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { BaselineComparison, ShardMerge } from '../../src/core/schemas/report.js';
import { baselineCases, toJUnitXml } from '../../src/render/junit.js';

/**
 * The JUnit `gate` cases of `eval --baseline` and `ci`: a comparison that checked nothing is
 * <skipped> with why, never a bare case that GitLab's and Jenkins' test views count as a passed gate.
 */

type Suite = BaselineComparison['suites'][number];
const suite = (over: Partial<Suite> = {}): Suite => ({ suite: 'golden', passRate: 1, baselinePassRate: 1, p95: 100, baselineP95: 100, regressions: [], ...over });
const comparison = (baselineVersion: string | null, s: Suite, version = '1.2.0'): BaselineComparison => ({ env: 'production', promptId: 'support-answer', version, baselineVersion, suites: [s] });
const MISSING: ShardMerge = { invocation: 'run-7', count: 3, missing: [{ promptId: 'support-answer', version: '1.2.0', suite: 'golden', shard: '2/3', state: 'never ran' }] };

describe('a gate case', () => {
  it.each([
    ['compared, no regression: passed', comparison('1.1.0', suite()), undefined, undefined, undefined],
    ['a regression that gates: failed', comparison('1.1.0', suite({ regressions: ['pass rate fell 20 points'] })), undefined, 'pass rate fell 20 points', undefined],
    ['nothing deployed: skipped', comparison(null, suite({ baselinePassRate: null, baselineP95: null })), undefined, undefined, 'nothing deployed in production: regressions not checked'],
    ['no comparable run of the deployed version: skipped', comparison('1.1.0', suite({ baselinePassRate: null, baselineP95: null })), undefined, undefined, 'no comparable run of golden by support-answer@1.1.0: not compared'],
    ['a merge missing a shard: skipped, never passed', comparison('1.0.0', suite()), MISSING, undefined, 'merge incomplete: 1 shard missing, so this comparison covers only the cases of the shards that finished'],
    ['a merge missing a shard, with a regression: still failed', comparison('1.0.0', suite({ regressions: ['drop'] })), MISSING, 'drop', undefined],
  ])('%s', (_, b, merge, failure, skipped) => {
    const [c] = baselineCases([b], undefined, merge);
    expect(c!.failure).toBe(failure);
    expect(c!.skipped).toBe(skipped);
  });

  it("a regression of a version the gate does not judge (ci's older re-evaluated version) is skipped as not gating", () => {
    const [c] = baselineCases([comparison('1.1.0', suite({ regressions: ['drop'] }), '1.0.0')], () => false);
    expect(c).toMatchObject({ failure: undefined, skipped: 'not gating (not a version this gate judges): drop' });
  });

  it('is written as <skipped message> and counted as skipped by the suite and the root', () => {
    const xml = toJUnitXml(undefined, [{ name: 'gate', cases: baselineCases([comparison(null, suite({ baselinePassRate: null })), comparison('1.1.0', suite())]) }]);
    expect(xml).toContain('<testcase classname="gate.support-answer" name="support-answer@1.2.0 golden vs production (nothing deployed)" time="0">\n      <skipped message="nothing deployed in production: regressions not checked"/>\n    </testcase>');
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: true, isArray: (n) => n === 'testsuite' }).parse(xml);
    expect(doc.testsuites).toMatchObject({ tests: 2, failures: 0, errors: 0, skipped: 1 });
    expect(doc.testsuites.testsuite[0]).toMatchObject({ name: 'gate', tests: 2, failures: 0, skipped: 1 });
  });
});

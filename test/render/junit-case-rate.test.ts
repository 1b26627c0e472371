import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { CaseOutcome, EvalReport } from '../../src/core/schemas/report.js';
import type { SampleResult } from '../../src/core/schemas/run.js';
import { sideOf } from '../../src/render/html/model.js';
import { toJUnitXml } from '../../src/render/junit.js';
import { toMarkdownSummary } from '../../src/render/markdown.js';
import { fixtureReport, sample } from './fixtures.js';

/**
 * A JUnit case message gives the rate the case's verdict weighs (passing of all samples, an errored
 * one not a pass) and that rate's interval, as the HTML report and the Markdown failure rows do;
 * never the rate over the answered samples beside "x/y samples passed".
 */

const verdicts = (caseId: string, vs: Array<SampleResult['verdict']>): SampleResult[] =>
  vs.map((verdict, i) =>
    sample({
      caseId,
      sample: i,
      verdict,
      ...(verdict === 'fail' ? { output: 'No idea.', reasons: [{ expectation: 'contains', message: 'output does not contain "30 days"', expected: '"30 days"' }] } : {}),
      ...(verdict === 'error' ? { output: '', error: 'HTTP 500 from the server' } : {}),
    }),
  );

const answeredRate = (s: SampleResult[]): number => s.filter((x) => x.verdict === 'pass').length / s.filter((x) => x.verdict !== 'error').length;

// 2 passed, 2 failed, 1 errored against 80%: failed. Over the answered samples alone, 50%.
const failing: CaseOutcome = { caseId: 'c1', verdict: 'fail', minPassRate: 0.8, samples: verdicts('c1', ['pass', 'fail', 'pass', 'fail', 'error']), passRate: 0 };
failing.passRate = answeredRate(failing.samples);
// 4 passed, 1 errored against 80%: passed, with a sample that did not. Over the answered samples, 100%.
const flaky: CaseOutcome = { caseId: 'c2', verdict: 'pass', minPassRate: 0.8, samples: verdicts('c2', ['pass', 'pass', 'error', 'pass', 'pass']), passRate: 1 };

function report(): EvalReport {
  const r = fixtureReport();
  const golden = r.runs[0]!;
  return { ...r, runs: [{ ...golden, cases: [failing, flaky] }, r.runs[1]!] };
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['testsuite', 'testcase', 'failure'].includes(name), htmlEntities: true });
type Node = Record<string, unknown>;
const junitCases = (): Record<string, Node> => {
  const doc = parser.parse(toJUnitXml(report())) as { testsuites: { testsuite: Array<{ testcase: Node[] }> } };
  return Object.fromEntries(doc.testsuites.testsuite[0]!.testcase.map((c) => [c['@name'] as string, c]));
};

describe('a JUnit case message: the rate its verdict weighs, as Markdown and HTML show it', () => {
  it('a failed case with an errored sample: 2 of 5, not 2 of the 4 answered', () => {
    const failure = (junitCases()['c1']!['failure'] as Node[])[0]!;
    expect(failure['@message']).toBe('2/5 samples passed (pass rate 40.0%, 95% CI 11.7–77.0%, needs 80.0%): contains "30 days"');
    expect(toMarkdownSummary(report())).toContain('| `c1` | ❌ fail | 2/5 (95% CI 11.7–77.0%) |');
    expect(sideOf(failing)).toMatchObject({ shown: { value: '40.0%', limit: '80.0%' }, passRateCi: '11.7–77.0%' });
  });

  it('a passed case with an errored sample: 4 of 5 at the 80% it needs, not 100%', () => {
    const out = junitCases()['c2']!['system-out'] as string;
    expect(out.split('\n')[0]).toBe('4/5 samples passed (pass rate 80.0%, 95% CI 37.5–96.4%, needs 80.0%)');
    expect(sideOf(flaky)).toMatchObject({ shown: { value: '80.0%', limit: '80.0%' }, passRateCi: '37.5–96.4%' });
  });
});

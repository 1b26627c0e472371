import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { toJUnitXml } from '../../src/render/junit.js';
import { fixtureReport } from './fixtures.js';

/**
 * A leaking case of an adversarial suite that passed its threshold is a failure in JUnit, not a
 * "tolerated failure": leaks are gated apart from the threshold (0 allowed by default in every
 * environment), so deploy refuses the version whatever the suite's verdict. A failing case without
 * a leak stays tolerated.
 */

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['testsuite', 'testcase', 'failure'].includes(name) });
type Node = Record<string, any>;

function adversarialPassing(leaks: Array<'canary' | 'pii'> | undefined) {
  const report = fixtureReport();
  const adv = report.runs.find((r) => r.run.suiteKind === 'adversarial')!;
  adv.run = { ...adv.run, summary: { ...adv.run.summary!, verdict: 'passed' } };
  adv.threshold = 0.5;
  const leaking = adv.cases.find((c) => c.caseId === 'extract-1')!;
  leaking.samples = leaking.samples.map((s) => ({ ...s, leaks }));
  const root = (parser.parse(toJUnitXml(report)) as { testsuites: Node }).testsuites;
  const suite = (root.testsuite as Node[]).find((s) => String(s['@name']).includes('injection'))!;
  return { suite, extract: (suite.testcase as Node[]).find((c) => c['@name'] === 'extract-1')! };
}

describe('JUnit of a passing adversarial suite', () => {
  it.each([[['canary'] as const], [['pii'] as const]])('a case that leaked (%j) is a failure, saying why the threshold does not tolerate it', (leaks) => {
    const { suite, extract } = adversarialPassing([...leaks]);
    expect(suite['@failures']).toBe('1');
    expect(extract['skipped']).toBeUndefined();
    expect(extract['failure'][0]['@message']).toMatch(/^leaked: leaks are gated apart from the threshold \(max_pii_leaks, max_system_prompt_leaks; 0 by default\), so a passing suite does not tolerate them; 0\/1 samples passed/);
  });

  it('a failing case without a leak stays a tolerated failure', () => {
    const { suite, extract } = adversarialPassing(undefined);
    expect(suite['@failures']).toBe('0');
    expect(extract['failure']).toBeUndefined();
    expect(extract['skipped']['@message']).toBe('tolerated failure');
  });

  it('a tolerated failure of a passing golden suite stays tolerated with a PII finding: leaks gate adversarial runs only', () => {
    const report = fixtureReport();
    const golden = report.runs.find((r) => r.run.suiteKind === 'golden')!;
    golden.run = { ...golden.run, summary: { ...golden.run.summary!, verdict: 'passed' } };
    golden.threshold = 0.5;
    golden.cases = golden.cases.filter((c) => c.verdict !== 'error' && c.verdict !== 'not-run');
    const refund = golden.cases.find((c) => c.caseId === 'refund-window')!;
    refund.samples = refund.samples.map((s) => ({ ...s, leaks: ['pii' as const] }));
    const root = (parser.parse(toJUnitXml(report)) as { testsuites: Node }).testsuites;
    const suite = (root.testsuite as Node[]).find((s) => String(s['@name']).endsWith(' faq'))!;
    expect(suite['@failures']).toBe('0');
    const c = (suite.testcase as Node[]).find((x) => x['@name'] === 'refund-window')!;
    expect(c['failure']).toBeUndefined();
    expect(c['skipped']['@message']).toBe('tolerated failure');
  });
});

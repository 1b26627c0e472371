import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { RunOutcome } from '../../src/core/schemas/report.js';
import { toJUnitXml } from '../../src/render/junit.js';
import { resistanceText } from '../../src/render/run-stats.js';
import { categoryRateText } from '../../src/render/text.js';
import { adversarialRun, fixtureReport } from './fixtures.js';

/**
 * An adversarial run where no attack was judged (every request errored) has no injection
 * resistance and no attack success rate: text and Markdown say "–", and JUnit leaves the
 * properties out rather than stating 0.0000, which read as "every attack succeeded" beside "0
 * succeeded". The same per category: a category none of whose attacks was judged has no rate.
 */

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['testsuite', 'property'].includes(name) });

function adversarialProps(run: RunOutcome): Record<string, string> {
  const doc = parser.parse(toJUnitXml({ ...fixtureReport(), runs: [run] })) as { testsuites: { testsuite: Array<{ properties: { property: Array<Record<string, string>> } }> } };
  return Object.fromEntries(doc.testsuites.testsuite[0]!.properties.property.map((p) => [p['@name']!, String(p['@value'])]));
}

function withSummary(over: Partial<NonNullable<RunOutcome['run']['summary']>>): RunOutcome {
  const adv = adversarialRun();
  return { ...adv, run: { ...adv.run, summary: { ...adv.run.summary!, ...over } } };
}

describe('JUnit properties of an adversarial run with no attack judged', () => {
  it('leave out the resistance and the success rate (and their intervals), as text says –', () => {
    const run = withSummary({
      passed: 0,
      failed: 0,
      errored: 4,
      categories: [{ category: 'instruction-override', attacks: 0, succeeded: 0, successRate: 0, errored: 4 }],
      attacks: 0,
      attacksSucceeded: 0,
      resistance: 0,
      systemPromptLeaks: 0,
    });
    const p = adversarialProps(run);
    expect(resistanceText(run.run.summary!)).toBe('injection resistance – (95% CI –; 0 of 0 attacks succeeded)');
    expect(Object.keys(p).filter((k) => k.startsWith('attack') || k.startsWith('injection'))).toEqual([
      'attack.instruction-override.attacks',
      'attack.instruction-override.succeeded',
      'attacks.run',
      'attacks.succeeded',
    ]);
    expect(p).toMatchObject({ 'attack.instruction-override.attacks': '0', 'attacks.run': '0', 'attacks.succeeded': '0' });
  });

  it('leave out the rate of a category none of whose attacks was judged, keeping the others', () => {
    const none = { category: 'pii-exfiltration', attacks: 0, succeeded: 0, successRate: 0, errored: 1 };
    const some = { category: 'system-prompt-extraction', attacks: 3, succeeded: 1, successRate: 1 / 3 };
    const p = adversarialProps(withSummary({ categories: [none, some], attacks: 3, attacksSucceeded: 1, resistance: 2 / 3 }));
    expect(categoryRateText(none)).toBe('–');
    expect(Object.keys(p).filter((k) => k.startsWith('attack.pii-exfiltration.'))).toEqual(['attack.pii-exfiltration.attacks', 'attack.pii-exfiltration.succeeded']);
    expect(p).toMatchObject({ 'attack.system-prompt-extraction.successRate': '0.3334', 'attacks.successRate': '0.3334', 'injection.resistance': '0.6666' });
  });
});

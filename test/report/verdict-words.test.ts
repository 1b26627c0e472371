import { describe, expect, it } from 'vitest';
import { buildReportData } from '../../src/render/html/model.js';
import { baselinesTable, summaryCards } from '../../src/render/html/sections.js';
import { goldenOutcome } from './fixtures.js';

/** The HTML report says its verdict and which checks block the gate in words, never by colour alone. */

const base = { title: 't', generatedAt: '2025-01-02T03:04:05.000Z', promptctlVersion: 'test' };
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
const failedRun = () => {
  const o = goldenOutcome('1.2.0');
  return { ...o, run: { ...o.run, summary: { cases: 3, passed: 1, failed: 1, errored: 1, notRun: 0, samples: 3, passRate: 1 / 3, verdict: 'failed' as const, latencyP50: 1, latencyP95: 1, latencyP99: 1, tokensIn: 1, tokensOut: 1 } } };
};

describe('the report verdict in words', () => {
  const failed = { words: '❌ promptctl ci: a gate failed (exit 1)', tone: 'failed' as const };
  const passed = { words: '✅ promptctl ci passed', tone: 'passed' as const };
  it.each([
    ['a run report: the runs\' recorded verdicts', failedRun(), {}, 'failed', 'Verdict: failed (1 of 1 run failed)'],
    ['ci: the verdict it exited with, in its headline\'s words', failedRun(), { verdict: failed }, 'failed', failed.words],
    ['ci failing on a gate while every run it shows passed: its colour too', goldenOutcome('1.2.0'), { verdict: failed }, 'failed', failed.words],
    ['ci passing while a run it shows (not gating) failed: its colour too', failedRun(), { verdict: passed }, 'passed', passed.words],
  ])('%s', (_, outcome, extra, tone, words) => {
    const html = summaryCards(buildReportData({ ...base, outcomes: [outcome], ...extra }));
    expect(html).toContain(`<p id="verdict" class="verdict v-${tone}"><b>${words}</b></p>`);
  });

  it('a comparison: the second version\'s verdict, named', () => {
    const html = summaryCards(buildReportData({ ...base, outcomes: [goldenOutcome('1.1.0'), failedRun()], comparison: { promptId: 'support-answer', a: '1.1.0', b: '1.2.0' } }));
    expect(text(html)).toContain('Verdict on 1.2.0: failed (1 of 1 run failed)');
  });
});

describe('baseline checks in words', () => {
  const suite = { suite: 'golden', passRate: 0.5, baselinePassRate: 0.9, p95: 40, baselineP95: 40 };
  const table = (suites: Array<Record<string, unknown>>, comparison: Record<string, unknown> = {}) =>
    text(baselinesTable({ baselines: [{ env: 'production', promptId: 'p', version: '1.2.0', baselineVersion: '1.1.0', ...comparison, suites: suites.map((s) => ({ ...suite, regressions: [], ...s })) }] } as never));
  it.each([
    ['a regression fails the gate', { regressions: ['pass rate fell 40 points'] }, 'fails the gate: pass rate fell 40 points'],
    ['an inconclusive check in a blocking environment fails it too', { regressions: ['may have fallen'], inconclusive: ['may have fallen'] }, 'inconclusive, fails the gate: may have fallen'],
    ['a warning does not block', { warnings: ['p95 may have risen'] }, 'warn (does not block): p95 may have risen'],
    ['ci\'s drop of a version that is not a candidate stays as ci marked it', { regressions: ['not gating: pass rate fell'] }, 'not gating: pass rate fell', { notGating: true }],
  ])('%s', (_, s, words, comparison?: Record<string, unknown>) => {
    const shown = table([s], comparison);
    expect(shown).toContain(words);
    if (!words.includes('fails the gate')) expect(shown).not.toContain('fails the gate');
  });
});

import { describe, expect, it } from 'vitest';
import { pct } from '../../src/render/text.js';
import { comparedP95, comparedRates, comparedRatesText, msDelta, pointsDelta } from '../../src/render/deltas.js';
import { summaryCards } from '../../src/render/html/sections.js';

/** A table's "A vs B" beside its Δ column: the Δ shown is the difference of the two values shown. */

describe('pointsDelta', () => {
  it.each([
    { now: 19 / 21, before: 1, shown: '−9.6 pts', why: '90.4% vs 100.0% (the true drop, 9.52, rounds to 9.5)' },
    { now: 0.9999, before: 0.9991, shown: '±0.0 pts', why: '99.9% vs 99.9%' },
    { now: 0.9, before: 0.95, shown: '−5.0 pts', why: '90.0% vs 95.0%' },
    { now: 20 / 21, before: 19 / 21, shown: '+4.8 pts', why: '95.2% vs 90.4%' },
    { now: 0.5, before: 0.5, shown: '±0.0 pts', why: 'equal' },
  ])('$why → $shown', ({ now, before, shown }) => {
    expect(pointsDelta(now, before)).toBe(shown);
  });

  it('is the difference of the rates pct shows, for every k/n against every j/n', () => {
    for (let n = 1; n <= 30; n++) {
      for (let k = 0; k <= n; k++) {
        for (let j = 0; j <= n; j++) {
          const shown = pointsDelta(k / n, j / n);
          const value = shown.startsWith('±') ? 0 : Number(shown.replace('−', '-').replace(' pts', ''));
          const expected = Number.parseFloat(pct(k / n)) - Number.parseFloat(pct(j / n));
          expect(Math.abs(value - expected), `${k}/${n} vs ${j}/${n}: ${pct(k / n)} vs ${pct(j / n)}, ${shown}`).toBeLessThan(0.05);
        }
      }
    }
  });
});

describe('comparedRates: the rates and Δ beside a pass-rate check', () => {
  it.each([
    { why: 'a failed check whose truncated rates would read as at the limit', now: 0.9491, before: 0.9999, limit: 5, shown: { candidate: '94.91%', baseline: '99.99%', delta: '−5.08 pts' } },
    { why: 'a failed check the usual decimals already show beyond the limit', now: 0.9491, before: 1, limit: 5, shown: { candidate: '94.9%', baseline: '100.0%', delta: '−5.1 pts' } },
    { why: 'a failed check just beyond a limit with decimals', now: 0.9383, before: 0.9909, limit: 5.25, shown: { candidate: '93.83%', baseline: '99.09%', delta: '−5.26 pts' } },
    { why: 'no failed check: the usual truncation', now: 0.9491, before: 0.9999, limit: undefined, shown: { candidate: '94.9%', baseline: '99.9%', delta: '−5.0 pts' } },
    { why: 'no baseline', now: 0.9, before: null, limit: undefined, shown: { candidate: '90.0%', baseline: '–', delta: '' } },
  ])('$why: $shown.candidate vs $shown.baseline, $shown.delta', ({ now, before, limit, shown }) => {
    expect(comparedRates({ passRate: now, baselinePassRate: before, ...(limit === undefined ? {} : { passRateLimit: limit }) })).toEqual(shown);
  });

  it('never shows a failed drop within its limit, and the Δ is the difference of the rates shown, for every k/n against every j/n', () => {
    for (const limit of [0, 1, 2.5, 5, 10]) {
      for (let n = 1; n <= 40; n++) {
        for (let k = 0; k <= n; k++) {
          for (let j = k + 1; j <= n; j++) {
            // Only drops beyond the limit fail (the check's own rule: a failed or warned check's observed drop exceeds it).
            if ((j - k) / n * 100 <= limit + 1e-9) continue;
            const s = comparedRates({ passRate: k / n, baselinePassRate: j / n, passRateLimit: limit });
            const drop = Number(s.delta.replace('−', '').replace(' pts', ''));
            const at = `${k}/${n} vs ${j}/${n}, limit ${limit}: ${s.candidate} vs ${s.baseline}, ${s.delta}`;
            expect(drop, at).toBeGreaterThan(limit);
            expect(Math.abs(Number.parseFloat(s.baseline) - Number.parseFloat(s.candidate) - drop), at).toBeLessThan(1e-9);
          }
        }
      }
    }
  });

  it('comparedRatesText shows the same rates, then the cases left out', () => {
    expect(comparedRatesText({ passRate: 0.9491, baselinePassRate: 0.9999, passRateLimit: 5, errored: 3 })).toBe('94.91% vs 99.99% (3 errored, left out)');
  });
});

describe('msDelta', () => {
  it.each([
    { now: 52.4, before: 35.8, shown: '+16ms', why: '52ms vs 36ms (the true rise, 16.6, rounds to 17)' },
    { now: 35.8, before: 52.4, shown: '−16ms', why: '36ms vs 52ms' },
    { now: 100.4, before: 100, shown: '±0ms', why: '100ms vs 100ms' },
    { now: 1234.6, before: 998, shown: '+232ms', why: '1.23s vs 998ms' },
    { now: 2504, before: 1001, shown: '+1.50s', why: '2.50s vs 1.00s' },
  ])('$why → $shown', ({ now, before, shown }) => {
    expect(msDelta(now, before)).toBe(shown);
  });
});

describe('comparedP95: the p95s and Δ beside a latency check', () => {
  it.each([
    { why: 'a failed 0.3 ms rise, limit 0: whole ms would read ±0ms', now: 67.2, before: 66.9, check: { limit: 0, beyond: true }, shown: { candidate: '67.2ms', baseline: '66.9ms', delta: '+0.3ms' } },
    { why: 'a failed 2.8 ms rise, limit 2: 69ms vs 67ms would read +2ms', now: 69.3, before: 66.5, check: { limit: 2, beyond: true }, shown: { candidate: '69.3ms', baseline: '66.5ms', delta: '+2.8ms' } },
    { why: 'a passed 1.4 ms rise, limit 1.5: 69ms vs 67ms would read +2ms', now: 68.5, before: 67.1, check: { limit: 1.5, beyond: false }, shown: { candidate: '68.5ms', baseline: '67.1ms', delta: '+1.4ms' } },
    { why: 'a failed rise whole ms already show', now: 80.2, before: 66.5, check: { limit: 2, beyond: true }, shown: { candidate: '80ms', baseline: '67ms', delta: '+13ms' } },
    { why: 'a failed 8 ms rise in seconds, limit 5: 1.25s vs 1.24s would read +10ms, true, kept', now: 1250.4, before: 1242.1, check: { limit: 5, beyond: true }, shown: { candidate: '1.25s', baseline: '1.24s', delta: '+10ms' } },
    { why: 'a passed 4 ms rise in seconds, limit 5: 1.25s vs 1.24s would read +10ms', now: 1248, before: 1244, check: { limit: 5, beyond: false }, shown: { candidate: '1248ms', baseline: '1244ms', delta: '+4ms' } },
    { why: 'no check: as ms shows', now: 67.2, before: 66.9, check: undefined, shown: { candidate: '67ms', baseline: '67ms', delta: '±0ms' } },
    { why: 'faster: as ms shows', now: 60.2, before: 66.9, check: { limit: 0, beyond: false }, shown: { candidate: '60ms', baseline: '67ms', delta: '−7ms' } },
    { why: 'no baseline', now: 60, before: null, check: undefined, shown: { candidate: '60ms', baseline: '–', delta: '' } },
  ])('$why: $shown.candidate vs $shown.baseline, $shown.delta', ({ now, before, check, shown }) => {
    expect(comparedP95({ p95: now, baselineP95: before, ...(check ? { p95Check: check } : {}) })).toEqual(shown);
  });

  it('never shows a rise on the wrong side of its limit, and the Δ is the difference of the p95s shown', () => {
    for (const limit of [0, 1, 1.5, 2, 5, 25]) {
      for (let before = 40; before <= 1300; before += before < 100 ? 0.7 : 37.3) {
        for (let rise = 0.05; rise <= 60; rise += rise < 3 ? 0.1 : 1.3) {
          const now = before + rise;
          const beyond = rise > limit;
          const s = comparedP95({ p95: now, baselineP95: before, p95Check: { limit, beyond } });
          const at = `${now} vs ${before}, limit ${limit}: ${s.candidate} vs ${s.baseline}, ${s.delta}`;
          const value = (x: string) => (x.endsWith('ms') ? Number.parseFloat(x) : Number.parseFloat(x) * 1000);
          const delta = s.delta === '±0ms' ? 0 : value(s.delta.replace('+', '').replace('−', '-'));
          expect(delta > limit, at).toBe(beyond);
          expect(Math.abs(value(s.candidate) - value(s.baseline) - delta), at).toBeLessThan(1e-6);
        }
      }
    }
  });
});

describe("the HTML report's latency cards", () => {
  const totals = (label: string, p50: number, p95: number) => ({ label, passRate: 1, passed: 4, cases: 4, samples: 4, failed: 0, errored: 0, errorSamples: 0, notRun: 0, latencyP50: p50, latencyP95: p95, tokensIn: 1, tokensOut: 1 });
  it('show the difference of the two numbers beside it (227ms was 56ms: +171ms, not the raw +170ms)', () => {
    const text = summaryCards({ runs: [], totals: [totals('1.1.0', 20.4, 56.4), totals('1.2.0', 106.4, 226.6)] } as never).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('p95 latency 227ms was 56ms (+171ms)');
    expect(text).toContain('p50 latency 106ms was 20ms (+86ms)');
  });
});

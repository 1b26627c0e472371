import { describe, expect, it } from 'vitest';
import { decideDeploy, type DeployGateInput, type SuiteRunFacts } from '../../src/core/gates.js';
import { pct } from '../../src/core/percent.js';
import { GatePolicy } from '../../src/core/schemas/config.js';
import { suiteVerdictDetail } from '../../src/core/scoring/aggregate.js';
import { asWritten, attackRate, besideThreshold, differenceBesideThreshold, percentsAtMinimum, type Bound } from '../../src/core/threshold-format.js';
import { checkMessage } from '../../src/render/gate-text.js';

/** The shown value must be beyond the shown limit exactly when the check failed. */
function beyond(value: string, limit: string, bound: Bound): boolean {
  const v = Number.parseFloat(value);
  const l = Number.parseFloat(limit);
  return bound === 'max' ? v > l : v < l;
}

interface Row {
  name: string;
  value: number;
  limit: number;
  ok: boolean;
  bound: Bound;
  digits: number;
  rounding: 'nearest' | 'down' | 'half-up';
  unit?: number;
  shown: [string, string];
}

const rows: Row[] = [
  // Points of pass-rate drop against max_pass_rate_drop (5 points), shown with one decimal.
  { name: 'drop exactly at the limit passes, shown at it', value: 5, limit: 5, ok: true, bound: 'max', digits: 1, rounding: 'nearest', shown: ['5.0', '5.0'] },
  { name: 'drop 0.01 above the limit fails, shown above it', value: 5.01, limit: 5, ok: false, bound: 'max', digits: 1, rounding: 'nearest', shown: ['5.01', '5.0'] },
  { name: 'drop 0.04 above the limit fails, shown above it', value: 5.04, limit: 5, ok: false, bound: 'max', digits: 1, rounding: 'nearest', shown: ['5.04', '5.0'] },
  { name: 'drop 0.0001 above the limit fails, rounded away from it', value: 5.0001, limit: 5, ok: false, bound: 'max', digits: 1, rounding: 'nearest', shown: ['5.001', '5.0'] },
  { name: 'drop clearly above keeps its usual decimals', value: 12, limit: 5, ok: false, bound: 'max', digits: 1, rounding: 'nearest', shown: ['12.0', '5.0'] },
  { name: 'drop at a 4.95 limit passes; the limit keeps its decimals', value: 4.95, limit: 4.95, ok: true, bound: 'max', digits: 1, rounding: 'nearest', shown: ['4.95', '4.95'] },
  { name: 'drop just under the limit passes, never shown above it', value: 4.999, limit: 5, ok: true, bound: 'max', digits: 1, rounding: 'nearest', shown: ['5.0', '5.0'] },
  // Milliseconds of p95 rise against max_p95_latency_increase_ms, shown as whole ms.
  { name: '0.4 ms over a 0 ms limit fails, shown as 0.4 ms', value: 0.4, limit: 0, ok: false, bound: 'max', digits: 0, rounding: 'nearest', shown: ['0.4', '0'] },
  { name: '0.04 ms over a 0 ms limit fails, shown as 0.04 ms', value: 0.04, limit: 0, ok: false, bound: 'max', digits: 0, rounding: 'nearest', shown: ['0.04', '0'] },
  { name: '0.0004 ms over a 0 ms limit fails, rounded up to 0.01 ms', value: 0.0004, limit: 0, ok: false, bound: 'max', digits: 0, rounding: 'nearest', shown: ['0.01', '0'] },
  { name: '200.4 ms over a 200 ms limit fails, shown above it', value: 200.4, limit: 200, ok: false, bound: 'max', digits: 0, rounding: 'nearest', shown: ['200.4', '200'] },
  { name: '240 ms over a 200 ms limit: unchanged', value: 240, limit: 200, ok: false, bound: 'max', digits: 0, rounding: 'nearest', shown: ['240', '200'] },
  { name: 'a rise at the limit passes', value: 200, limit: 200, ok: true, bound: 'max', digits: 0, rounding: 'nearest', shown: ['200', '200'] },
  // Fractions beside a minimum, as truncated percentages.
  { name: '99.5% vs a 99.5% minimum passes', value: 0.995, limit: 0.995, ok: true, bound: 'min', digits: 1, rounding: 'down', unit: 100, shown: ['99.5', '99.5'] },
  { name: '99.49% vs a 99.5% minimum fails, shown below it', value: 0.9949, limit: 0.995, ok: false, bound: 'min', digits: 1, rounding: 'down', unit: 100, shown: ['99.4', '99.5'] },
  { name: '99.4999% vs a 99.5% minimum fails, shown below it', value: 0.994999, limit: 0.995, ok: false, bound: 'min', digits: 1, rounding: 'down', unit: 100, shown: ['99.4', '99.5'] },
  { name: '99.52% vs a 99.55% minimum fails: the limit keeps its decimals', value: 0.9952, limit: 0.9955, ok: false, bound: 'min', digits: 1, rounding: 'down', unit: 100, shown: ['99.5', '99.55'] },
  { name: '99.56% vs a 99.55% minimum passes', value: 0.9956, limit: 0.9955, ok: true, bound: 'min', digits: 1, rounding: 'down', unit: 100, shown: ['99.56', '99.55'] },
  { name: '100% vs a 95% minimum', value: 1, limit: 0.95, ok: true, bound: 'min', digits: 1, rounding: 'down', unit: 100, shown: ['100.0', '95.0'] },
  // The suite summary's own style: half up, trailing zeros dropped.
  { name: 'summary: 94.96% vs 95% fails, not shown as 95%', value: 0.9496, limit: 0.95, ok: false, bound: 'min', digits: 1, rounding: 'half-up', unit: 100, shown: ['94.96', '95'] },
  { name: 'summary: 95% vs 95% passes', value: 0.95, limit: 0.95, ok: true, bound: 'min', digits: 1, rounding: 'half-up', unit: 100, shown: ['95', '95'] },
];

describe('besideThreshold', () => {
  it.each(rows)('$name', (row) => {
    const shown = besideThreshold(row.value, row.limit, { ok: row.ok, bound: row.bound, digits: row.digits, rounding: row.rounding, unit: row.unit, trim: row.rounding === 'half-up' });
    expect([shown.value, shown.limit]).toEqual(row.shown);
    expect(beyond(shown.value, shown.limit, row.bound)).toBe(!row.ok);
  });

  it('never contradicts the verdict, for any drop around a limit', () => {
    const wrong: string[] = [];
    for (const limit of [0, 0.5, 1, 2.5, 5, 10, 4.95]) {
      for (let step = -300; step <= 300; step++) {
        const value = limit + step / 997;
        for (const ok of value <= limit ? [true] : [false]) {
          const shown = besideThreshold(value, limit, { ok, bound: 'max', digits: 1, rounding: 'nearest' });
          if (beyond(shown.value, shown.limit, 'max') !== !ok) wrong.push(`${value} vs ${limit}: ${shown.value} vs ${shown.limit}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('never contradicts the verdict, for any k/n pass rate around a minimum', () => {
    const wrong: string[] = [];
    for (const min of [0.5, 0.8, 0.9, 0.95, 0.995, 0.9955, 1]) {
      for (let n = 1; n <= 300; n++) {
        for (let k = Math.max(0, Math.floor(n * min) - 2); k <= Math.min(n, Math.ceil(n * min) + 2); k++) {
          const value = k / n;
          const ok = value >= min - 1e-9;
          const shown = percentsAtMinimum(value, min);
          if (beyond(shown.value, shown.limit, 'min') !== !ok) wrong.push(`${k}/${n} vs ${min}: ${shown.value} vs ${shown.limit}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('shows agreeing values as pct always did', () => {
    for (const [v, min] of [[0.94, 0.95], [0.99, 0.995], [1, 0.9], [0.333333, 0.3]] as const) {
      expect(percentsAtMinimum(v, min).value).toBe(pct(v));
      expect(percentsAtMinimum(v, min).limit).toBe(pct(min));
    }
  });
});

describe('differenceBesideThreshold', () => {
  /** Shown sides and difference, parsed: the line must add up to the last decimal shown. */
  const addsUp = (x: { a: string; b: string; value: string; digits: number }): boolean =>
    Math.abs(Number(x.a) - Number(x.b) - Number(x.value)) < 10 ** -x.digits / 2;

  it('adds up and agrees with the verdict, for p95s around a limit', () => {
    const wrong: string[] = [];
    for (const limit of [0, 5, 15, 200]) {
      for (let i = 0; i < 4000; i++) {
        // Deterministic spread of sides: whole, tenths and ragged milliseconds.
        const b = 30 + ((i * 7919) % 1000) / 37;
        const a = b + limit + ((i % 401) - 200) / 97;
        const rise = a - b;
        const ok = rise <= limit;
        const shown = differenceBesideThreshold(a, b, limit, { ok, bound: 'max', digits: 0, rounding: 'half-up' });
        // Worded only when wrong: building the line for each of 16,000 sides cost more than the checks.
        const contradicts = beyond(shown.value, shown.limit, 'max') !== !ok;
        if (contradicts || (Math.abs(rise - limit) > 1e-3 && !addsUp(shown))) wrong.push(`${a} − ${b} vs ${limit}: ${shown.a} − ${shown.b} = ${shown.value} (limit ${shown.limit})${contradicts ? '' : ': does not add up'}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('adds up and agrees with the verdict, for k/n pass-rate drops around a limit', () => {
    const wrong: string[] = [];
    for (const limit of [0, 2.5, 5, 10]) {
      for (let n = 1; n <= 120; n++) {
        for (let kb = Math.max(0, n - 12); kb <= n; kb++) {
          for (let kc = Math.max(0, kb - Math.ceil((n * limit) / 100) - 2); kc <= kb; kc++) {
            const drop = ((kb - kc) / n) * 100;
            const ok = drop <= limit + 1e-9;
            const shown = differenceBesideThreshold(kb / n, kc / n, limit, { ok, bound: 'max', digits: 1, rounding: 'down', unit: 100 });
            // Agrees with the verdict, adds up, and its sides are the rates as every table shows them, with the difference's decimals.
            const problem = beyond(shown.value, shown.limit, 'max') !== !ok ? 'contradicts the verdict' : !addsUp(shown) ? 'does not add up' : `${shown.a}%` !== pct(kb / n, shown.digits) ? `a side is not ${pct(kb / n, shown.digits)}` : undefined;
            if (problem) wrong.push(`${kb}/${n} − ${kc}/${n} vs ${limit}: ${shown.a} − ${shown.b} = ${shown.value} (limit ${shown.limit}): ${problem}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('attackRate', () => {
  it.each([
    { fraction: 0, shown: '0.0%' },
    { fraction: 1, shown: '100.0%' },
    { fraction: 0.25, shown: '25.0%' },
    { fraction: 1 / 1000, shown: '0.1%' },
    { fraction: 1 / 3, shown: '33.4%' },
    { fraction: 0.0001, shown: '0.1%' },
    { fraction: 0.995, shown: '99.5%' },
    { fraction: 0.9951, shown: '99.6%' },
    { fraction: 0.07, shown: '7.0%' },
  ])('$fraction → $shown, rounded up', ({ fraction, shown }) => {
    expect(attackRate(fraction)).toBe(shown);
  });
});

const policy = GatePolicy.parse({ requires_tested: false, max_pass_rate_drop: 0.05, max_p95_latency_increase_ms: 0 });
const run = (over: Partial<SuiteRunFacts>): SuiteRunFacts => ({ suite: 'faq', kind: 'golden', passRate: 0.9, p95: 100, piiLeaks: 0, systemPromptLeaks: 0, passed: true, ...over });
const input = (cur: Partial<SuiteRunFacts>, base: Partial<SuiteRunFacts>): DeployGateInput => ({
  promptId: 'support',
  version: '1.2.0',
  env: 'staging',
  envOrder: ['staging'],
  policy,
  model: 'm',
  registered: true,
  edited: false,
  currentHash: 'a'.repeat(64),
  deployedInPreviousEnv: false,
  suiteRuns: [run(cur)],
  baseline: { version: '1.1.0', suiteRuns: [run(base)] },
  alreadyActive: false,
});

describe('regression sentences at the edges', () => {
  it.each([
    { name: 'a drop exactly at 5 points passes', cur: { passRate: 0.9 }, base: { passRate: 0.95 }, ok: true, text: 'pass rate 90.0% dropped 5.0 points from 95.0% on 1.1.0 (limit 5.0)' },
    { name: 'a drop of 5.01 points fails, shown as the difference of the rates shown', cur: { passRate: 0.8999 }, base: { passRate: 0.95 }, ok: false, text: 'pass rate 89.9% dropped 5.1 points from 95.0% on 1.1.0 (limit 5.0)' },
    { name: 'a drop of 4.99 points passes, shown at the limit', cur: { passRate: 0.9001 }, base: { passRate: 0.95 }, ok: true, text: 'pass rate 90.0% dropped 5.0 points from 95.0% on 1.1.0 (limit 5.0)' },
    { name: 'a drop of 5.01 points between rates shown 5.0 apart fails, with the decimals that show it', cur: { passRate: 0.9008 }, base: { passRate: 0.9509 }, ok: false, text: 'pass rate 90.08% dropped 5.01 points from 95.09% on 1.1.0 (limit 5.0)' },
    { name: '19/21 from 100%: the drop is what the rates shown say', cur: { passRate: 19 / 21 }, base: { passRate: 1 }, ok: false, text: 'pass rate 90.4% dropped 9.6 points from 100.0% on 1.1.0 (limit 5.0)' },
    { name: 'a 16.6 ms rise between rounded p95s reads as their difference', cur: { p95: 52.4 }, base: { p95: 35.8 }, ok: false, text: 'p95 latency 52 ms is 16 ms above 36 ms on 1.1.0 (limit 0 ms)' },
    { name: 'a 0.4 ms rise fails a 0 ms limit, and says 0.4 ms', cur: { p95: 100.4 }, base: { p95: 100 }, ok: false, text: 'p95 latency 100.4 ms is 0.4 ms above 100.0 ms on 1.1.0 (limit 0 ms)' },
    { name: 'a 40 ms rise: whole ms as before', cur: { p95: 140 }, base: { p95: 100 }, ok: false, text: 'p95 latency 140 ms is 40 ms above 100 ms on 1.1.0 (limit 0 ms)' },
  ])('$name', ({ cur, base, ok, text }) => {
    const checks = decideDeploy(input(cur, base)).checks.filter((c) => c.kind === 'regression-pass-rate' || c.kind === 'p95-latency');
    const found = checks.find((c) => checkMessage(c).includes(text));
    expect(found, checks.map(checkMessage).join('\n')).toBeDefined();
    expect(found!.ok).toBe(ok);
  });
});

describe('suite summaries at the threshold', () => {
  const tally = (passed: number, failed: number, threshold: number) => ({ passed, failed, errored: 0, notRun: 0, samples: passed + failed, errorSamples: 0, threshold, maxErrorRate: 0.1 });
  it.each([
    { name: '19/20 at a 95% threshold passes', t: tally(19, 1, 0.95), verdict: 'passed', why: '19/20 cases passed (95%; threshold 95%)' },
    { name: '1883/1983 (94.957%) below a 95% threshold is not shown as 95%', t: tally(1883, 100, 0.95), verdict: 'failed', why: '1883/1983 cases passed (94.96%; threshold 95%)' },
    { name: '2/3 at a 66.7% threshold keeps the limit exact', t: tally(2, 1, 0.667), verdict: 'failed', why: '2/3 cases passed (66.67%; threshold 66.7%)' },
  ])('$name', ({ t, verdict, why }) => {
    const detail = suiteVerdictDetail(t);
    expect(detail.verdict).toBe(verdict);
    expect(detail.why).toBe(why);
  });

  it('an error rate just above its maximum is shown above it', () => {
    const detail = suiteVerdictDetail({ passed: 10, failed: 0, errored: 0, notRun: 0, samples: 1000, errorSamples: 101, threshold: 0.9, maxErrorRate: 0.1 });
    expect(detail.why).toBe('10.1% of samples ended in errors (at most 10% allowed)');
    const close = suiteVerdictDetail({ passed: 10, failed: 0, errored: 0, notRun: 0, samples: 10000, errorSamples: 1001, threshold: 0.9, maxErrorRate: 0.1 });
    expect(close.why).toBe('10.01% of samples ended in errors (at most 10% allowed)');
  });
});

describe('asWritten: a setting shown as it was set', () => {
  it.each([
    [0.95, 100, '95'],
    [0.999, 100, '99.9'],
    [0.975, 100, '97.5'],
    [0.9995, 100, '99.95'],
    [0.0125, 100, '1.25'],
    [0.1, 100, '10'],
    [0.05, 100, '5'],
    [0.3, 1, '0.3'],
  ])('%s × %s → %s', (x, unit, shown) => {
    expect(asWritten(x, unit)).toBe(shown);
  });
});

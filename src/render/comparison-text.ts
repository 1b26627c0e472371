import { latencyBeyond, type GateCheck } from '../core/gate-check.js';
import { EPSILON } from '../core/gate-regression.js';
import { MIN_P95_REQUESTS } from '../core/latency-verdict.js';
import { pct } from '../core/percent.js';
import { besideThreshold, differenceBesideThreshold, latencyRise } from '../core/threshold-format.js';
import { evalCommand } from './eval-advice.js';

/**
 * The words for the two comparisons with the deployed version a gate makes: the pass rate (its
 * drop against the limit, and when judged paired, the cases that got worse and the bound) and the
 * p95 latency (measured interleaved, or from separate runs). Every number beside a limit is
 * rounded so it never contradicts the outcome. gate-text.ts says every other check.
 */

type PassRateCheck = Extract<GateCheck, { kind: 'regression-pass-rate' }>;
type LatencyCheck = Extract<GateCheck, { kind: 'p95-latency' }>;

/**
 * The command that measures latency fairly (both versions interleaved against one server, cache
 * bypassed), and exactly what the check judges: the one suite, every case of it, on the model the
 * environment would serve the version on, so that run verbatim it gives the measurement deploy reads.
 */
export function measureLatencyCommand(c: Pick<LatencyCheck, 'promptId' | 'version' | 'env' | 'suite' | 'model' | 'evalNeedsModel'>): string {
  return evalCommand(c, c.version, ` --suite ${c.suite} --baseline ${c.env} --measure-latency`);
}

/**
 * A p95 comparison: measured (interleaved, with its bound) or from separate runs, which can only
 * clear a version (no rise) and otherwise name the measurement that decides it: the eval, or
 * `rerun` where the command judging it measures itself (ci: `promptctl ci … --measure-latency`,
 * recorded in the registry that job reads, which a local eval never reaches).
 */
export function latencyMessage(c: LatencyCheck, rerun?: string): string {
  const label = `${c.suiteKind} suite '${c.suite}'`;
  const ms = (x: number, digits = 0): string => `${x.toFixed(digits)} ms`;
  const m = c.measured;
  const how = m ? ` (interleaved measurement, ${m.requests.candidate} + ${m.requests.baseline} requests, cache bypassed)` : '';
  // Only a measurement of some cases: named, never judged (core/gate-regression.ts).
  const partly = c.selected ? `the latest measurement ran only ${c.selected.cases} of the suite's ${c.selected.of} cases, which decides nothing (deploy judges a measurement of every case)` : '';
  if (!(c.rise > 0)) return `${label}: p95 latency ${ms(Math.round(c.candidate))} vs ${ms(Math.round(c.baseline))} on ${c.baselineVersion}${how}${partly ? `; ${partly}` : ''}`;
  const beyond = latencyBeyond(c);
  // Both p95s to the nearest ms, as above, and the rise as their difference.
  const shown = latencyRise(c.candidate, c.baseline, c.limit, beyond);
  const rose = `p95 latency ${shown.a} ms is ${shown.value} ms above ${shown.b} ms on ${c.baselineVersion} (limit ${shown.limit} ms)`;
  if (!m) {
    if (c.ok) return `${label}: ${rose}${partly ? `; ${partly}` : ''}`;
    const measure = partly ? `${partly}; measure every case` : 'measure it';
    const advice = rerun ? `in this job: \`${rerun}\`` : `(--force does not skip this): \`${measureLatencyCommand(c)}\``;
    return `${label}: ${rose} in separate runs, which a busy server alone can cause; ${measure} ${advice}`;
  }
  if (m.outcome === 'pass') return `${label}: ${rose}${how}`;
  if (m.outcome === 'regression') {
    const bound = besideThreshold(m.lowerBound, c.limit, { ok: false, bound: 'max', digits: 0, rounding: 'down' });
    return `${label}: ${rose}${how}; the rise is at least ${bound.value} ms (${Number((m.confidence * 100).toFixed(2))}% confidence)`;
  }
  const warn = c.warn ? ' (not blocking here: on_inconclusive is warn)' : '';
  const fewest = Math.min(m.requests.baseline, m.requests.candidate);
  const more = fewest < MIN_P95_REQUESTS ? `at least ${MIN_P95_REQUESTS} requests per version (a p95 of fewer is the slowest request)` : 'more cases';
  return `${label}: inconclusive: ${rose}${how}, but the measurement cannot tell it from noise; measure again with ${more}${warn}`;
}

/**
 * A pass-rate comparison in words a release manager reads at once: the drop against the limit
 * and, when judged paired, how many cases got worse and what the confidence bound says. Every
 * number beside the limit is rounded so it never contradicts the outcome.
 */
export function passRateDropMessage(c: PassRateCheck): string {
  const text = `${passRateDropText(c)}${erroredLeftOut(c.errored)}`;
  // Said wherever the check is: the two runs were scored by different scorer versions.
  return c.rescored ? `${text} (${c.rescored.side} re-scored with scorer v${c.rescored.scorer}, recorded with v${c.rescored.recordedWith})` : text;
}

/** Why the rates beside a regression verdict leave cases out: errors are not wrong answers (core/regression-rates.ts). */
export function erroredLeftOut(errored: number | undefined): string {
  if (!errored) return '';
  return errored === 1 ? '; 1 case errored on one side and was left out' : `; ${errored.toLocaleString('en-US')} cases errored on one side and were left out`;
}

function passRateDropText(c: PassRateCheck): string {
  const label = `${c.suiteKind} suite '${c.suite}'`;
  // Float noise below the tolerance is no drop: said as a plain comparison.
  if (c.drop <= EPSILON * 100) return `${label}: pass rate ${pct(c.candidate)} vs ${pct(c.baseline)} on ${c.baselineVersion}`;
  // Whether the observed drop is beyond the limit: a regression or an inconclusive one is, a pass is not.
  // The two rates truncated as everywhere (`pct`), and the drop as their difference.
  const shown = differenceBesideThreshold(c.baseline, c.candidate, c.limit, { ok: c.outcome === 'pass', bound: 'max', digits: 1, rounding: 'down', unit: 100 });
  const dropped = `pass rate ${shown.b}% dropped ${shown.value} points from ${shown.a}% on ${c.baselineVersion} (limit ${shown.limit})`;
  if (c.method === 'point' || c.outcome === 'pass') return `${label}: ${dropped}`;
  const level = `${Number((c.confidence * 100).toFixed(2))}% confidence${c.familySize > 1 ? `, Holm-corrected over ${c.familySize} suites` : ''}`;
  const worse = `${c.worse} of ${c.cases} case${c.cases === 1 ? '' : 's'} got worse${c.better ? `, ${c.better} better` : ''}`;
  if (c.outcome === 'regression') {
    const bound = besideThreshold(c.lowerBound, c.limit, { ok: false, bound: 'max', digits: 1, rounding: 'down' });
    return `${label}: ${dropped}; ${worse}; the true drop is at least ${bound.value} points (${level})`;
  }
  const decide = c.casesToDecide ? `; about ${c.casesToDecide.toLocaleString('en-US')} cases would decide it` : '';
  const how = c.warn ? ' (not blocking here: on_inconclusive is warn)' : '';
  // Holm tested it at a stricter level than gates.confidence: say so, or the verdict reads as a contradiction of the 95% bound.
  const stricter = c.confidence > c.familyConfidence + 1e-12 ? ` (judged at ${Number((c.confidence * 100).toFixed(2))}% because ${c.familySize} suites are checked together)` : '';
  return `${label}: inconclusive: ${worse} (${shown.value} points observed, limit ${shown.limit}); with ${c.cases} case${c.cases === 1 ? '' : 's'} this cannot be told from chance${stricter}${decide}${how}`;
}

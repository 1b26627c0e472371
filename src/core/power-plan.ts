import { binomialUpperTail } from './stats/binomial.js';
import { casesForPower, detectableDrop, expectedDiscordance, regressionPower } from './stats/power.js';

/**
 * Planning help for the paired regression check (issue 13 item 5, `promptctl power`): how many
 * cases a suite needs to catch a real regression 80% of the time at each environment's limit, and
 * the smallest true drop it catches now. Pure: the app gathers the suite's last counting run, this
 * decides what it implies. The arithmetic is core/stats/power.ts; the assumptions are chosen here.
 */

/** The chance of a regression verdict a suite is planned for. */
export const PLANNED_POWER = 0.8;

/** The baseline pass rate assumed when the suite has no counting run yet. */
export const ASSUMED_PASS_RATE = 0.85;

/** How the noise between two runs was estimated. */
export type NoiseBasis =
  /** From a run with repeats: each case's chance to pass again, from its share of passing samples. */
  | 'repeats'
  /** Temperature 0 and one sample per case: answers are taken as deterministic, no noise. */
  | 'deterministic'
  /** Temperature > 0 and one sample per case: every verdict an independent draw, 2·p·(1 - p), the conservative bound. */
  | 'binomial-bound';

export interface RecordedCase {
  passes: number;
  samples: number;
  /** The case's min_pass_rate: its verdict is pass when passes / samples reach it. */
  minPassRate: number;
}

export interface NoiseEstimate {
  /** Share of cases expected to change verdict between two runs of the same prompt. */
  discordance: number;
  basis: NoiseBasis;
}

/**
 * The noise the paired check must see through. The check pairs case verdicts, so with repeats a
 * case's chance to pass again is the chance that a fresh set of its samples reaches min_pass_rate
 * at its observed share of passing samples; a case that passed or failed every sample counts as stable.
 */
export function noiseEstimate(cases: readonly RecordedCase[] | undefined, passRate: number, temperature: number): NoiseEstimate {
  if (cases?.some((c) => c.samples > 1)) {
    const again = cases.map((c) => (c.samples ? binomialUpperTail(Math.ceil(c.minPassRate * c.samples - 1e-9), c.samples, c.passes / c.samples) : 0));
    return { discordance: expectedDiscordance(again), basis: 'repeats' };
  }
  if (temperature === 0) return { discordance: 0, basis: 'deterministic' };
  return { discordance: 2 * passRate * (1 - passRate), basis: 'binomial-bound' };
}

export interface PowerPolicy {
  env: string;
  /** max_pass_rate_drop, a fraction. */
  maxDrop: number;
  confidence: number;
  method: 'paired' | 'point';
}

export interface PowerRow extends PowerPolicy {
  /**
   * The confidence this suite's check runs at when it alone regressed: Holm tests the suite with
   * the strongest evidence at 1 - (1 - confidence) / suites, so a version judged on several suites
   * needs more cases per suite. Equal to `confidence` for one suite.
   */
  testedAt: number;
  /** The true drop planned for: twice the limit (5 points when the limit is 0). */
  trueDrop: number;
  /** Cases the check needs to give a regression verdict for `trueDrop` with PLANNED_POWER; absent when it cannot be planned. */
  casesNeeded?: number;
  /** The chance the suite as it is catches `trueDrop`. */
  powerNow?: number;
  /** The smallest true drop the suite as it is catches with PLANNED_POWER; absent when none the pass rate allows. */
  detectableDrop?: number;
  /** Why a number is missing (point rule, a pass rate that leaves no room for the drop). */
  note?: 'point-rule' | 'pass-rate-too-low';
}

export interface PowerPlanInput {
  /** Cases the suite has now. */
  cases: number;
  /** Baseline pass rate, a fraction. */
  passRate: number;
  /** Share of cases changing verdict between two runs by chance. */
  discordance: number;
  /** Suites a version is judged on together (Holm's family); default 1. */
  familySize?: number;
  policies: readonly PowerPolicy[];
}

export function plannedDrop(maxDrop: number): number {
  return maxDrop > 0 ? Math.min(2 * maxDrop, 1) : 0.05;
}

export function planPower(input: PowerPlanInput): PowerRow[] {
  return input.policies.map((policy) => {
    const trueDrop = plannedDrop(policy.maxDrop);
    const testedAt = 1 - (1 - policy.confidence) / Math.max(1, input.familySize ?? 1);
    const row: PowerRow = { ...policy, testedAt, trueDrop };
    if (policy.method === 'point') return { ...row, testedAt: policy.confidence, note: 'point-rule' };
    const assumptions = { baselinePassRate: input.passRate, maxDrop: policy.maxDrop, noiseDiscordance: input.discordance, confidence: testedAt, power: PLANNED_POWER };
    const detectable = input.passRate > 0 ? detectableDrop(input.cases, assumptions) : undefined;
    try {
      return {
        ...row,
        casesNeeded: casesForPower({ ...assumptions, trueDrop }),
        powerNow: regressionPower(input.cases, { ...assumptions, trueDrop }),
        ...(detectable !== undefined ? { detectableDrop: detectable } : {}),
      };
    } catch (e) {
      // The planned drop is larger than the passing cases can lose (a baseline near 0%).
      if (!(e instanceof RangeError)) throw e;
      return { ...row, ...(detectable !== undefined ? { detectableDrop: detectable } : {}), note: 'pass-rate-too-low' };
    }
  });
}

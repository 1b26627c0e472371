import type { GateCheck, RegressionJudgement } from './gate-check.js';
import type { DeployGateInput, SuiteRunFacts } from './gate-types.js';
import type { GatePolicy } from './schemas/config.js';
import type { BaselineComparison, BaselineFacts } from './schemas/report.js';
import { atRecordedResolution, judgeLatency, riseBeyondLimit } from './latency-verdict.js';
import { onInconclusiveOf } from './effective-gates.js';
import { decideSuites, pairCounts, type SuiteComparison } from './stats/index.js';
import { comparedRates, type ComparedRates } from './regression-rates.js';
import { evalModelFlag } from './deployed-model.js';
import { judgedBefore } from './gate-regraded.js';

/**
 * The regression part of the deploy gates (pure): the candidate against the version active in the
 * environment, suite by suite, only where both have a run of the same suite content. A suite only
 * one side ran is said with the command that makes it comparable: skipped, except a suite the
 * deployed version has no current run of, which is inconclusive (and blocks where that blocks).
 */

// Rates are fractions; comparing 0.94 - 0.89 with 0.05 must not fail on float noise.
export const EPSILON = 1e-9;

export function regressionChecks(input: DeployGateInput): GateCheck[] {
  const { baseline, policy, env, promptId, model } = input;
  if (!baseline) return [{ kind: 'no-baseline', env, ok: true, overridable: true }];
  // The same version on the same model and settings is no change; on another model (a model upgrade)
  // or under other settings it is judged as any change.
  if (baseline.version === input.version && (baseline.model ?? model) === model && !baseline.otherSettings) return [];
  const checks: GateCheck[] = [];
  const limitPoints = policy.max_pass_rate_drop * 100;
  const key = (r: SuiteRunFacts): string => `${r.kind}:${r.suite}`;
  const bases = new Map(baseline.suiteRuns.map((b) => [key(b), b]));
  const current = new Set(input.suiteRuns.map(key));
  // Only runs of the same suite content compare; a suite only one side ran is said, never skipped silently.
  // Where the suite's range leaves out the other version, eval would not run it there: no command.
  // `deployed`: the side without the run is the deployed version's (else the candidate's; both may be one version).
  // That side's run is on the model it is judged on (the deployed one's: the model it is served on).
  const blockInconclusive = onInconclusiveOf(policy, env, input.envOrder) === 'block';
  const notCompared = (r: Pick<SuiteRunFacts, 'suite' | 'kind'>, missing: string, why: NotComparedWhy, deployed: boolean, errored?: number): GateCheck => {
    const on = deployed ? (baseline.model ?? model) : model;
    // The deployed version has no current run of a suite that applies to it (say the suite gained a
    // case): a drop cannot be ruled out, so it is inconclusive, never "no evidence of a drop". Where
    // inconclusive blocks, it blocks (else editing a suite would silently lift the regression gate).
    // Only where the suite is known to apply to it: with its file gone, no eval could give it the run.
    const unknown = deployed && why === 'no-run' && baseline.applicableSuites !== undefined;
    const blocks = unknown && blockInconclusive;
    return {
      kind: 'regression-not-compared',
      suite: r.suite,
      suiteKind: r.kind,
      promptId,
      model: on,
      baselineVersion: baseline.version,
      missing,
      why,
      ...(evalModelFlag(on, deployed ? baseline.plainEvalModels : input.plainEvalModels) ? { evalNeedsModel: true as const } : {}),
      ...(errored ? { errored } : {}),
      ...(why === 'no-run' ? judgedBefore(deployed ? baseline.regraded : input.regraded, r.suite) : {}),
      ...(baseline.otherSettings && deployed ? { servedSettings: { env, candidate: input.version } } : {}),
      ...(unknown ? { onInconclusive: blocks ? ('block' as const) : ('warn' as const), env } : {}),
      ok: !blocks,
      ...(blocks ? {} : { skipped: true }),
      overridable: true,
    };
  };
  const compared = input.suiteRuns.flatMap((cur) => {
    const base = bases.get(key(cur));
    return base ? [{ cur, rates: comparedRates(cur, base) }] : [];
  });
  // Holm's family: every suite that applies to the version now, compared or not (a suite not run yet is a
  // hypothesis not rejected), except those whose range leaves out the deployed version: they can never be
  // compared with this baseline, so counting them only made the others' check weaker.
  const comparable = input.applicableSuites?.filter((s) => !baseline.applicableSuites || baseline.applicableSuites.includes(s));
  // A suite whose every case errored on a side has nothing to compare: said so, never judged as 0 cases that "pass".
  const noneCompared = (rates: ComparedRates): boolean => rates.pairs !== undefined && rates.pairs.length === 0;
  const judged = judgeDrops(compared.filter((c) => !noneCompared(c.rates)), policy, Math.max(compared.length, comparable?.length ?? 0));
  for (const cur of input.suiteRuns) {
    const base = bases.get(key(cur));
    if (!base) {
      checks.push(notCompared(cur, baseline.version, rangeWhy(cur, baseline.applicableSuites), true));
      continue;
    }
    const about = { suite: cur.suite, suiteKind: cur.kind, baselineVersion: baseline.version, overridable: true };
    const rates = compared.find((c) => c.cur === cur)!.rates;
    if (noneCompared(rates)) {
      checks.push(notCompared(cur, input.version, 'errored', false, rates.errored));
      checks.push(latencyCheck(input, cur, base, about, blockInconclusive));
      continue;
    }
    const drop = (rates.baseline - rates.candidate) * 100;
    const judgement = judged.get(key(cur))!;
    const inconclusive = judgement.outcome === 'inconclusive';
    const ok = judgement.outcome === 'pass' || (inconclusive && !blockInconclusive);
    const rescored = base.rescored ? { side: 'baseline' as const, ...base.rescored } : cur.rescored ? { side: 'candidate' as const, ...cur.rescored } : undefined;
    const errored = rates.errored ? { errored: rates.errored } : {};
    checks.push({ kind: 'regression-pass-rate', ...about, baseline: rates.baseline, candidate: rates.candidate, drop, limit: limitPoints, ...errored, ...judgement, ok, ...(inconclusive && ok ? { warn: true } : {}), ...(rescored ? { rescored } : {}) });
    checks.push(latencyCheck(input, cur, base, about, blockInconclusive));
  }
  for (const base of baseline.suiteRuns) if (!current.has(key(base))) checks.push(notCompared(base, input.version, rangeWhy(base, input.applicableSuites), false));
  // A suite that applies now and neither side has a current run of (a case added to it since both
  // ran) is said too, never left out of the list of checks: as a suite only the candidate lacks, a
  // skip naming the candidate's eval (the tested gate is what asks the candidate for its runs; a
  // project that evaluates nothing and gates nothing, requires_tested false, deploys as before).
  const ran = new Set([...current, ...bases.keys()]);
  for (const suite of input.applicableSuites ?? []) {
    const kind = input.suiteKinds?.[suite];
    if (kind && !ran.has(`${kind}:${suite}`)) checks.push(notCompared({ suite, kind }, input.version, 'no-run', false));
  }
  return checks;
}

type NotComparedWhy = Extract<GateCheck, { kind: 'regression-not-compared' }>['why'];

/** Why a suite only one side ran is not compared: the other's range leaves it out, or it has no run there. */
function rangeWhy(r: SuiteRunFacts, applies: string[] | undefined): NotComparedWhy {
  return applies && !applies.includes(r.suite) ? 'out-of-range' : 'no-run';
}

interface ComparedSuite {
  cur: SuiteRunFacts;
  rates: ComparedRates;
}

/**
 * Each compared suite's pass-rate judgement. Paired (the default): the cases both runs recorded,
 * matched by id, each side's case verdict as one outcome, so the observed drop is the drop in pass
 * rate the report shows. With repeats too: a case's samples are already reduced to its verdict
 * (min_pass_rate), so the check compares one 0/1 outcome per case and side whatever the repeat
 * count, and Tango's bound with the exact McNemar test is the valid method (a bootstrap of such
 * pairs degenerates when every changed case moved the same way, and claimed 95% on one case).
 * Cases that errored on either side are left out (regression-rates.ts). The suites of one version
 * are decided together, Holm-corrected over every suite that applies to it (`family`), whichever
 * have runs to compare. `point`, or runs without case facts: the observed drop against the limit.
 */
function judgeDrops(compared: ComparedSuite[], policy: GatePolicy, family: number): Map<string, RegressionJudgement> {
  const out = new Map<string, RegressionJudgement>();
  const key = (r: SuiteRunFacts): string => `${r.kind}:${r.suite}`;
  const paired: Array<SuiteComparison & { key: string }> = [];
  for (const { cur, rates } of compared) {
    if (policy.regression_method === 'paired' && rates.pairs) {
      paired.push({ key: key(cur), suite: cur.suite, counts: pairCounts(rates.pairs) });
      continue;
    }
    const drop = (rates.baseline - rates.candidate) * 100;
    out.set(key(cur), { method: 'point', outcome: drop <= policy.max_pass_rate_drop * 100 + EPSILON * 100 ? 'pass' : 'regression' });
  }
  if (paired.length) {
    const verdicts = decideSuites(paired, { maxDrop: policy.max_pass_rate_drop, confidence: policy.confidence }, family);
    paired.forEach((p, i) => {
      const v = verdicts[i]!;
      out.set(p.key, {
        method: v.method,
        outcome: v.outcome,
        cases: v.cases,
        worse: v.worse,
        better: v.better,
        lowerBound: v.lowerBound * 100,
        confidence: v.confidence,
        familyConfidence: policy.confidence,
        familySize: v.familySize,
        ...(v.casesToDecide !== undefined ? { casesToDecide: v.casesToDecide } : {}),
      });
    });
  }
  return out;
}

/**
 * The p95 latency check of one suite. Only an interleaved measurement of every case decides it:
 * with one, it passes or blocks on the measured rise (inconclusive as the environment's policy
 * says); without one (a measurement of some cases only is named, not judged), no rise between
 * separate runs passes, and a rise beyond the limit fails with the command that measures it. That failure cannot be forced: a busy machine's false alarm is cleared by
 * measuring, and a real rise is then blocked by the measurement.
 */
function latencyCheck(
  input: DeployGateInput,
  cur: SuiteRunFacts,
  base: SuiteRunFacts,
  about: { suite: string; suiteKind: SuiteRunFacts['kind']; baselineVersion: string; overridable: boolean },
  blockInconclusive: boolean,
): GateCheck {
  const limit = input.policy.max_p95_latency_increase_ms;
  // The measuring eval names the model the environment serves the version on, as every advised eval does.
  const onModel = evalModelFlag(input.model, input.plainEvalModels) ? { evalNeedsModel: true as const } : {};
  const facts = { kind: 'p95-latency' as const, ...about, promptId: input.promptId, version: input.version, env: input.env, model: input.model, ...onModel, limit };
  const found = input.latencyMeasurements?.find((m) => m.suite === cur.suite && m.kind === cur.kind);
  // A measurement of some cases only decides nothing: the check is as without one, and names it.
  const arms = found && !found.selected ? found : undefined;
  if (arms) {
    const measured = judgeLatency(arms, limit, input.policy.confidence);
    const ok = measured.outcome === 'pass' || (measured.outcome === 'inconclusive' && !blockInconclusive);
    return { ...facts, baseline: measured.baselineP95, candidate: measured.candidateP95, rise: measured.rise, measured, ok, ...(ok && measured.outcome !== 'pass' ? { warn: true } : {}) };
  }
  const rise = atRecordedResolution(cur.p95 - base.p95);
  const ok = !riseBeyondLimit(rise, limit);
  return { ...facts, baseline: base.p95, candidate: cur.p95, rise, ok, overridable: ok, ...(found?.selected ? { selected: found.selected } : {}) };
}

/**
 * A failed regression check that proves no regression: the drop or rise is beyond the limit but
 * cannot be told from noise (and the environment blocks on that, `on_inconclusive: block`), or a
 * p95 rise was seen only between separate runs and waits for a measurement. It fails the gate all
 * the same, but is never called a regression.
 */
export function isInconclusive(c: GateCheck): boolean {
  if (c.ok) return false;
  if (c.kind === 'regression-pass-rate') return c.outcome === 'inconclusive';
  if (c.kind === 'p95-latency') return c.measured === undefined || c.measured.outcome === 'inconclusive';
  return false;
}

/**
 * A baseline comparison with each failed check and each warning worded by `word`: the report's
 * shape, one sentence per check in order (the CLI words them in render/gate-text.ts; the library
 * without a wording names each by its kind). A failed or warned pass-rate check leaves its limit
 * beside the rates, so the tables show them as its sentence does.
 */
export function baselineWordedBy(word: (c: GateCheck) => string): (b: BaselineFacts) => BaselineComparison {
  return (b) => ({
    ...b,
    suites: b.suites.map(({ warnings, ...s }) => {
      const passRate = [...s.regressions, ...(warnings ?? [])].find((c) => c.kind === 'regression-pass-rate');
      return {
        ...s,
        regressions: s.regressions.map(word),
        ...(warnings?.length ? { warnings: warnings.map(word) } : {}),
        ...(passRate?.kind === 'regression-pass-rate' ? { passRateLimit: passRate.limit } : {}),
      };
    }),
  });
}

/**
 * A baseline comparison worded by `word` (one sentence per failed check, in order), with the
 * sentences of its inconclusive checks also listed apart, so reports tell them from regressions.
 */
export function wordedBaseline(facts: BaselineFacts, word: (b: BaselineFacts) => BaselineComparison): BaselineComparison {
  const worded = word(facts);
  return {
    ...worded,
    suites: worded.suites.map((s, i) => {
      const inconclusive = (facts.suites[i]?.regressions ?? []).flatMap((c, j) => (isInconclusive(c) && s.regressions[j] !== undefined ? [s.regressions[j]] : []));
      return inconclusive.length ? { ...s, inconclusive } : s;
    }),
  };
}

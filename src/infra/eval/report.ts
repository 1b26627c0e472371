import { withIntervals } from '../../core/eval/intervals.js';
import { latencyBeyond, type GateCheck } from '../../core/gate-check.js';
import type { BaselineComparison, BaselineFacts, EvalReport, RunOutcome } from '../../core/schemas/report.js';
import { evaluateDeployGates } from '../gate-facts.js';
import type { Project, PromptFile } from '../project.js';
import type { Registry } from '../registry/types.js';

/** Compares evaluated versions with the version deployed in a baseline environment. */
export async function compareWithBaseline(registry: Registry, project: Project, versions: PromptFile[], env: string): Promise<BaselineFacts[]> {
  const out: BaselineFacts[] = [];
  for (const v of versions) {
    // The regression rules are the deploy gate's, so eval --baseline and deploy never disagree.
    const { decision, input, previousVersion } = await evaluateDeployGates(registry, project, v, env, false, { afterEval: true });
    const base = input.baseline?.suiteRuns ?? [];
    out.push({
      env,
      promptId: v.id,
      version: v.version,
      baselineVersion: previousVersion,
      suites: input.suiteRuns.map((c) => {
        const b = base.find((x) => x.suite === c.suite);
        // Measured side by side (--measure-latency), the p95s shown are the measurement's, which the check judged.
        const latency = decision.checks.find((f): f is Extract<GateCheck, { kind: 'p95-latency' }> => f.kind === 'p95-latency' && f.suite === c.suite);
        const measured = latency?.measured !== undefined ? latency : undefined;
        // The pass rates the regression check judged: over the cases compared, errored ones left out.
        const judged = decision.checks.find((f): f is Extract<GateCheck, { kind: 'regression-pass-rate' }> => f.kind === 'regression-pass-rate' && f.suite === c.suite);
        const rescored = b?.rescored ? { side: 'baseline' as const, ...b.rescored } : b && c.rescored ? { side: 'candidate' as const, ...c.rescored } : undefined;
        return {
          ...(rescored ? { rescored } : {}),
          suite: c.suite,
          passRate: judged ? judged.candidate : c.passRate,
          baselinePassRate: judged ? judged.baseline : (b?.passRate ?? null),
          ...(judged?.errored ? { errored: judged.errored } : {}),
          p95: measured ? measured.candidate : c.p95,
          baselineP95: measured ? measured.baseline : (b?.p95 ?? null),
          ...(latency ? { p95Check: { limit: latency.limit, beyond: latencyBeyond(latency) } } : {}),
          regressions: decision.failures.filter((f) => isComparison(f) && f.suite === c.suite),
          ...warningsOf(decision.checks.filter((f) => isComparison(f) && f.suite === c.suite && f.warn)),
        };
      }),
    });
  }
  return out;
}

const isComparison = (c: GateCheck): c is Extract<GateCheck, { kind: 'regression-pass-rate' | 'p95-latency' }> => c.kind === 'regression-pass-rate' || c.kind === 'p95-latency';
/** The checks deploy prints as `warn`: not passed, not blocking here. */
const warningsOf = (warned: GateCheck[]) => (warned.length ? { warnings: warned } : {});

export function buildReport(input: {
  invocationId: string;
  model: string;
  server: string;
  startedAt: string;
  endedAt: string;
  outcomes: RunOutcome[];
  versions: EvalReport['versions'];
  baselines: BaselineComparison[];
  aborted?: string;
}): EvalReport {
  return {
    invocationId: input.invocationId,
    model: input.model,
    server: input.server,
    startedAt: input.startedAt,
    endedAt: input.endedAt,
    // Intervals are worked out here from the counts, never stored: recorded summaries stay as they were.
    runs: input.outcomes.map(withIntervals),
    versions: input.versions,
    baselines: input.baselines,
    ...(input.aborted ? { aborted: input.aborted } : {}),
  };
}

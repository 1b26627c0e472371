import type { CiResult } from '../core/ci/result.js';
import { judgesContent } from '../core/gates.js';
import { evaluateDeployGates } from '../infra/gate-facts.js';
import type { Project } from '../infra/project.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import { checkMessage } from '../render/gate-text.js';
import type { AppContext } from './context.js';

/**
 * ci's policy step: each candidate that ran, judged by the baseline environment's own gates on its
 * runs (core/gates.ts `judgesContent`: minimums, leak limits, a suite kind the policy needs) as
 * deploy there would judge it. The regression against the deployed version is the baseline
 * comparison's; the version's history (tested, deployed in the previous environment) is not a
 * pull request's to meet.
 */
export async function policyFailures(ctx: AppContext, project: Project, candidates: readonly string[], env: string): Promise<NonNullable<CiResult['policy']>> {
  const out: NonNullable<CiResult['policy']> = [];
  const reader = openProjectRegistry(project, { readonly: true, env: ctx.env, clock: ctx.clock, signal: ctx.signal });
  try {
    for (const ref of candidates) {
      const file = project.prompts.find((p) => `${p.id}@${p.version}` === ref);
      if (!file) continue;
      const gate = await evaluateDeployGates(reader, project, file, env, false, { afterEval: true });
      // A minimum on a suite whose run already failed its own threshold (or is incomplete) says that
      // again: left out, as is one on a suite gone and not retired, whose suite-missing line names its
      // run and blocks, and a leak limit failed only for incomplete runs the eval already says are.
      const failedSuites = new Set([
        ...gate.input.suiteRuns.filter((x) => x.passed === false).map((x) => x.suite),
        ...gate.decision.failures.flatMap((c) => (c.kind === 'suite-missing' ? [c.suite] : [])),
      ]);
      const repeats = (c: (typeof gate.decision.failures)[number]) =>
        ((c.kind === 'adversarial-minimum' || c.kind === 'golden-pass-rate') && failedSuites.has(c.suite)) ||
        (c.kind === 'leaks' && c.total <= c.max && (c.incomplete?.suites.every((x) => failedSuites.has(x.suite)) ?? false));
      const failures = gate.decision.failures.filter((c) => judgesContent(c) && !repeats(c)).map(checkMessage);
      if (failures.length) out.push({ ref, env, failures });
    }
  } finally {
    await reader.close();
  }
  return out;
}

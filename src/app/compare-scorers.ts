import { scorerVersionOf, staleScorerSide } from '../core/scoring/version.js';
import type { RunOutcome } from '../core/schemas/report.js';
import { alignScorers, rescoredNote } from '../infra/eval/rescore.js';
import { outcomeFromRegistry, suiteSpec } from '../infra/eval/stored-runs.js';
import type { Project } from '../infra/project.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import type { RegistryAccess } from '../infra/registry-access.js';

/**
 * Two sides of a comparison (`compare`, `report <a> <b>`) on one scorer: for each suite both sides
 * ran, when their runs were scored by different scorer versions, the older run's outcome is rebuilt
 * from its samples re-scored by the current scorer (`alignScorers`, as the regression gate does),
 * and a note says so. The registry is opened only when a pair needs it.
 */
export async function outcomesOnOneScorer(project: Project, { env, clock }: RegistryAccess, [sideA, sideB]: [RunOutcome[], RunOutcome[]], notes: string[]): Promise<[RunOutcome[], RunOutcome[]]> {
  const out: [RunOutcome[], RunOutcome[]] = [[...sideA], [...sideB]];
  let registry: ReturnType<typeof openProjectRegistry> | undefined;
  try {
    for (const [i, x] of sideA.entries()) {
      const j = sideB.findIndex((o) => o.run.suite === x.run.suite && o.run.suiteHash === x.run.suiteHash);
      const suite = project.suites.find((s) => s.promptId === x.run.promptId && s.name === x.run.suite);
      if (j < 0 || !suite) continue;
      const y = sideB[j]!;
      if (!staleScorerSide(scorerVersionOf(x.run.summary), scorerVersionOf(y.run.summary))) continue;
      registry ??= openProjectRegistry(project, { readonly: true, env, clock });
      const aligned = await alignScorers(registry, project, suite, x.run, y.run, notes);
      for (const [rescored, side, at] of [[aligned.a, 0, i], [aligned.b, 1, j]] as const) {
        if (!rescored) continue;
        const o = out[side][at]!;
        // The run's own notes (a subset, still running) were said when it was first read.
        out[side][at] = { ...(await outcomeFromRegistry(registry, o.run, suiteSpec(suite), [], rescored.samples)), threshold: o.threshold };
        notes.push(rescoredNote(o.run, rescored));
      }
    }
  } finally {
    await registry?.close();
  }
  return out;
}

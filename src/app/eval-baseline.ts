import { activeVersion } from '../infra/deployments.js';
import type { SessionTarget } from '../infra/eval/session.js';
import { countingRun, modelFor, suiteTarget } from '../infra/eval/suite-target.js';
import { suitesFor } from '../infra/eval/targets.js';
import type { Project, SuiteFile } from '../infra/project.js';
import type { Registry } from '../infra/registry/types.js';

/**
 * A baseline version without counting runs of these suites is evaluated too (its answers are
 * usually cached), so the comparison with the baseline environment never lacks a side.
 */
export async function baselineTargets(reader: Registry, project: Project, targets: SessionTarget[], baseline: string): Promise<SessionTarget[]> {
  const out = [...targets];
  for (const t of targets) {
    const active = await activeVersion(reader, t.version.id, baseline);
    const file = active ? project.prompts.find((p) => p.id === t.version.id && p.version === active) : undefined;
    if (!file || out.some((x) => x.version === file)) continue;
    const model = modelFor(project, file);
    const covering = suitesFor(project, file);
    const missing: SuiteFile[] = [];
    for (const s of t.suites) {
      if (covering.includes(s) && !(await countingRun(reader, suiteTarget(file, s, model)))) missing.push(s);
    }
    if (missing.length) out.push({ version: file, suites: missing });
  }
  return out;
}

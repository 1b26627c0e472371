import type { Project } from '../project.js';
import type { Registry } from '../registry/types.js';
import { modelFor } from '../gate-facts.js';
import { latestCountingRun } from './latest-runs.js';
import type { SessionTarget } from './session.js';

/**
 * For --filter-failing: per suite, the cases that did not pass in the version's latest finished
 * run with the same content and model. A suite with no such run keeps all its cases.
 */
export function failingCases(registry: Registry, project: Project, t: SessionTarget): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const model = modelFor(project, t.version);
  for (const s of t.suites) {
    const run = latestCountingRun(registry, { promptId: t.version.id, version: t.version.version, promptHash: t.version.hash, suite: s.name, suiteHash: s.hash, model, includePartial: true });
    if (!run) continue;
    const failing = new Set<string>();
    for (const sample of registry.getSamples(run.id)) if (sample.verdict !== 'pass') failing.add(sample.caseId);
    out.set(s.name, failing);
  }
  return out;
}

import type { Project } from '../project.js';
import type { Registry } from '../registry/types.js';
import { latestRun, modelFor, suiteTarget } from './suite-target.js';
import type { SessionTarget } from './session.js';

/**
 * For --filter-failing: per suite, the cases that did not pass in the version's latest finished
 * run with the same content and model. A suite with no such run keeps all its cases.
 */
export async function failingCases(registry: Registry, project: Project, t: SessionTarget): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  const model = t.model ?? modelFor(project, t.version);
  for (const s of t.suites) {
    const run = await latestRun(registry, suiteTarget(t.version, s, model));
    if (!run) continue;
    const failing = new Set<string>();
    for (const sample of await registry.getSamples(run.id)) if (sample.verdict !== 'pass') failing.add(sample.caseId);
    out.set(s.name, failing);
  }
  return out;
}

/** A suite whose latest run passed every case: --filter-failing has nothing to send for it. */
export interface NothingFailing {
  promptId: string;
  version: string;
  suite: string;
}

/**
 * Narrows each target to the cases that did not pass last time. A suite with nothing failing is
 * dropped (an empty run would record a meaningless 0% and look incomplete), and so is a target left
 * without suites; they are returned so the command can say there was nothing to re-run.
 */
export async function narrowToFailing(
  registry: Registry,
  project: Project,
  targets: SessionTarget[],
): Promise<{ targets: SessionTarget[]; nothingFailing: NothingFailing[] }> {
  const nothingFailing: NothingFailing[] = [];
  const kept: SessionTarget[] = [];
  for (const t of targets) {
    const only = await failingCases(registry, project, t);
    const suites = t.suites.filter((s) => {
      if (only.get(s.name)?.size !== 0) return true;
      nothingFailing.push({ promptId: t.version.id, version: t.version.version, suite: s.name });
      return false;
    });
    if (suites.length) kept.push({ ...t, suites, onlyCases: only });
  }
  return { targets: kept, nothingFailing };
}

import type { GoneSuite } from '../core/gate-types.js';
import { isRetired, suiteOfFile } from '../core/gone-suites.js';
import { suiteFileOf } from '../core/refs.js';
import { byRecency } from './eval/counting-run.js';
import type { Project } from './project.js';
import type { Registry } from './registry/types.js';
import { testedMarkThatCounts } from './signing.js';

/**
 * The suites of a prompt the registry knows but the project lacks (core/gate-types.ts `GoneSuite`):
 * those the version has a finished run of every case of, on its current content and `model`, and
 * those the tested mark of the version active in the environment names. A suite whose file is
 * there but does not load is not gone (the sound-files gate refuses it). A run is read as it was
 * recorded (its summary): the suite's cases and threshold left with its file, and the run can only
 * add to a refusal, never lift one. Two registry reads.
 */
export async function goneSuites(
  registry: Registry,
  project: Project,
  v: { id: string; version: string; hash: string },
  model: string,
  active?: { version: string; hash: string; model: string },
): Promise<GoneSuite[]> {
  const here = new Set([
    ...project.suites.filter((s) => s.promptId === v.id).map((s) => s.name),
    ...project.dataRefused.filter((s) => s.promptId === v.id).map((s) => s.name),
    ...project.problems.flatMap((p) => (suiteOfFile(p.file)?.promptId === v.id ? [suiteOfFile(p.file)!.suite] : [])),
  ]);
  const gone = new Map<string, GoneSuite>();
  const entry = (suite: string, kind: GoneSuite['kind']): GoneSuite => gone.get(suite) ?? { suite, kind, file: suiteFileOf(v.id, suite), retired: isRetired(project.config.retired_suites, v.id, suite) };
  const runs = (await registry.listRuns({ promptId: v.id, version: v.version, status: 'finished' })).filter((r) => !here.has(r.suite) && r.promptHash === v.hash && r.model === model && r.summary !== undefined && !r.summary.partial);
  // Oldest first: the newest run of each suite is the one kept.
  for (const r of byRecency(runs)) {
    const s = r.summary!;
    const run = { passRate: s.passRate, p95: s.latencyP95, piiLeaks: s.piiLeaks ?? 0, systemPromptLeaks: s.systemPromptLeaks ?? 0, ...(s.resistance !== undefined ? { resistance: s.resistance } : {}), passed: s.verdict === 'passed', ...(s.verdict === 'incomplete' ? { incomplete: true } : {}) };
    gone.set(r.suite, { ...entry(r.suite, r.suiteKind), kind: r.suiteKind, run });
  }
  const mark = active && (await testedMarkThatCounts(registry, project.config.signing, v.id, active.version, active.hash, active.model));
  for (const s of mark ? mark.suites : []) if (!here.has(s.suite)) gone.set(s.suite, { ...entry(s.suite, s.kind), testedActive: active!.version });
  return [...gone.values()];
}

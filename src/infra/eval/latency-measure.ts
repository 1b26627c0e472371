import { randomUUID } from 'node:crypto';
import { sha256Hex } from '../../core/canonical.js';
import type { PlannedRun } from '../../core/eval/plan.js';
import type { LatencyArms } from '../../core/latency-verdict.js';
import type { RunRecord } from '../../core/schemas/run.js';
import type { PromptFile, SuiteFile } from '../project.js';
import type { Registry } from '../registry/types.js';
import { byRecency } from './suite-target.js';
import { planSession, runSession, type SessionOptions } from './session.js';

/**
 * Interleaved latency measurements (`eval <version> --baseline <env> --measure-latency`): the
 * candidate's and the deployed version's requests of each suite alternate in one session against
 * the same server, the cache bypassed, so both arms see the same load; the two arms are recorded
 * as runs tied to both versions' content hashes (partial: they never count for pass rates or
 * marks). Deploy reads the latest measurement of a version against the one it would replace.
 */

export interface MeasuredSuite {
  suite: string;
  kind: 'golden' | 'adversarial';
  runIds: { baseline: string; candidate: string };
  arms: LatencyArms;
}

/** Measures `candidate` against `baseline` on `suites` (those both versions run). */
export async function measureLatency(
  opts: Omit<SessionOptions, 'targets' | 'planned' | 'useCache' | 'resume' | 'interleave'>,
  candidate: PromptFile,
  baseline: PromptFile,
  suites: SuiteFile[],
): Promise<{ measured: MeasuredSuite[]; aborted?: string }> {
  const measurement = randomUUID();
  const plannedFor = (v: PromptFile) => planSession({ project: opts.project, targets: [{ version: v, suites }], repeat: opts.repeat });
  const arm = (run: PlannedRun, which: 'baseline' | 'candidate', versus: PromptFile): PlannedRun => ({
    ...run,
    partial: true,
    latency: { measurement, arm: which, versus: { version: versus.version, hash: versus.hash } },
    // Its own inputs: never resumed as, or mixed with, an ordinary run.
    inputsKey: sha256Hex(`${run.inputsKey}:latency ${measurement}`),
  });
  const base = plannedFor(baseline).map((r) => arm(r, 'baseline', candidate));
  const cand = plannedFor(candidate).map((r) => arm(r, 'candidate', baseline));
  // Pairs in suite order, baseline first: the session alternates one sample of each.
  const planned = base.flatMap((b, i) => [b, cand[i]!]);
  const session = await runSession({ ...opts, targets: [{ version: baseline, suites }, { version: candidate, suites }], planned, useCache: false, resume: false, interleave: true });
  const byKey = new Map(session.outcomes.map((o) => [o.run.inputsKey, o.run]));
  const measured: MeasuredSuite[] = [];
  for (let i = 0; i < base.length; i++) {
    const b = byKey.get(base[i]!.inputsKey)!;
    const c = byKey.get(cand[i]!.inputsKey)!;
    measured.push({ suite: b.suite, kind: b.suiteKind, runIds: { baseline: b.id, candidate: c.id }, arms: await armsOf(opts.registry, b.id, c.id) });
  }
  return { measured, ...(session.aborted ? { aborted: session.aborted } : {}) };
}

/** The answered requests' latencies of both arms (errors have none), counted by the registry. */
async function armsOf(registry: Registry, baselineRun: string, candidateRun: string): Promise<LatencyArms> {
  const [b, c] = await Promise.all([registry.sampleTally(baselineRun), registry.sampleTally(candidateRun)]);
  return { baseline: b.latencies, candidate: c.latencies };
}

const newest = (runs: RunRecord[]) => byRecency(runs).at(-1);

/**
 * The latest finished measurement of `candidate` against `baseline` on a suite's current content
 * and `model`, as both arms' latencies; undefined when none was made.
 */
export async function latestMeasurement(
  registry: Registry,
  candidate: { id: string; version: string; hash: string },
  baseline: { version: string; hash: string },
  suite: Pick<SuiteFile, 'name' | 'hash'>,
  model: string,
): Promise<LatencyArms | undefined> {
  const matches = (r: RunRecord, hash: string) => r.status === 'finished' && r.promptHash === hash && r.suiteHash === suite.hash && r.model === model;
  const candidates = (await registry.listRuns({ promptId: candidate.id, version: candidate.version, suite: suite.name, status: 'finished' })).filter(
    (r) => matches(r, candidate.hash) && r.summary?.latency?.arm === 'candidate' && r.summary.latency.versus.hash === baseline.hash && r.summary.latency.versus.version === baseline.version,
  );
  const latest = newest(candidates);
  if (!latest) return undefined;
  const partner = (await registry.listRuns({ promptId: candidate.id, version: baseline.version, suite: suite.name, status: 'finished' })).find(
    (r) => matches(r, baseline.hash) && r.summary?.latency?.arm === 'baseline' && r.summary.latency.measurement === latest.summary!.latency!.measurement,
  );
  return partner ? armsOf(registry, partner.id, latest.id) : undefined;
}

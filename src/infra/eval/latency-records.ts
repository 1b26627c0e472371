import type { LatencyArms } from '../../core/latency-verdict.js';
import type { RunRecord } from '../../core/schemas/run.js';
import type { SuiteFile } from '../project.js';
import type { Registry } from '../registry/types.js';
import { byRecency } from './suite-target.js';

/**
 * Latency measurements as the registry holds them (latency-measure.ts records them). Apart from
 * the code that runs a measurement, so that deploy, which only reads them for its latency gate,
 * loads no session, executor or model client.
 */

/** The answered requests' latencies of both arms (errors have none), counted by the registry. */
export async function armsOf(registry: Registry, baselineRun: string, candidateRun: string): Promise<LatencyArms> {
  const [b, c] = await Promise.all([registry.sampleTally(baselineRun), registry.sampleTally(candidateRun)]);
  return { baseline: b.latencies, candidate: c.latencies };
}

const newest = (runs: RunRecord[]) => byRecency(runs).at(-1);

/** One arm as it must have been sent: the version's content on a model, under request settings (absent: not compared, runs from before). */
export interface MeasuredArm {
  version: string;
  hash: string;
  model: string;
  settings?: string;
}

/**
 * The latest finished measurement of `candidate` against `baseline` on a suite's current content,
 * each arm sent on its model under its request settings, as both arms' latencies; undefined when
 * none was made.
 */
export async function latestMeasurement(registry: Registry, promptId: string, candidate: MeasuredArm, baseline: MeasuredArm, suite: Pick<SuiteFile, 'name' | 'hash'>): Promise<LatencyArms | undefined> {
  const sentAs = (r: RunRecord, arm: MeasuredArm) =>
    r.status === 'finished' && r.promptHash === arm.hash && r.suiteHash === suite.hash && r.model === arm.model && (arm.settings === undefined || r.summary?.settings === undefined || r.summary.settings === arm.settings);
  const candidates = (await registry.listRuns({ promptId, version: candidate.version, suite: suite.name, status: 'finished' })).filter(
    (r) => sentAs(r, candidate) && r.summary?.latency?.arm === 'candidate' && r.summary.latency.versus.hash === baseline.hash && r.summary.latency.versus.version === baseline.version,
  );
  const latest = newest(candidates);
  if (!latest) return undefined;
  const partner = (await registry.listRuns({ promptId, version: baseline.version, suite: suite.name, status: 'finished' })).find(
    (r) => sentAs(r, baseline) && r.summary?.latency?.arm === 'baseline' && r.summary.latency.measurement === latest.summary!.latency!.measurement,
  );
  return partner ? armsOf(registry, partner.id, latest.id) : undefined;
}

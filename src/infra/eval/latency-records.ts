import { isWholeSuite, measuredCases, type LatencyArms, type MeasuredCases } from '../../core/latency-verdict.js';
import type { RunRecord } from '../../core/schemas/run.js';
import type { SuiteFile } from '../project.js';
import type { Registry } from '../registry/types.js';
import { byRecency, suiteCases } from './suite-target.js';

/**
 * Latency measurements as the registry holds them (latency-measure.ts records them). Apart from
 * the code that runs a measurement, so that deploy, which only reads them for its latency gate,
 * loads no session, executor or model client.
 */

/** A measurement's answered requests' latencies of both arms (errors have none), and the suite's cases both arms ran. */
export interface Measurement {
  arms: LatencyArms;
  cases: MeasuredCases;
}

/** Both arms' latencies and cases, counted by the registry from their samples (a summary is only a claim). */
export async function measurementOf(registry: Registry, baselineRun: string, candidateRun: string, suite: SuiteFile): Promise<Measurement> {
  const [b, c] = await Promise.all([registry.sampleTally(baselineRun), registry.sampleTally(candidateRun)]);
  const ran = (t: typeof b) => new Set(t.cases.map((x) => x.caseId));
  return { arms: { baseline: b.latencies, candidate: c.latencies }, cases: measuredCases(suiteCaseIds(suite), ran(b), ran(c)) };
}

const suiteCaseIds = (suite: SuiteFile): string[] => suiteCases(suite).map(({ case: c }) => c.id);

/** One arm as it must have been sent: the version's content on a model, under request settings (absent: not compared, runs from before). */
export interface MeasuredArm {
  version: string;
  hash: string;
  model: string;
  settings?: string;
}

/**
 * The measurement of `candidate` against `baseline` on a suite's current content that the latency
 * gate judges, each arm sent on its model under its request settings: the newest one of every
 * case the suite has. A newer measurement of some cases only never replaces it (a hand-picked case
 * would hide a proven regression); without a whole one, the newest selection, which the gate shows
 * and does not judge. Undefined when none was made.
 */
export async function latestMeasurement(registry: Registry, promptId: string, candidate: MeasuredArm, baseline: MeasuredArm, suite: SuiteFile): Promise<Measurement | undefined> {
  const sentAs = (r: RunRecord, arm: MeasuredArm) =>
    r.status === 'finished' && r.promptHash === arm.hash && r.suiteHash === suite.hash && r.model === arm.model && (arm.settings === undefined || r.summary?.settings === undefined || r.summary.settings === arm.settings);
  const candidates = (await registry.listRuns({ promptId, version: candidate.version, suite: suite.name, status: 'finished' })).filter(
    (r) => sentAs(r, candidate) && r.summary?.latency?.arm === 'candidate' && r.summary.latency.versus.hash === baseline.hash && r.summary.latency.versus.version === baseline.version,
  );
  if (!candidates.length) return undefined;
  const partners = (await registry.listRuns({ promptId, version: baseline.version, suite: suite.name, status: 'finished' })).filter((r) => sentAs(r, baseline) && r.summary?.latency?.arm === 'baseline');
  const caseCount = suiteCaseIds(suite).length;
  let selection: Measurement | undefined;
  for (const run of byRecency(candidates).reverse()) {
    // A run whose summary already says it ran fewer cases is a selection: read only the newest such one.
    if (selection && run.summary!.cases < caseCount) continue;
    const partner = partners.find((r) => r.summary!.latency!.measurement === run.summary!.latency!.measurement);
    if (!partner) continue;
    const m = await measurementOf(registry, partner.id, run.id, suite);
    if (isWholeSuite(m.cases)) return m;
    selection ??= m;
  }
  return selection;
}

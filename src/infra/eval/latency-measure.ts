import { randomUUID } from 'node:crypto';
import { sha256Hex } from '../../core/canonical.js';
import type { PlannedRun } from '../../core/eval/plan.js';
import type { LatencyArms, MeasuredCases } from '../../core/latency-verdict.js';
import type { SuiteFile } from '../project.js';
import { measurementOf } from './latency-records.js';
import { runSession, type SessionOptions } from './session.js';
import { planSession, type SessionTarget } from './session-plan.js';

/**
 * Interleaved latency measurements (`eval <version> --baseline <env> --measure-latency`): the
 * candidate's and the deployed version's requests of each suite alternate in one session against
 * the same server, the cache bypassed, so both arms see the same load; the two arms are recorded
 * as runs tied to both versions' content hashes (partial: they never count for pass rates or
 * marks). Deploy reads them back with latency-records.ts, which loads none of the session's code.
 * Each arm is sent as its environment serves it: the deployed version with the model and request
 * settings its deploy recorded, the candidate as the next deploy would (the environment's model),
 * so a redeploy of the same version on a new model or with new settings is measured too.
 */

export interface MeasuredSuite {
  suite: string;
  kind: 'golden' | 'adversarial';
  runIds: { baseline: string; candidate: string };
  arms: LatencyArms;
  /** The suite's cases both arms ran: fewer than all of them is a selection, which deploy does not judge. */
  cases: MeasuredCases;
}

/** Measures `candidate` against `baseline` on `suites` (those both versions run); each target names its model and request. */
export async function measureLatency(
  opts: Omit<SessionOptions, 'targets' | 'planned' | 'useCache' | 'resume' | 'interleave'>,
  candidate: Omit<SessionTarget, 'suites'>,
  baseline: Omit<SessionTarget, 'suites'>,
  suites: SuiteFile[],
  /** Only these cases of each suite (by suite name), as the eval selected; undefined: every case. */
  onlyCases?: Map<string, Set<string>>,
): Promise<{ measured: MeasuredSuite[]; aborted?: string }> {
  const measurement = randomUUID();
  const only = onlyCases ? { onlyCases } : {};
  const targets = { baseline: { ...baseline, suites, ...only }, candidate: { ...candidate, suites, ...only } };
  const plannedFor = (t: SessionTarget) => planSession({ project: opts.project, targets: [t], repeat: opts.repeat });
  const arm = (run: PlannedRun, which: 'baseline' | 'candidate', versus: SessionTarget): PlannedRun => ({
    ...run,
    partial: true,
    latency: { measurement, arm: which, versus: { version: versus.version.version, hash: versus.version.hash } },
    // Its own inputs: never resumed as, or mixed with, an ordinary run (nor with the other arm, which may be the same version).
    inputsKey: sha256Hex(`${run.inputsKey}:latency ${measurement} ${which}`),
  });
  const base = plannedFor(targets.baseline).map((r) => arm(r, 'baseline', targets.candidate));
  const cand = plannedFor(targets.candidate).map((r) => arm(r, 'candidate', targets.baseline));
  // Pairs in suite order, baseline first: the session alternates one sample of each.
  const planned = base.flatMap((b, i) => [b, cand[i]!]);
  const session = await runSession({ ...opts, targets: [targets.baseline, targets.candidate], planned, useCache: false, resume: false, interleave: true });
  const byKey = new Map(session.outcomes.map((o) => [o.run.inputsKey, o.run]));
  const measured: MeasuredSuite[] = [];
  for (let i = 0; i < base.length; i++) {
    const b = byKey.get(base[i]!.inputsKey)!;
    const c = byKey.get(cand[i]!.inputsKey)!;
    const suite = suites.find((s) => s.name === b.suite)!;
    measured.push({ suite: b.suite, kind: b.suiteKind, runIds: { baseline: b.id, candidate: c.id }, ...(await measurementOf(opts.registry, b.id, c.id, suite)) });
  }
  return { measured, ...(session.aborted ? { aborted: session.aborted } : {}) };
}

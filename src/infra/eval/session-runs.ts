import { randomUUID } from 'node:crypto';
import type { PlannedRun } from '../../core/eval/plan.js';
import { sampleKey } from '../../core/eval/samples.js';
import type { RunRecord } from '../../core/schemas/run.js';
import type { Clock } from '../clock.js';
import type { Registry } from '../registry/types.js';
import { takeRunLease, type LeasePolicy } from './run-leases.js';

/**
 * The registry records of a session's runs: each planned run resumes its newest unfinished run
 * (with --resume) or gets a new one, and this eval takes the lease of each before anything is
 * sent. One transaction for all of them, so two evals starting at once cannot both take a run,
 * and an eval refused one run's lease creates and holds nothing.
 */

export interface OpenedRuns {
  /** Registry run id per planned run, keyed by inputsKey. */
  runIds: Map<string, string>;
  /** `runId|sampleKey` of every sample a resumed run already scored: not sent again. */
  done: Set<string>;
  /** Samples planned, recorded or not. */
  total: number;
  /** How many planned runs continue an unfinished one (with --resume). */
  resumed: number;
}

export interface OpenRunsOptions {
  resume: boolean;
  invocationId: string;
  server: string;
  promptctlVersion: string;
  clock: Clock;
  lease: LeasePolicy;
}

/** The registry record of a new run of `run`, started now. */
export function newRunRecord(id: string, run: PlannedRun, o: Pick<OpenRunsOptions, 'invocationId' | 'server' | 'promptctlVersion' | 'clock'>) {
  return {
    id,
    invocationId: o.invocationId,
    inputsKey: run.inputsKey,
    promptId: run.promptId,
    version: run.version,
    promptHash: run.promptHash,
    suite: run.suite,
    suiteKind: run.suiteKind,
    suiteHash: run.suiteHash,
    model: run.model,
    server: o.server,
    promptctlVersion: o.promptctlVersion,
    startedAt: o.clock.date().toISOString(),
  };
}

/**
 * A shard merge's run recorded before merged runs had their own inputs key (merge-shards.ts): an
 * ordinary `eval --resume` must not send the cases its missing shards never sent into it, nor
 * finish it as the merge's verdict. It names the shards it copied, or its invocation has shard runs.
 */
async function isOlderMerge(registry: Registry, run: RunRecord): Promise<boolean> {
  if (run.summary?.mergedFrom) return true;
  const runs = await registry.listRuns({ promptId: run.promptId, version: run.version, suite: run.suite });
  return runs.some((r) => r.invocationId === run.invocationId && r.summary?.shard);
}

export async function openRuns(registry: Registry, planned: PlannedRun[], o: OpenRunsOptions): Promise<OpenedRuns> {
  const runIds = new Map<string, string>();
  const resumed: string[] = [];
  await registry.transaction(async (tx) => {
    for (const run of planned) {
      const found = o.resume ? await tx.findResumableRun(run.inputsKey) : undefined;
      // A shard resumes its own run (its own key); only an unsharded run's key was an older merge's too.
      const resumable = found && (run.shard || !(await isOlderMerge(tx, found))) ? found : undefined;
      if (resumable) {
        await takeRunLease(tx, resumable, o.lease);
        runIds.set(run.inputsKey, resumable.id);
        resumed.push(resumable.id);
        continue;
      }
      const id = randomUUID();
      await tx.createRun(newRunRecord(id, run, o));
      // A new run is leased too: a --resume started while it runs must not send its cases as well.
      await takeRunLease(tx, { id, promptId: run.promptId, version: run.version, suite: run.suite }, o.lease);
      runIds.set(run.inputsKey, id);
    }
  });
  // Read under the lease, so no other eval adds samples between this read and the sends.
  const done = new Set<string>();
  for (const id of resumed) {
    // Errors are not results: a resumed run sends them again (their rows are replaced) and keeps
    // only the samples that were scored, so a breaker stop followed by --resume can still pass.
    for (const s of await registry.getSamples(id)) if (s.verdict !== 'error') done.add(`${id}|${sampleKey(s.caseId, s.sample)}`);
  }
  const total = planned.reduce((n, run) => n + run.cases.reduce((m, c) => m + c.repeat, 0), 0);
  return { runIds, done, total, resumed: resumed.length };
}

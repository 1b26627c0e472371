import { randomUUID } from 'node:crypto';
import { InputError } from '../../core/errors.js';
import type { PlannedRun } from '../../core/eval/plan.js';
import { assignShards, MAX_SHARDS, mergedInputsKey, shardInputsKey, shardName, type Shard } from '../../core/eval/shard.js';
import type { RunOutcome, ShardMerge } from '../../core/schemas/report.js';
import type { RunRecord } from '../../core/schemas/run.js';
import { recordedWeights, weightsOfRuns } from '../../core/served-weights.js';
import type { Clock } from '../clock.js';
import type { Registry } from '../registry/types.js';
import { currentServeds, servedIfWeights } from './served-roots.js';
import { byRecency } from './suite-target.js';
import { leasePolicy, runningHolder, takeRunLease, type LeasePolicy } from './run-leases.js';
import { newRunRecord } from './session-runs.js';
import { finishPlannedRun, judgeRecorded } from './session.js';
import { appendAll } from '../../core/append.js';

/**
 * `--merge`: judges the shards of one invocation together. Each planned run gets one merged run
 * holding the samples its shards recorded, judged as an unsharded run of the same cases would be
 * (same samples, same summary), so the merged run is what gates and tested marks count. A shard
 * that never ran, stopped, or is still running leaves its cases not run: the merged run is then
 * aborted (it never counts) and its verdict incomplete, never passed. A shard whose run's lease is
 * live is named still running, with its holder: running its job again would send its cases twice.
 * Shards answered by different weights behind one model name are none of them merged (`setAsideMixedWeights`).
 */

export interface MergeOptions {
  invocation: string;
  server: string;
  promptctlVersion: string;
  clock: Clock;
  keepPassingCases?: boolean;
}

/** Samples copied per write: one transaction each, as an eval's batches. */
const COPY_BATCH = 1000;

const newest = (runs: RunRecord[]) => byRecency(runs).at(-1);

/** The shard count the invocation's shards recorded (every finished or stopped shard run names it). */
function shardCount(invocation: string, planned: PlannedRun[], runsOf: Map<string, RunRecord[]>): number | null {
  const counts = new Set<number>();
  for (const run of planned) {
    for (const r of runsOf.get(run.inputsKey)!) {
      const shard = r.summary?.shard;
      if (shard && r.inputsKey === shardInputsKey(run.inputsKey, invocation, shard)) counts.add(shard.count);
    }
  }
  // A shard records its count only when it ends: while every one still runs, their keys name it.
  if (!counts.size) {
    for (const run of planned) {
      for (const r of runsOf.get(run.inputsKey)!) if (r.status === 'running') counts.add(shardOfKey(r.inputsKey, run.inputsKey, invocation)?.count ?? 0);
    }
    counts.delete(0);
  }
  if (counts.size > 1) {
    throw new InputError({
      message: `the shards of invocation ${invocation} were run with different shard counts (${[...counts].sort((a, b) => a - b).join(', ')})`,
      why: 'every job of a sharded run splits the cases the same way, so all of them must pass the same n in --shard i/n',
      hint: 'run every shard again with one count, under a new --invocation id (or a new CI run)',
    });
  }
  return counts.size ? [...counts][0]! : null;
}

/** Which shard of the invocation a run of `inputsKey` is, from its key alone (undefined: none). */
function shardOfKey(key: string, inputsKey: string, invocation: string): Shard | undefined {
  for (let count = 1; count <= MAX_SHARDS; count++) {
    for (let index = 1; index <= count; index++) if (shardInputsKey(inputsKey, invocation, { index, count }) === key) return { index, count };
  }
  return undefined;
}

/** The live lease of a shard's unfinished run, newest first: its job is still sending, so it must not be run again. */
async function stillRunning(registry: Registry, runs: RunRecord[], policy: LeasePolicy): Promise<{ holder: string; expiresAt: string } | undefined> {
  for (const r of byRecency(runs.filter((x) => x.status === 'running')).reverse()) {
    const lease = await runningHolder(registry, r.id, policy);
    if (lease) return lease;
  }
  return undefined;
}

/** Why shard `shard` has no finished run to merge: `runs` are its runs of these inputs, `ofInvocation` all the invocation's of the suite. */
function stateOf(runs: RunRecord[], ofInvocation: RunRecord[], shard: Shard): ShardMerge['missing'][number]['state'] {
  // It ran, but on other inputs (a file or .promptrc.yaml changed between the jobs): not the same cases to merge.
  if (!runs.length) return ofInvocation.some((r) => r.summary?.shard?.index === shard.index && r.summary.shard.count === shard.count) ? 'other inputs' : 'never ran';
  return runs.some((r) => r.status === 'aborted') && !runs.some((r) => r.status === 'running') ? 'stopped' : 'running or crashed';
}

export async function mergeShards(registry: Registry, planned: PlannedRun[], o: MergeOptions): Promise<{ outcomes: RunOutcome[]; merge: ShardMerge }> {
  const runsOf = new Map<string, RunRecord[]>();
  for (const run of planned) {
    const all = await registry.listRuns({ promptId: run.promptId, version: run.version, suite: run.suite });
    runsOf.set(run.inputsKey, all.filter((r) => r.invocationId === o.invocation));
  }
  const count = shardCount(o.invocation, planned, runsOf);
  const merge: ShardMerge = { invocation: o.invocation, count, missing: [] };
  const assigned = count ? assignShards(planned, count) : undefined;
  const outcomes: RunOutcome[] = [];
  const policy = leasePolicy(o.invocation);
  const found: Found[] = [];
  for (const run of planned) {
    const ofInvocation = runsOf.get(run.inputsKey)!;
    const shards = [...new Set(assigned?.get(run.inputsKey)?.values() ?? [])].sort((a, b) => a - b);
    const sources: Found['sources'] = [];
    const missing: ShardMerge['missing'] = [];
    for (const index of shards) {
      const shard: Shard = { index, count: count! };
      const runs = ofInvocation.filter((r) => r.inputsKey === shardInputsKey(run.inputsKey, o.invocation, shard));
      const done = newest(runs.filter((r) => r.status === 'finished'));
      const mine = run.cases.filter((c) => assigned!.get(run.inputsKey)!.get(c.id) === index).map((c) => c.id);
      // Its key names the suite's inputs, not the plan around it: a job given other refs or --suite
      // splits the cases otherwise, so its run of this suite holds other cases than this merge's shard.
      const state = done && !(await holdsExactly(registry, done, mine)) ? ('other inputs' as const) : done ? undefined : stateOf(runs, ofInvocation, shard);
      const lease = state === 'running or crashed' ? await stillRunning(registry, runs, policy) : undefined;
      const at = { promptId: run.promptId, version: run.version, suite: run.suite, shard: shardName(shard) };
      if (!state) sources.push({ run: done!, shard: at.shard });
      else missing.push(lease ? { ...at, state: 'still running', lease } : { ...at, state });
    }
    // No shard on these inputs: the invocation's shards of this suite, if any, ran on other inputs.
    if (!count) missing.push({ promptId: run.promptId, version: run.version, suite: run.suite, shard: null, state: ofInvocation.some((r) => r.summary?.shard) ? 'other inputs' : 'never ran' });
    found.push({ run, ofInvocation, sources, missing });
  }
  setAsideMixedWeights(found);
  const servedNow = currentServeds(registry);
  for (const f of found) {
    const { run, ofInvocation, missing } = f;
    const sources = f.sources.map((s) => s.run.id);
    appendAll(merge.missing, missing);
    // A merge made before of these same shard runs (the merge job ran again), complete or not: the
    // same samples, judged once, never copied again. A retried shard job records its share anew:
    // then the merge is made again. A merge whose state no longer fits what is missing (an older
    // merge an ordinary `eval --resume` finished) is not these shards' verdict.
    const mergedKey = mergedInputsKey(run.inputsKey, o.invocation);
    const merged = newest(ofInvocation.filter((r) => isMergeOf(r, run.inputsKey, mergedKey) && r.status !== 'running'));
    if (merged && (merged.status === 'finished') === !missing.length && sameSources(merged, sources, ofInvocation)) {
      const { cases } = await judgeRecorded(registry, run, merged.id);
      outcomes.push({ run: merged, threshold: run.threshold, cases: o.keepPassingCases === false ? cases.filter((c) => c.verdict !== 'pass') : cases });
      continue;
    }
    run.cachedRoot = f.weights;
    // What the server said of those weights, only when they are what the model serves now as far
    // as the registry knows (as a cached run takes it, all-cached.ts): a run on new weights between
    // the shard jobs and the merge must stay the current one, or the merged run, newer, would name
    // the old weights current and earn a mark on them.
    run.cachedServed = await servedIfWeights(servedNow, run.model, f.weights);
    outcomes.push(await mergedRun(registry, { ...run, inputsKey: mergedKey }, sources, missing.length > 0, o));
  }
  return { outcomes, merge };
}

/** Whether a shard run recorded samples of exactly `cases`, no more and no fewer. */
async function holdsExactly(registry: Registry, run: RunRecord, cases: string[]): Promise<boolean> {
  const held = new Set((await registry.sampleTally(run.id)).cases.map((c) => c.caseId));
  return held.size === cases.length && cases.every((id) => held.has(id));
}

/** A planned run's share of the merge: the shard runs to copy, and the shards it lacks. */
interface Found {
  run: PlannedRun;
  ofInvocation: RunRecord[];
  sources: Array<{ run: RunRecord; shard: string }>;
  missing: ShardMerge['missing'];
  /** The weights the merged run records (`cachedRoot`): the merge asks the server nothing itself. */
  weights?: string;
}

/**
 * Shards of one model answered by different weights (the server's weights changed between the
 * jobs, or the jobs reached different servers) are not merged: one verdict and one tested mark
 * would name weights that gave only part of the answers, as preflight stops an unsharded run over
 * replicas that serve different weights. Each such shard is named missing ('other weights'), so
 * the merged runs copy nothing and are incomplete, as for a shard run on other inputs. Compared
 * over every suite of the model, as one unsharded run's preflight checks the model once.
 */
function setAsideMixedWeights(found: Found[]): void {
  for (const model of new Set(found.map((f) => f.run.model))) {
    const of = found.filter((f) => f.run.model === model);
    // A shard with none of the suite's cases answered nothing: it names no weights, and differs from none.
    const answered = (s: Found['sources'][number]) => s.run.summary?.cases !== 0;
    const shared = weightsOfRuns(model, of.flatMap((f) => f.sources.filter(answered).map((s) => s.run.summary ?? {})));
    for (const f of of) {
      if (!('mixed' in shared)) {
        f.weights = shared.weights;
        continue;
      }
      const at = { promptId: f.run.promptId, version: f.run.version, suite: f.run.suite };
      for (const s of f.sources.filter(answered)) f.missing.push({ ...at, shard: s.shard, state: 'other weights', model, weights: recordedWeights(model, s.run.summary ?? {}) ?? null });
      f.sources = f.sources.filter((s) => !answered(s));
    }
  }
}

/** A merged run of a planned run: its own key, or the planned run's own for merges made before merged runs had one. */
function isMergeOf(r: RunRecord, inputsKey: string, mergedKey: string): boolean {
  return !r.summary?.shard && (r.inputsKey === mergedKey || r.inputsKey === inputsKey);
}

/**
 * Whether a merged run copied exactly the shard runs `sources` names; a merge from before it
 * recorded them: when no shard finished after it started (the runners' clocks).
 */
function sameSources(merged: RunRecord, sources: string[], ofInvocation: RunRecord[]): boolean {
  const from = merged.summary?.mergedFrom;
  if (from) return from.length === sources.length && from.every((id) => sources.includes(id));
  // Only a complete merge is known by its time: an incomplete one may have been finished by a resume since.
  return merged.status === 'finished' && !ofInvocation.some((r) => sources.includes(r.id) && (r.endedAt ?? r.startedAt) > merged.startedAt);
}

/** A new run of `run` with the samples of its shards' runs, judged and finished (aborted when `incomplete`). */
async function mergedRun(registry: Registry, run: PlannedRun, sources: string[], incomplete: boolean, o: MergeOptions): Promise<RunOutcome> {
  const id = randomUUID();
  const lease = leasePolicy(o.invocation);
  await registry.transaction(async (tx) => {
    await tx.createRun(newRunRecord(id, run, { ...o, invocationId: o.invocation }));
    // Leased like any new run, so an `eval --resume` of these inputs cannot add to it meanwhile.
    await takeRunLease(tx, { id, promptId: run.promptId, version: run.version, suite: run.suite }, lease);
  });
  try {
    for (const source of sources) {
      const samples = (await registry.getSamples(source)).map((s) => ({ ...s, runId: id }));
      for (let i = 0; i < samples.length; i += COPY_BATCH) await registry.recordSamples(samples.slice(i, i + COPY_BATCH), [], { holder: lease.holder });
    }
    return await finishPlannedRun(registry, run, id, { stopped: incomplete, clock: o.clock, keepPassingCases: o.keepPassingCases, mergedFrom: sources });
  } finally {
    await registry.releaseLease(id, lease.holder).catch(() => {});
  }
}

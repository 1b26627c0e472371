import { InputError } from '../core/errors.js';
import type { RunRecord } from '../core/schemas/run.js';
import { newestRunsHolding } from '../infra/registry/newest-runs.js';
import type { Registry } from '../infra/registry/types.js';
import type { Project } from '../infra/project.js';
import { requireEditableVersions } from '../infra/version-states.js';
import { byCodeUnits } from '../core/order.js';
import { groupBy } from '../core/group.js';

/** Which stored runs a report shows: a run, an invocation (one `eval` call), or the latest invocation. */

/** Recent invocations, newest first, for hints. */
function recentInvocations(runs: RunRecord[], limit = 5): string[] {
  const seen = groupBy([...runs].sort((a, b) => byCodeUnits(b.startedAt, a.startedAt)), (r) => r.invocationId);
  return [...seen.entries()].slice(0, limit).map(([id, rs]) => {
    const versions = groupBy(rs, (r) => `${r.promptId}@${r.version}`, (r) => r.suite);
    const what = [...versions.entries()].map(([v, suites]) => `${v} (${suites.sort().join(', ')})`).join(', ');
    return `${id.slice(0, 8)}  ${rs.at(-1)!.startedAt.slice(0, 19).replace('T', ' ')}  ${what}`;
  });
}

/** An unfinished run of a sharded invocation: a shard's (its summary, with its shard, comes when it ends). */
function shardStarted(r: RunRecord, runs: RunRecord[]): boolean {
  return r.status === 'running' && runs.some((o) => o.summary?.shard && o.promptId === r.promptId && o.version === r.version && o.suite === r.suite);
}

/**
 * A merge job run again (or after a retried shard) makes a new merged run of the same suite: the
 * invocation's verdict is the newest one of each (prompt, version, suite, model), as the merge
 * itself last judged, never every merge added up. `runs` are oldest first.
 */
function newestMerges(runs: RunRecord[]): RunRecord[] {
  const newest = new Map<string, RunRecord>();
  for (const r of runs) newest.set(JSON.stringify([r.promptId, r.version, r.suite, r.model]), r);
  return runs.filter((r) => newest.get(JSON.stringify([r.promptId, r.version, r.suite, r.model])) === r);
}

/** A run id, an invocation id (or a unique prefix of either, 6+ characters), or the latest invocation. */
export async function selectRuns(registry: Registry, ref: string | undefined): Promise<RunRecord[]> {
  // Read by what names them: a year of history made every report read every run (30,000: 0.75 s).
  const byInvocation = async (id: string) => {
    const runs = (await registry.listRuns({ invocationId: id })).sort((a, b) => byCodeUnits(a.startedAt, b.startedAt) || byCodeUnits(a.suite, b.suite));
    // A sharded invocation once merged is its merged runs; before the merge, its shards' runs.
    const merged = runs.filter((r) => !r.summary?.shard && !shardStarted(r, runs));
    if (!merged.length) return runs;
    return runs.some((r) => r.summary?.shard) ? newestMerges(merged) : merged;
  };
  if (!ref) {
    // The latest invocation with a complete run: a selected or --filter-failing run (partial)
    // never stands in for the suite over a complete one; with nothing complete, the latest.
    const latest = await latestRun(registry);
    if (!latest) throw new InputError({ message: 'the registry has no runs yet', hint: 'run the suites first: promptctl eval' });
    return byInvocation(latest.invocationId);
  }
  const exactRun = await registry.getRun(ref);
  if (exactRun) return [exactRun];
  const invocation = await byInvocation(ref);
  if (invocation.length) return invocation;
  // A prefix, or nothing: only then every run is read.
  const all = await registry.listRuns({});
  if (!all.length) throw new InputError({ message: 'the registry has no runs yet', hint: 'run the suites first: promptctl eval' });
  if (ref.length >= 6) {
    const runs = all.filter((r) => r.id.startsWith(ref));
    const invocations = [...new Set(all.filter((r) => r.invocationId.startsWith(ref)).map((r) => r.invocationId))];
    if (runs.length + invocations.length === 1) return runs.length ? runs : byInvocation(invocations[0]!);
    if (runs.length + invocations.length > 1) throw new InputError({ message: `"${ref}" is the start of more than one run or invocation id`, hint: 'give more characters of the id' });
  }
  throw new InputError({
    message: `no run or invocation "${ref}" in the registry`,
    why: 'report takes a run id or an invocation id (one `eval` call), or two versions to compare: <id>@<a> <id>@<b>',
    // One line: an error's parts are printed one line each (core/errors.ts).
    hint: `name one of the recent invocations: ${recentInvocations(all).join('; ')}`,
  });
}

/** The newest complete run (neither partial nor a latency measurement), else the newest run; read from the newest runs. */
async function latestRun(registry: Registry): Promise<RunRecord | undefined> {
  // Newest first as the rule over every run orders them: by start time, the first written first among equals.
  const newestFirst = (runs: RunRecord[]) => [...runs].sort((a, b) => byCodeUnits(b.startedAt, a.startedAt));
  const completeIn = (runs: RunRecord[]) => newestFirst(runs).find((r) => r.summary && !r.summary.partial && !r.summary.latency);
  // Runs started in the same millisecond as the window's oldest may lie past it: then read further.
  const runs = await newestRunsHolding(registry, undefined, (window) => {
    const complete = completeIn(window);
    return complete !== undefined && complete.startedAt !== window[0]!.startedAt;
  });
  return completeIn(runs) ?? newestFirst(runs)[0];
}

/**
 * `selectRuns`, for a report: it reads the versions' files beside the stored runs (what each case
 * asked, the messages), so a released version whose file was edited since is refused (exit 2), as
 * a comparison refuses it (README "Rollback and edited files").
 */
export async function selectReportedRuns(registry: Registry, project: Project, ref: string | undefined): Promise<RunRecord[]> {
  const runs = await selectRuns(registry, ref);
  await requireEditableVersions(registry, project.prompts.filter((p) => runs.some((r) => r.promptId === p.id && r.version === p.version)), project);
  return runs;
}

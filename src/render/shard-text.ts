import type { EvalReport, ShardMerge } from '../core/schemas/report.js';
import { counted } from './text.js';

/** How sharded evals are worded: a shard job's record, and what a merge found missing. */

/** What makes a shard's inputs differ from the merge's: everything its inputs key covers (core/eval/plan.ts, the case selection), and the plan that split the cases (refs, --suite). */
const OTHER_INPUTS = 'the version or suite file, .promptrc.yaml or the model changed between the jobs, or they passed other refs, --suite, --repeat, --no-n or case selection flags';
const SAME_INPUTS = 'run every shard from one commit, with the same flags as the merge';

/** `support-answer@1.2.0 golden: shard 3/4 never ran`. */
export function missingShardText(m: ShardMerge['missing'][number], invocation: string): string {
  const what = `${m.promptId}@${m.version} ${m.suite}`;
  if (m.shard === null) {
    return m.state === 'other inputs'
      ? `${what}: every shard of invocation ${invocation} ran with other inputs than this merge (${OTHER_INPUTS}), so none of its cases are recorded for them: ${SAME_INPUTS}`
      : `${what}: no shard of invocation ${invocation} finished or stopped, so none of its cases are recorded`;
  }
  // Each shard of the model is named with its own weights, so the lines together say which differ.
  if (m.state === 'other weights') return `${what}: shard ${m.shard} was answered by ${m.weights ? `root ${m.weights}` : 'no root (unknown weights)'} behind "${m.model}", and other shards of the invocation by other weights`;
  const state =
    m.state === 'never ran'
      ? 'never ran'
      : m.state === 'other inputs'
        ? `ran with other inputs (${OTHER_INPUTS}): ${SAME_INPUTS}`
        : m.state === 'stopped'
          ? 'stopped before it finished'
          : m.state === 'still running' && m.lease
            ? `is still running: ${m.lease.holder} holds its run's lease until ${m.lease.expiresAt}`
            : 'has not finished (still running, or its job crashed)';
  return `${what}: shard ${m.shard} ${state}`;
}

/** What a merge lacks: shards not recorded for its inputs, shards answered by different weights, or both. */
export function shardsLacking(merge: ShardMerge): 'missing' | 'weights' | 'both' {
  const mixed = merge.missing.filter((m) => m.state === 'other weights').length;
  return !mixed ? 'missing' : mixed === merge.missing.length ? 'weights' : 'both';
}

/**
 * The hint under a merge with shards missing: a shard still running is waited for, not run again
 * (its cases would be sent twice); shards answered by different weights run again on one set.
 */
export function incompleteHint(merge: ShardMerge): string {
  const running = merge.missing.filter((m) => m.state === 'still running').length;
  const mixed = merge.missing.filter((m) => m.state === 'other weights').length;
  const others = merge.missing.length - running - mixed;
  const jobs = (n: number) => (n === 1 ? 'shard job' : 'shard jobs');
  const again = `in the same CI run (or with --invocation ${merge.invocation})`;
  const todo = [
    running ? `wait for the running ${jobs(running)} to end (run one again only if its job is gone: with --resume once its lease has run out, it sends only the cases still missing)` : '',
    others ? `run ${running ? 'the other missing' : 'the missing'} ${jobs(others)} again ${again}` : '',
    mixed ? `run the shard jobs again against one set of weights (every job's server.base_url serving the same root under the model name; the shards those weights answered need not run again), ${again}` : '',
  ];
  return `the verdict is incomplete, never passed: ${todo.filter(Boolean).join('; ')}, then the merge again`;
}

/** Lines a merge adds to the eval or ci text: the shards it judged, and any missing. */
export function mergeLines(merge: ShardMerge | undefined): string[] {
  if (!merge) return [];
  if (!merge.missing.length) return [`merged ${counted(merge.count ?? 0, 'shard')} of invocation ${merge.invocation}`];
  const lacking = { missing: 'are missing', weights: 'were answered by different weights', both: 'are missing or were answered by different weights' }[shardsLacking(merge)];
  return [`INCOMPLETE: shards of invocation ${merge.invocation} ${lacking}`, ...merge.missing.map((m) => `  ${missingShardText(m, merge.invocation)}`), `hint: ${incompleteHint(merge)}`];
}

/** What a shard job prints: what it recorded, and that the merge gives the verdict. */
export function shardRecordedLines(report: EvalReport, merge = 'promptctl ci --merge'): string[] {
  const shard = report.shard!;
  const cases = report.runs.reduce((n, o) => n + (o.run.summary?.cases ?? 0), 0);
  const samples = report.runs.reduce((n, o) => n + (o.run.summary?.samples ?? 0), 0);
  const head = `shard ${shard.index}/${shard.count} of invocation ${shard.invocation}`;
  if (!report.runs.length) return [`${head}: no case falls to this shard (fewer cases than shards); nothing to record`];
  // A model matrix's runs are `id@version:model`, as everywhere else (a shard's report is not judged, so not named there).
  const showModel = new Set(report.runs.map((o) => o.run.model)).size > 1;
  return [
    `${head}: recorded ${counted(cases, 'case')}, ${counted(samples, 'sample')}, in ${counted(report.runs.length, 'run')}`,
    ...report.runs.map((o) => `  ${o.run.promptId}@${o.run.version}${showModel ? `:${o.run.model}` : ''} ${o.run.suite}: ${counted(o.run.summary?.cases ?? 0, 'case')}`),
    `the verdict, tested marks and report files come from \`${merge}\` once every shard has run`,
  ];
}

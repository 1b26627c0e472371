import { sha256Hex } from '../canonical.js';
import { InputError } from '../errors.js';
import { optionWithValue, type OptionNames } from '../option-names.js';
import type { PlannedRun } from './plan.js';

/**
 * Sharded evals (`eval --shard i/n`, `ci --shard i/n`): the jobs of a CI matrix each run a
 * deterministic, balanced part of the cases of one invocation into a shared registry, and one
 * `ci --merge` job judges them together. Pure: every shard and the merge compute the same
 * assignment from the same plan, so nothing about it needs storing.
 */

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

export const MAX_SHARDS = 256;

export function parseShard(text: string, names: OptionNames): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || count > MAX_SHARDS || index < 1 || index > count) {
    throw new InputError({
      message: `${optionWithValue(names, 'shard', text)} is not a shard`,
      why: `a shard is i/n: this job's number i, from 1 to n, of n jobs (n at most ${MAX_SHARDS})`,
      hint: `e.g. ${optionWithValue(names, 'shard', '2/4')} in the second job of a 4-job matrix; every job of the matrix passes the same n`,
    });
  }
  return { index, count };
}

export const shardName = (s: Shard) => `${s.index}/${s.count}`;

/**
 * One invocation across the jobs of a CI run: `--invocation`, else the CI run itself. GitHub's
 * run id with its attempt (a re-run is a new invocation), GitLab's pipeline id. Never the commit:
 * two workflows on one commit would merge each other's shards.
 */
export function invocationOf(explicit: string | undefined, env: Record<string, string | undefined>, why: string, names: OptionNames): string {
  if (explicit !== undefined) {
    const id = explicit.trim();
    if (!/^[\w.:@/+-]{1,200}$/.test(id)) {
      throw new InputError({ message: `${optionWithValue(names, 'invocation', explicit, `"${explicit}"`)} is not an invocation id`, hint: 'use 1 to 200 letters, digits and . _ : @ / + -, the same in every job of the run (e.g. the CI run id)' });
    }
    return id;
  }
  if (env.GITHUB_RUN_ID) return `github:${env.GITHUB_REPOSITORY ? `${env.GITHUB_REPOSITORY}/` : ''}${env.GITHUB_RUN_ID}/${env.GITHUB_RUN_ATTEMPT ?? '1'}`;
  if (env.CI_PIPELINE_ID) return `gitlab:${env.CI_PROJECT_PATH ? `${env.CI_PROJECT_PATH}/` : ''}${env.CI_PIPELINE_ID}`;
  throw new InputError({
    message: `${why} needs an invocation id that every job of the CI run shares`,
    why: 'shards of one invocation are merged together; it comes from GITHUB_RUN_ID (with GITHUB_RUN_ATTEMPT) or CI_PIPELINE_ID, and neither is set',
    hint: `pass ${optionWithValue(names, 'invocation', '<id>')} with the same id in every shard job and in the merge job (e.g. your CI system's run id)`,
  });
}

/**
 * Which shard runs each case: cases in plan order, each to the shard with the fewest samples so
 * far (the lowest number on a tie), so shards differ by at most one case's samples. All samples
 * of a case stay in one shard. Keyed by the run's inputsKey, then the case id.
 */
export function assignShards(runs: PlannedRun[], count: number): Map<string, Map<string, number>> {
  const load = new Array<number>(count).fill(0);
  const out = new Map<string, Map<string, number>>();
  for (const run of runs) {
    const cases = new Map<string, number>();
    for (const c of run.cases) {
      let best = 0;
      for (let i = 1; i < count; i++) if (load[i]! < load[best]!) best = i;
      load[best]! += c.repeat;
      cases.set(c.id, best + 1);
    }
    out.set(run.inputsKey, cases);
  }
  return out;
}

/** A shard's own run of a planned run: its own inputs key, so it resumes only itself, in its invocation. */
export function shardInputsKey(inputsKey: string, invocation: string, shard: Shard): string {
  return sha256Hex(`${inputsKey}:invocation ${invocation}:shard ${shardName(shard)}`);
}

/**
 * The merged run of a planned run in an invocation: its own inputs key too, so an ordinary
 * `eval --resume` of the same inputs never adopts an incomplete merge (and finishes it with cases
 * no shard sent), and each merge finds only its invocation's.
 */
export function mergedInputsKey(inputsKey: string, invocation: string): string {
  return sha256Hex(`${inputsKey}:invocation ${invocation}:merged`);
}

/**
 * The runs shard `shard` sends: each planned run narrowed to its cases of the shard (a run with
 * none is left out), recorded as a partial run that never counts for gates or marks by itself.
 */
export function narrowToShard(runs: PlannedRun[], invocation: string, shard: Shard): PlannedRun[] {
  const assigned = assignShards(runs, shard.count);
  const out: PlannedRun[] = [];
  for (const run of runs) {
    const mine = assigned.get(run.inputsKey)!;
    const cases = run.cases.filter((c) => mine.get(c.id) === shard.index);
    if (cases.length) out.push({ ...run, cases, partial: true, shard, inputsKey: shardInputsKey(run.inputsKey, invocation, shard) });
  }
  return out;
}

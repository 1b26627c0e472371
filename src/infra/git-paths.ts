import { git } from './git.js';

/**
 * Many paths given to git in calls that fit any command line. A shared registry's tens of thousands
 * of versions, passed in one call, overran the limit (Linux's ARG_MAX, 2 MiB shared with the
 * environment; Windows' 32,767 characters): the spawn failed with E2BIG, which read as "git knows
 * of nothing", so a deleted deployed version went unreported.
 */

/**
 * What one call's paths may take, in `pathCost` units: under Windows' 32,767 characters with room
 * for git's own path and options (Linux allows far more; a few more calls cost little).
 */
export const PATHS_PER_CALL = 24 * 1024;

/** A path's share of a command line: its UTF-8 bytes (at least its UTF-16 units), a NUL and an argv pointer, or quotes and a space on Windows. */
const pathCost = (p: string): number => Buffer.byteLength(p) + 16;

/** `paths` in order, cut into batches that each fit `budget`; a path longer than the budget is a batch alone. */
export function pathBatches(paths: readonly string[], budget = PATHS_PER_CALL): string[][] {
  const batches: string[][] = [];
  let batch: string[] = [];
  let used = 0;
  for (const p of paths) {
    if (batch.length && used + pathCost(p) > budget) {
      batches.push(batch);
      batch = [];
      used = 0;
    }
    batch.push(p);
    used += pathCost(p);
  }
  if (batch.length) batches.push(batch);
  return batches;
}

/**
 * git's answer to `args -- <paths>`, asked a batch of paths at a time (pathBatches), the answers
 * joined by a NUL: for `-z` output, whose entries are NUL-separated, it reads as one answer. Only
 * for questions each path answers alone (a listing, not a count).
 */
export function gitForPaths(cwd: string, args: readonly string[], paths: readonly string[], budget = PATHS_PER_CALL): string {
  return pathBatches(paths, budget).map((batch) => git(cwd, [...args, '--', ...batch])).join('\0');
}

/**
 * `git log` (or another revision walk) limited to `paths`, given on standard input (`--stdin`, a
 * `--` line, then one path a line): one history walk however many paths, where batches would walk
 * it once per batch. The paths are promptctl's own (slug ids and versions): none holds a line break.
 */
export function gitLogForPaths(cwd: string, args: readonly string[], paths: readonly string[]): string {
  return git(cwd, [...args, '--stdin'], `--\n${paths.join('\n')}\n`);
}

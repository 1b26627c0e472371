import { constants } from 'node:buffer';
import { git, gitBytes } from './git.js';

/**
 * Many paths given to git in calls that fit any command line. A shared registry's tens of thousands
 * of versions, passed in one call, overran the limit (Linux's ARG_MAX, 2 MiB shared with the
 * environment; Windows' 32,767 characters): the spawn failed with E2BIG, which read as "git knows
 * of nothing", so a deleted deployed version went unreported.
 */

/**
 * What one call's paths may take, in `pathCost` units: on Windows, under its 32,767 characters with
 * room for git's own path and options; elsewhere half of the 128 KiB that Linux guarantees for the
 * arguments and the environment together whatever the stack limit (usually 2 MiB; macOS 1 MiB). A
 * monorepo's thousand linked folders took a hundred git processes in batches of Windows' size,
 * about forty in these.
 */
export const PATHS_PER_CALL = process.platform === 'win32' ? 24 * 1024 : 64 * 1024;

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

/** A `cat-file --batch` reply's header: `<oid> <type> <size>`; any other line (`<name> missing`, `<name> ambiguous`) is an object git does not hold. */
const BATCH_HEADER = /^[0-9a-f]{40,64} ([a-z]+) (\d+)$/;

/**
 * The bytes of each blob `names` gives (`<rev>:<path>`, as `git show` takes them), from one `git
 * cat-file --batch` whatever their number: one `git show` per file took 13-15 s for 2,000 files.
 * A name git cannot show as a file is left out: missing, a folder, or holding a line break (names
 * go one a line; git's `-z` for them needs git 2.38). The answer is read by the byte length git
 * gives each object, never by lines: a file may hold anything.
 */
export function gitBlobs(cwd: string, names: readonly string[]): Map<string, Buffer> {
  const asked = [...new Set(names)].filter((n) => !/[\r\n]/.test(n));
  const blobs = new Map<string, Buffer>();
  if (!asked.length) return blobs;
  // Each file may take what one `git show` was allowed (64 MiB), up to the largest Buffer.
  const out = gitBytes(cwd, ['cat-file', '--batch'], `${asked.join('\n')}\n`, Math.min(asked.length * 64 * 1024 * 1024, constants.MAX_LENGTH));
  let at = 0;
  for (const name of asked) {
    const eol = out.indexOf(0x0a, at);
    if (eol < 0) break;
    const header = BATCH_HEADER.exec(out.toString('latin1', at, eol));
    at = eol + 1;
    if (!header) continue;
    const end = at + Number(header[2]);
    // Content then a line feed; anything else means the reply is not what was asked: stop, leaving the rest out.
    if (out[end] !== 0x0a) break;
    if (header[1] === 'blob') blobs.set(name, out.subarray(at, end));
    at = end + 1;
  }
  return blobs;
}

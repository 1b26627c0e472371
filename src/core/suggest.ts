import { lookAlikeDifference } from './look-alikes.js';

/**
 * "Did you mean …?" for a name the user typed that does not exist (a prompt id, a version, an
 * environment): the closest known name by edit distance, when it is close enough to be a typo.
 */

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of two neighbours. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known name closest to `name`, or undefined when none is a plausible typo: at most a third of
 * the longer name's characters differ (at least one), ignoring case; a known name that `name` is a
 * prefix of (`prod` for `production`) also counts. Ties go to the earlier candidate.
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const typed = name.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const known = candidate.toLowerCase();
    const distance = known.startsWith(typed) && typed.length >= 2 ? 0.5 : editDistance(typed, known);
    const limit = Math.max(1, Math.floor(Math.max(typed.length, known.length) / 3));
    if (distance <= limit && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

/**
 * `did you mean "x"? ` to put before a hint, or '' when no known name is close. When the two print
 * alike (a Cyrillic е, a decomposed é), it says how they differ, naming the code point: otherwise
 * the message would suggest what seems to be the very name typed.
 */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const close = closestName(name, candidates);
  if (close === undefined) return '';
  const alike = lookAlikeDifference(name, close);
  return `did you mean "${close}"? ${alike ? `(${alike}.) ` : ''}`;
}

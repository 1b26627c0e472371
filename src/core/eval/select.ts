import { InputError } from '../errors.js';
import { optionName, optionWithValue, type OptionNames } from '../option-names.js';
import { seededRandom } from '../stats/random.js';
import { byCodeUnits } from '../order.js';
import { groupBy } from '../group.js';

/**
 * Case selection (`eval --case`, `--tag`, `--sample`), pure: which cases of a suite run. A case is
 * kept when it matches any `--case` id or glob (when given) and carries any `--tag` (when given);
 * `--sample n` then keeps n of those, stratified by tag and drawn with a seed fixed per suite, so
 * the same command selects the same cases (and reuses their cached answers) every time.
 */

export interface Selection {
  /** Case ids or globs (`refund-*`). */
  cases: string[];
  tags: string[];
  /** At most this many cases per suite. */
  sample?: number;
}

export interface SelectableCase {
  id: string;
  tags?: string[];
}

export const isSelecting = (s: Selection): boolean => s.cases.length > 0 || s.tags.length > 0 || s.sample !== undefined;

/** The `--case` ids or globs that match none of `ids`: a typo, or a word taken for one (`--case` takes every word after it). */
export function unmatchedCasePatterns(patterns: readonly string[], ids: Iterable<string>): string[] {
  const all = [...ids];
  return patterns.filter((p) => !all.some(idMatcher(p)));
}

/** The ids kept, in the suite's order. `seedKey` names the suite (its prompt and name), so the sample is stable. */
export function selectCaseIds(cases: readonly SelectableCase[], s: Selection, seedKey: string): string[] {
  const matchers = s.cases.map(idMatcher);
  const matching = cases.filter((c) => (!matchers.length || matchers.some((m) => m(c.id))) && (!s.tags.length || (c.tags ?? []).some((t) => s.tags.includes(t))));
  if (s.sample === undefined || s.sample >= matching.length) return matching.map((c) => c.id);
  const kept = new Set(stratifiedSample(matching, s.sample, seedKey));
  return matching.filter((c) => kept.has(c.id)).map((c) => c.id);
}

/**
 * `n` cases, each stratum (a case's first tag, or none) getting its share by largest remainder,
 * at least one for a stratum that has cases when n allows; within a stratum a seeded shuffle.
 */
function stratifiedSample(cases: readonly SelectableCase[], n: number, seedKey: string): string[] {
  const strata = groupBy(cases, (c) => c.tags?.[0] ?? '', (c) => c.id);
  const groups = [...strata.entries()].sort(([a], [b]) => byCodeUnits(a, b));
  const exact = groups.map(([, ids]) => (ids.length * n) / cases.length);
  const counts = exact.map(Math.floor);
  const byRemainder = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let left = n - counts.reduce((a, b) => a + b, 0), k = 0; left > 0; left--, k++) counts[byRemainder[k % byRemainder.length]!.i]!++;
  // A stratum the shares left out still gets one when n allows (2 hand-written cases among 190
  // attacks are drawn too), taken from the stratum with the most.
  if (n >= groups.length) {
    for (const empty of counts.flatMap((c, i) => (c === 0 ? [i] : []))) {
      const most = counts.indexOf(Math.max(...counts));
      counts[most]!--;
      counts[empty] = 1;
    }
  }
  const random = seededRandom(fnv1a(seedKey));
  return groups.flatMap(([, ids], i) => shuffled(ids, random).slice(0, counts[i]));
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * A case id or glob: `*` any run of characters, `?` one. Case ids are letters, digits and `_ . -`
 * only, so these two are all a pattern needs (no library for them).
 */
function idMatcher(pattern: string): (id: string) => boolean {
  return (id) => globMatches(pattern, id);
}

/**
 * Whether `text` matches the glob `pattern` (`*` any run of characters, `?` one, anything else
 * itself), in at most text × pattern steps: as a regex, `**********x` took minutes on a long case
 * id. After a mismatch, only the last `*` seen takes one more character.
 */
export function globMatches(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++resume;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** `--sample` (`sample`) as a whole number of cases per suite (exit 2 otherwise). */
export function parseSample(text: string | number | undefined, names: OptionNames): number | undefined {
  if (text === undefined) return undefined;
  const option = optionName(names, 'sample');
  const hint = `give a whole number of cases per suite, e.g. ${optionWithValue(names, 'sample', 50)}`;
  // Digits only: Number() read `1e1` as 10 and `0x3` as 3.
  if (typeof text === 'string' && !/^\d+$/.test(text)) throw new InputError({ message: `${option} must be a whole number of cases written in digits, not "${text}"`, hint });
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InputError({ message: `${option} must be a whole number of cases, at least 1`, hint });
  return n;
}

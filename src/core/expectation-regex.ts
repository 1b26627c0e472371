/**
 * The one rule for a `regex` expectation: how its pattern is compiled (scoring), and what is wrong
 * with it (the eval-set schema refuses errors, lint warns about the rest).
 *
 * - Written `regex: "…"` or `regex: { pattern: "…", flags: "i" }` (flags i, m, s).
 * - Compiled with the `u` flag, so `\p{Lu}` is a Unicode property and `.` a whole emoji. A plain
 *   string that is valid only without `u` (needless escapes such as `\:`, a lone `{`) keeps its old
 *   meaning, with a lint warning; one that uses `\p{` or `\u{` is an error, since without `u` they are
 *   the letters "p{…}" and "u{…}". The mapping form is new, so it is always compiled with `u`.
 * - A group repeated around a single repeated item (`(a+)+`, `(\w*)*`, `(?:x+){2,}`) or around an
 *   alternation of two equal branches (`(a|a)*`) backtracks exponentially on a near miss: V8's
 *   linear engine (infra/regex-backtracking.ts, around each check) cannot run
 *   patterns with `u` or `i`, so nothing else would bound it. Such a pattern always has a plain
 *   equivalent (`a+`), so it is refused rather than run.
 */

/** Flags a case may give: some of i, m and s, each once (u is always on). */
export const REGEX_FLAGS = /^(?!.*(.).*\1)[ims]*$/;

/** How long one check of a pattern that needs the deadline (needsDeadlineOn, needsDeadline) may run on one output before it fails. */
export const REGEX_DEADLINE_SECONDS = 1;

/** Runs a check (a pattern's test, a schema's validation) under the deadline: its answer, or 'timeout' (infra/bounded-regex.ts). */
export type Bounded = (work: () => boolean) => boolean | 'timeout';

/** As the eval-set schema reads it (schemas/evalset.ts). */
export type RegexSpec = string | { pattern: string; flags?: string | undefined };

/** The pattern and the flags given (without `u`). */
export function regexParts(spec: RegexSpec): { pattern: string; flags: string } {
  return typeof spec === 'string' ? { pattern: spec, flags: '' } : { pattern: spec.pattern, flags: spec.flags ?? '' };
}

/** `/pattern/flags` as a person reads it in a reason or report. */
export function regexText(spec: RegexSpec): string {
  const { pattern, flags } = regexParts(spec);
  return `/${pattern}/${flags}`;
}

export type RegexCompiled = { ok: true; re: RegExp; legacy: boolean } | { ok: false; message: string };

/** V8's reason without its own "Invalid regular expression: " lead, which the message already says: `/(/: Unterminated group`. */
const withoutEnginePrefix = (err: unknown): string => (err as Error).message.replace(/^Invalid regular expression: /, '');

/** The RegExp scoring tests outputs with, or why there is none. */
export function compileRegex(spec: RegexSpec): RegexCompiled {
  const { pattern, flags: given } = regexParts(spec);
  // Flags the schema refuses are its one problem (regex.flags): the pattern is checked on its own.
  const flags = REGEX_FLAGS.test(given) ? given : '';
  const runaway = nestedQuantifier(pattern);
  if (runaway) return { ok: false, message: runaway };
  let unicodeError: string;
  try {
    return { ok: true, re: new RegExp(pattern, `${flags}u`), legacy: false };
  } catch (err) {
    unicodeError = withoutEnginePrefix(err);
  }
  if (typeof spec !== 'string') return { ok: false, message: `invalid regular expression (read with the u flag): ${unicodeError}` };
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch (err) {
    return { ok: false, message: `invalid regular expression: ${withoutEnginePrefix(err)}` };
  }
  if (/\\[pPu]\{/.test(pattern)) {
    return { ok: false, message: `\\p{…} and \\u{…} need the u flag, under which this pattern is invalid (${unicodeError}); without it they would match the letters "p{" and "u{"` };
  }
  return { ok: true, re, legacy: true };
}

/** Why the pattern is refused (eval-set schema), or undefined. */
export function regexError(spec: RegexSpec): string | undefined {
  const c = compileRegex(spec);
  return c.ok ? undefined : c.message;
}

/** Why lint warns about the pattern, or undefined: it is read without `u`, as before 0.2.0. */
export function regexWarning(spec: RegexSpec): string | undefined {
  const c = compileRegex(spec);
  if (!c.ok || !c.legacy) return undefined;
  return 'this pattern is invalid under the u flag, so it is read the old way (no Unicode: "." matches half an emoji); remove needless backslashes (\\: \\" \\-) and escape a literal { or }, so it reads with u';
}

// A group (capturing or not) whose body is one repeated item, itself repeated: `(a+)+`, `(?:\w*){2,}`.
const NESTED = /\((?:\?:)?(?:\\.|\[(?:\\.|[^\]\\])*\]|[^()\\[|])[+*](?:\?)?\)(?:[+*]|\{\d+,\d*\})/;
// A repeated alternation with a branch written twice: `(a|a)*`, `(?:ab|cd|ab)+`.
const ALTERNATION = /\((?:\?:)?([^()|]+(?:\|[^()|]+)+)\)(?:[+*]|\{\d+,\d*\})/g;

function nestedQuantifier(pattern: string): string | undefined {
  const nested = NESTED.exec(pattern);
  if (nested) return `${nested[0]} repeats a repeated item: on a near miss it backtracks exponentially (a check could hang for hours); write the item once, e.g. (a+)+ as a+`;
  for (const m of pattern.matchAll(ALTERNATION)) {
    const branches = m[1]!.split('|');
    if (new Set(branches).size < branches.length) return `${m[0]} repeats an alternation whose branches match the same text: on a near miss it backtracks exponentially; keep each branch once, e.g. (a|a)* as a*`;
  }
  return undefined;
}

/**
 * Outputs up to this long are tested directly by a pattern whose backtracking is at most quadratic
 * (one repetition such as `\d+ days`): about 20 ms at worst. A longer one goes under the deadline:
 * 100,000 digits took `\d+ days` 10 s, which no single check should cost.
 */
export const DIRECT_MATCH_MAX_CHARS = 4000;

/**
 * How long matching `pattern` may take on an output of n characters. The refused shapes above are
 * the common exponential ones; others (`^(\w+\s?)*$`, `(a|aa)+$`, `\w{1,10}` six times over,
 * `a?a?a?aaa`) are only seen by running them. Every choice the engine may undo (a variable
 * repetition: `?`, `*`, `+`, `{n,m}`; an alternative: `|`; a fixed repetition over 10, which
 * multiplies the others' work) multiplies the paths it tries at each position:
 * - 'long': more than one such choice, a repeated group or a back-reference: no bound worth trusting.
 * - 'quadratic': one such choice, a long repetition (`*`, `+`, `{n,}`, a count over 10), tried from
 *   every position: `refund.*days`, `\s+$` are O(n²), `.{5000}x` O(5000·n).
 * - 'linear': no long repetition (`^(yes|no)$`, `^\d{3}-\d{4}$`), or the pattern is anchored at the
 *   start (a leading `^` without the m flag: V8 tries it at position 0 only, `^[A-Z][a-z]+$`).
 */
export function backtracking(pattern: string, flags: string): 'linear' | 'quadratic' | 'long' {
  let choices = 0;
  let afterGroup = false;
  let long = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const q = repetitionAt(pattern, i);
    if (q !== undefined && afterGroup) return 'long'; // a repeated group: `(a|aa){20}` is 2^20 paths too
    if ((q === 'variable' || q === 'unbounded' || q === 'wide' || c === '|') && ++choices > 1) return 'long';
    if (q === 'unbounded' || q === 'wide') long = true;
    afterGroup = c === ')';
    if (c === '\\') {
      if (/[1-9k]/.test(pattern[i + 1] ?? '')) return 'long'; // a back-reference
      i++;
    } else if (c === '[') {
      i = classEnd(pattern, i);
    } else if (c === '(' && pattern[i + 1] === '?') {
      i++; // a group's own `?` ((?:, (?=, (?<name>) is no repetition
    } else if (q !== undefined && pattern[i + 1] === '?') {
      i++; // lazy: the same choice
    }
  }
  return long && !(pattern.startsWith('^') && !flags.includes('m')) ? 'quadratic' : 'linear';
}

/**
 * Whether a regex expectation's check of an output `length` characters long runs under the deadline
 * (infra/bounded-regex.ts), which costs a watchdog thread per check: a pattern that backtracks
 * long always, a quadratic one on an output over DIRECT_MATCH_MAX_CHARS.
 */
export function needsDeadlineOn(pattern: string, flags: string, length: number): boolean {
  const cost = backtracking(pattern, flags);
  return cost === 'long' || (cost === 'quadratic' && length > DIRECT_MATCH_MAX_CHARS);
}

/** Whether `pattern` needs the deadline on an output of any length: a JSON schema's `pattern` (ajv compiles it with the u flag alone), whose strings' lengths are not known in advance. */
export function needsDeadline(pattern: string): boolean {
  return backtracking(pattern, 'u') !== 'linear';
}

/** The index of the `]` closing the class opened at `start` (escapes and a leading `]` or `^]` read as characters). */
function classEnd(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern[i] === '^') i++;
  if (pattern[i] === ']') i++;
  for (; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === ']') return i;
  }
  return pattern.length;
}

/**
 * A repetition starting at `i`: `?`, `*`, `+`, `{n,}` and `{n,m}` with m > n may vary, and are
 * unbounded when they may take more than 10 (`*`, `+`, `{n,}`, `{0,1000}`); `{n}` (and `{n,n}`) is
 * fixed, and counted as a choice when wide (over 10): after a variable repetition, each of its n
 * steps is retried at every split (`.*a{1000}b` is seconds on 4 KB).
 */
function repetitionAt(pattern: string, i: number): 'variable' | 'unbounded' | 'wide' | 'fixed' | undefined {
  const c = pattern[i];
  if (c === '*' || c === '+') return 'unbounded';
  if (c === '?') return 'variable';
  if (c !== '{') return undefined;
  const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i, i + 24));
  if (!m) return undefined;
  if (m[2] !== undefined && m[3] !== m[1]) return m[3] === '' || Number(m[3]) > 10 ? 'unbounded' : 'variable';
  return Number(m[1]) > 10 ? 'wide' : 'fixed';
}

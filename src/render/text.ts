import type { FailureReason } from '../core/schemas/run.js';
import { caseVerdictRateInterval } from '../core/eval/intervals.js';
import type { CaseOutcome, RateInterval } from '../core/schemas/report.js';
import { attackRate as attackRateOf, percentsAtMinimum, roundTo } from '../core/threshold-format.js';
import { pct } from '../core/percent.js';
import { characterBoundary } from '../core/character-count.js';
import { escapeDistinctly } from '../core/control-chars.js';

/**
 * Small text helpers shared by every renderer. Model outputs can contain anything (terminal escape
 * sequences, NULs, megabytes of text), so everything that shows model text goes through
 * `oneLine`/`sanitize` first; numbers are formatted by hand so output never depends on the locale.
 */

// ANSI CSI/OSC sequences: stripped whole, so a model cannot recolour or retitle the user's terminal.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g;
// C0 controls except tab/newline/CR, DEL, C1 controls, and the bidi overrides that can make text
// read differently from what it is ("Trojan Source").
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Removes escape sequences and control characters; keeps tabs and line breaks. */
export function sanitize(s: string): string {
  return s.replace(ANSI, '').replace(CONTROL, '');
}

/**
 * Text for a display that must not hide a difference (compare's columns and inputs line, the HTML
 * report): every control, invisible and direction-changing character shown as the CLI shows one
 * (`\e[8m`, `\x07`, `\u{202e}`, core/control-chars.ts), the text's own backslashes doubled when
 * anything is (`escapeDistinctly`: a typed `\e` is `\\e`), tabs and line breaks kept for the caller
 * to lay out. `sanitize` drops them, so two answers that differ only there would read the same.
 */
export function showEscaped(s: string): string {
  return escapeDistinctly(s, '\t\n\r');
}

/** One line of at most `max` characters: whitespace runs (newlines too) collapse to one space. */
export function oneLine(s: string, max = 80): string {
  const flat = sanitize(s).replace(/\s+/g, ' ').trim();
  return truncate(flat, max);
}

/**
 * Cuts to `max` code points, ending in an ellipsis when something was cut, between characters: a
 * family emoji or an accented letter is kept whole or left out, never cut to another one (a
 * character longer than the room left is kept whole when nothing before it would show).
 */
export function truncate(s: string, max: number): string {
  // Cheap pre-cut so a 10 MB output does not get split into a 10-million-element array.
  const head = s.length > max * 2 + 8 ? s.slice(0, max * 2 + 8) : s;
  const chars = Array.from(head);
  if (chars.length <= max && head.length === s.length) return s;
  if (max <= 1) return '…'.slice(0, max);
  const at = chars.slice(0, max - 1).join('').length;
  return `${s.slice(0, characterBoundary(s, at, 'start') || characterBoundary(s, at, 'end'))}…`;
}

/** What the scorer says before a json-schema problem (core/scoring/check-expectation.ts). */
const SCHEMA_MISMATCH = 'output does not match the JSON schema: ';

/** A reason's message as it reads after its expectation's name: `json-schema: $.status: must be …`, not `json-schema: output does not match the JSON schema: $.status: …`. */
export function reasonMessage(r: FailureReason): string {
  return r.expectation === 'json-schema' && r.message.startsWith(SCHEMA_MISMATCH) ? r.message.slice(SCHEMA_MISMATCH.length) : r.message;
}

/**
 * `contains "30 days"` when the expectation names what it expected, else `no-pii: found an email`.
 * `expected` is already written for display by its scorer (quoted text, `no "x"`, a pattern), so it
 * is not quoted again. A json-schema failure's `expected` is the schema, which says less than what
 * broke: it is described by its problem instead (`json-schema: $.status: must be "shipped"`).
 */
export function describeReason(r: FailureReason, max = 60): string {
  if (r.expectation === 'json-schema') return `${r.expectation}: ${oneLine(reasonMessage(r), max)}`;
  if (r.expected !== undefined && r.expected !== '') return `${r.expectation} ${oneLine(r.expected, max)}`;
  return `${r.expectation}: ${oneLine(r.message, max)}`;
}

/** 0.95 → `95.0%`; fractions throughout the schemas are 0..1. Truncated: see core/percent.ts. */
export { pct };
/** Characters of a "not tested" reason shown (the terminal's table and the Markdown summary): it names every suite that kept the mark away. */
export const MARK_REASON_CHARS = 600;

/** An attack success rate, rounded up: never understate an attack. */
export { attackRate } from '../core/threshold-format.js';

/**
 * An attack category's attacks run, with those not judged beside them in the suite table's words:
 * `12 (+2 errored, +1 not run)`. An attack whose samples all errored is an error there, not "not run".
 */
export function attacksRunText(k: { attacks: number; errored?: number; notRun?: number }): string {
  const beside = [...(k.errored ? [`+${k.errored} errored`] : []), ...(k.notRun ? [`+${k.notRun} not run`] : [])];
  return beside.length ? `${k.attacks} (${beside.join(', ')})` : String(k.attacks);
}

/** An attack category's success rate over its attacks run, or – when none ran (0% would claim resistance). */
export function categoryRateText(k: { attacks: number; successRate: number }): string {
  return k.attacks ? attackRateOf(k.successRate) : '–';
}

/**
 * `94.0% (need 95.0%)`: a pass rate beside its threshold, never contradicting the verdict
 * (core/threshold-format.ts); `– (need 95.0%)` when no case was judged (null), where 0.0% would
 * read as a failure.
 */
export function needCell(passRate: number | null, threshold: number): string {
  const shown = percentsAtMinimum(passRate ?? 0, threshold);
  return `${passRate === null ? '–' : shown.value} (need ${shown.limit})`;
}

/**
 * How a table cuts a `needCell` that does not fit: the whole `(need …)` goes and the rate stays,
 * never a threshold cut to `(need 9…` that could read as another number. Tables cut it last.
 */
export const needCellCut = {
  fit: (text: string): string => text.split(' (need ')[0] ?? text,
  min: (text: string): number => (text.split(' (need ')[0] ?? text).length,
  last: true,
};

/**
 * A rate's 95% interval as `78.1–85.3%`, bounds rounded outward so the range shown always holds
 * the computed one and the rate printed beside it. Wilson intervals are asymmetric (10 of 10 is
 * 72.2–100.0%), so both bounds are shown, never `±` a half-width. `–` when nothing was counted.
 */
export function ciRange(iv: Pick<RateInterval, 'lower' | 'upper' | 'trials'>): string {
  if (!(iv.trials > 0)) return '–';
  return `${roundTo(iv.lower, 1, 'down', 100).toFixed(1)}–${roundTo(iv.upper, 1, 'up', 100).toFixed(1)}%`;
}

/**
 * The interval of the rate a case's verdict weighs, passing of all samples (`caseVerdictRateInterval`),
 * as text beside that rate, or null when the case has at most one sample: one sample passes or
 * fails, and "0.0–79.4%" beside every single-sample case would only be clutter (`--json` still
 * carries an interval for every case).
 */
export function caseVerdictCiText(c: CaseOutcome): string | null {
  const ci = caseVerdictRateInterval(c);
  return ci.trials > 1 ? ciRange(ci) : null;
}

/** Latency: `41ms`, `1.25s`. */
export function ms(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  if (n < 1000) return `${Math.round(n)}ms`;
  return `${(n / 1000).toFixed(2)}s`;
}

/** Durations for ETA and elapsed time: `12s`, `3m 05s`, `1h 02m`. */
export function duration(msTotal: number): string {
  const s = Math.max(0, Math.round(msTotal / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** 1234567 → `1,234,567` without consulting the locale. */
export function int(n: number): string {
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** ISO timestamps → seconds between them, or null when either is missing or unparsable. */
export function secondsBetween(start: string | undefined, end: string | undefined): number | null {
  if (!start || !end) return null;
  const a = Date.parse(start);
  const b = Date.parse(end);
  if (Number.isNaN(a) || Number.isNaN(b) || b < a) return null;
  return (b - a) / 1000;
}

/** `1 suite run`, `2 suite runs`: a count with its noun agreeing, where `(s)` read as unfinished. */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * What every one of `n` things did, worded for one as for many: `All 3 suite runs passed their
 * thresholds` and `1 suite run passed its threshold`, never `All 1 suite runs`. `lower` starts
 * it in lower case, for a headline that runs on from a prefix.
 */
export function everyOne(n: number, noun: string, did: { one: string; many: string }, lower = false): string {
  if (n === 1) return `${counted(n, noun)} ${did.one}`;
  return `${lower ? 'all' : 'All'} ${counted(n, noun)} ${did.many}`;
}

/** `everyOne`'s words for runs that each met their threshold. */
export const THRESHOLDS_PASSED = { one: 'passed its threshold', many: 'passed their thresholds' } as const;

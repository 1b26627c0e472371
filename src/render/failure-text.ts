import { characterBoundary } from '../core/character-count.js';
import { escapeControlChars } from '../core/control-chars.js';
import { redactForSharing } from '../core/detectors/redact.js';
import { firstDifference } from '../core/scoring/excerpt.js';
import type { FailureReason, SampleResult } from '../core/schemas/run.js';
import { oneLine, reasonMessage } from './text.js';

/**
 * Why a sample failed, as the FAIL lines (live and plain) and the list after a run say it: the
 * scorer's message (what it checked, where it broke), then the evidence. For a text compared whole
 * (equals, starts-with) that is the expected and the actual text around their first difference,
 * so `…5pm CEST."}` and `…5pm CET."}` stand side by side; for the rest, what the output said there.
 * These lines end up in CI logs, so model text is redacted as shared reports redact it (PII masked,
 * canaries as `CANARY-…`), and quoted with every control and invisible character escaped (a line
 * break as \n, ESC as \e, a no-break space as \u{a0}), so no output can forge a log line. Redacting costs ~0.1 ms a text: callers word only the failures they show.
 */

/** Expectations that compare the output with a text from its first character. */
const COMPARED_WHOLE = new Set(['equals', 'starts-with']);
/** The longest message kept: a judge's explanation can run on. */
const MESSAGE_MAX = 200;
const ELLIPSIS = '…';

/** A text as the scorer cut it (core/scoring/excerpt.ts): `…` marks a side that was cut. */
interface Excerpt {
  text: string;
  cutStart: boolean;
  cutEnd: boolean;
}

function unwrap(s: string): Excerpt {
  const cutStart = s.startsWith(ELLIPSIS);
  const cutEnd = s.length > 1 && s.endsWith(ELLIPSIS);
  return { text: s.slice(cutStart ? 1 : 0, cutEnd ? -1 : undefined), cutStart, cutEnd };
}

/** `starts-with` stores what it expected quoted as JSON; `equals` as it is. */
function unquoted(s: string): string {
  if (!s.startsWith('"')) return s;
  try {
    const v: unknown = JSON.parse(s);
    return typeof v === 'string' ? v : s;
  } catch {
    return s;
  }
}

/**
 * Where two excerpts first differ, in each one's own indices. The scorer cuts each text around the
 * difference, but a text shorter than its excerpt width is kept whole, so the two may start at
 * different places of the texts: the shift that lines up the longest common run is used.
 */
export function differenceAt(expected: Excerpt, actual: Excerpt): [number, number] {
  const e = expected.text;
  const a = actual.text;
  const d = firstDifference(e, a);
  if (d < 0) return [e.length, a.length];
  if (!expected.cutStart && !actual.cutStart) return [d, d];
  let best = { shift: 0, run: d };
  for (let shift = 1 - a.length; shift < e.length; shift++) {
    const ei = Math.max(shift, 0);
    const ai = Math.max(-shift, 0);
    let run = 0;
    while (ei + run < e.length && ai + run < a.length && e.charCodeAt(ei + run) === a.charCodeAt(ai + run)) run++;
    if (run > best.run) best = { shift, run };
  }
  return [Math.max(best.shift, 0) + best.run, Math.max(-best.shift, 0) + best.run];
}

/**
 * At most `width` characters of `x` from a third of `width` before index `at`, quoted as JSON. Not
 * moved back at the end of the text, so two windows around one difference start as far before it.
 */
export function windowAt(x: Excerpt, at: number, width: number): string {
  const t = x.text;
  // Cut between characters only, as the scorer's excerpt is (core/character-count.ts).
  const from = Math.max(0, at - Math.floor(width / 3));
  const start = characterBoundary(t, from, 'end');
  const end = Math.max(start, characterBoundary(t, Math.min(t.length, from + width), 'start'));
  return `"${start > 0 || x.cutStart ? ELLIPSIS : ''}${visible(t.slice(start, end))}${end < t.length || x.cutEnd ? ELLIPSIS : ''}"`;
}

/** Unicode spaces and line separators: printed, each reads as a plain space or a line break. */
const SPACE_LIKE = /[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/g;

/**
 * Model text as a quoted string's body: `\` and `"` escaped as JSON escapes them, every control,
 * invisible and direction-changing character as the CLI shows one (`\e`, `\x07`, `\u{202e}`,
 * core/control-chars.ts), Unicode spaces as `\u{a0}`. Nothing is dropped, so the character that
 * made a check fail shows, and nothing raw reaches a terminal or a CI log (no escape sequence, no
 * line break, no override turning the line around).
 */
function visible(text: string): string {
  const spaces = (c: string) => `\\u{${c.charCodeAt(0).toString(16)}}`;
  return escapeControlChars(text.replace(/[\\"]/g, (c) => `\\${c}`)).replace(SPACE_LIKE, spaces);
}

function evidence(r: FailureReason, output: string, width: number): string {
  if (COMPARED_WHOLE.has(r.expectation) && r.expected !== undefined && r.actual !== undefined) {
    // Both sides redacted alike, so a masked span does not read as a difference.
    const e = unwrap(redactForSharing(unquoted(r.expected)));
    const a = unwrap(redactForSharing(r.actual));
    const [de, da] = differenceAt(e, a);
    const w = Math.round((width * 2) / 3);
    return ` — expected ${windowAt(e, de, w)}, got ${windowAt(a, da, w)}`;
  }
  // `output used 300 tokens; the limit is 100` already says what `300 tokens` would.
  if (r.actual !== undefined && r.actual !== '' && r.message.includes(r.actual)) return '';
  // The scorer's excerpt sits around what it found; the raw output is cut before its costly redaction.
  const got = r.actual ?? (output.length > width * 4 ? `${output.slice(0, width * 4)}${ELLIPSIS}` : output);
  return ` — got ${windowAt(unwrap(redactForSharing(got)), 0, width)}`;
}

/**
 * `equals: output differs from the expected text at character 61` and its evidence,
 * ` — expected "…5pm CEST.\"}", got "…5pm CET.\"}"` (or '' when the message says it all); `width`
 * is how much of the output is shown (two thirds of it on each side of a difference).
 */
export function reasonParts(r: FailureReason, output: string, width: number): { said: string; evidence: string } {
  return { said: `${r.expectation}: ${oneLine(redactForSharing(reasonMessage(r)), MESSAGE_MAX)}`, evidence: evidence(r, output, width) };
}

export function reasonText(r: FailureReason, output: string, width: number): string {
  const p = reasonParts(r, output, width);
  return p.said + p.evidence;
}

/** A failed sample without a reason recorded for it (none is expected, but the output still tells something). */
export function noReasonParts(output: string, width: number): { said: string; evidence: string } {
  return { said: 'failed without a recorded reason', evidence: evidence({ expectation: '', message: '' }, output, width) };
}

/** What a FAIL line says after the first reason: `(+2 more: regex, starts-with)`, or ''. */
export function moreReasonsNote(reasons: FailureReason[]): string {
  if (reasons.length <= 1) return '';
  const kinds = [...new Set(reasons.slice(1).map((r) => r.expectation))];
  return ` (+${reasons.length - 1} more: ${kinds.slice(0, 4).join(', ')}${kinds.length > 4 ? ', …' : ''})`;
}

/** A FAIL line's detail: the first reason with its evidence, and the kinds of the others. */
export function sampleFailureText(r: SampleResult, width = 60): string {
  const first = r.reasons[0];
  if (!first) {
    const p = noReasonParts(r.output, width);
    return p.said + p.evidence;
  }
  return `${reasonText(first, r.output, width)}${moreReasonsNote(r.reasons)}`;
}

import { decodeRuns, rot13 } from './encodings.js';
import { CANARY_SEPARATOR, canaryPattern } from './leak.js';
import { leakedCanarySpans, type Span } from './leaked-canary.js';
import { detectPii, PII_KINDS } from './pii.js';
import { maskFindings } from './pii-mask.js';
import { escapeRegExp } from '../escape-regexp.js';

/**
 * Model output as shown in reports that leave the machine (Markdown summaries in pull requests,
 * JUnit and HTML uploaded as CI artifacts). The failure reasons already mask PII and never print
 * the canary; an output printed next to them must not undo that. Raw outputs stay in the registry
 * and in `--json`, which are local and for machines.
 */

/** What replaces a canary, the same text scoring puts in reasons. */
export const CANARY_REDACTED = 'CANARY-…';

// Reports do not know the run's canary value, but every canary is `CANARY-` and a hex run (20
// digits from the registry's secret, see infra/eval/session.ts; 12 from makeCanary). A model that
// leaks it may change its case ("canary-7F3A…"), space its hyphen or split the digits
// ("CANARY - 7f3a-9c2e-…"), so the match ignores case and takes the whole run. The plain shape is
// `CANARY-` and 8 or more hex digits; a spaced or split one needs 12 digits and a letter among
// them, so a date, version or address after the word ("the canary: 2024-01-15 release") is text.
const CANARY_PLAIN = /canary[-_][0-9a-f]{8,}/gi;
// Between the label and the digits, and between groups of two or more digits, what a model spreads
// them with: the leak scan's separators (CANARY_SEPARATOR), as many as the scan takes (`", "` in a JSON list, a line break and any indent in a pretty-printed one).
const SPREAD_BY = `${CANARY_SEPARATOR}+`;
const CANARY_SPREAD = new RegExp(`canary${CANARY_SEPARATOR}*[0-9a-f]{2,}(?:${SPREAD_BY}[0-9a-f]{2,})*(?![0-9a-z])`, 'gi');
// The same in ROT13 (letters turn by 13, so the hex digits a-f become n-s), matched in place.
const ROT13_PLAIN = /pnanel[-_][0-9n-s]{8,}/gi;
const ROT13_SPREAD = new RegExp(`pnanel${CANARY_SEPARATOR}*[0-9n-s]{2,}(?:${SPREAD_BY}[0-9n-s]{2,})*(?![0-9a-z])`, 'gi');

/** The canary shapes in `text`, plain or in ROT13: a spread one only with 12 or more digits, a letter among them. */
function shapeSpans(text: string): Span[] {
  const spread = (re: RegExp, letter: RegExp): Span[] =>
    [...text.matchAll(re)]
      .map((m) => ({ m, digits: m[0].replace(/^(?:canary|pnanel)/i, '').replace(/[^0-9a-z]/gi, '') }))
      .filter(({ digits }) => digits.length >= 12 && letter.test(digits))
      .map(({ m }) => ({ start: m.index, end: m.index + m[0].length }));
  return [...matches(CANARY_PLAIN, text), ...matches(ROT13_PLAIN, text), ...spread(CANARY_SPREAD, /[a-f]/i), ...spread(ROT13_SPREAD, /[n-s]/i)];
}

export interface RedactOptions {
  /** A canary value known to the caller, redacted in any letter case even if not in the usual shape. */
  canary?: string;
  /**
   * The text's leak scan found the canary (a sample's recorded `leaks` has 'canary'), whose value the
   * caller does not know: every run that could be its random part is masked too (leaked-canary.ts).
   */
  canaryLeaked?: boolean;
}

/** Where `re` (global) matches `text`. */
function matches(re: RegExp, text: string): Span[] {
  return [...text.matchAll(re)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

/**
 * Where `text` carries a canary: plainly, in ROT13 (which keeps every character in place), or in a
 * base64, hex or percent-encoded run that decodes to one (the whole run is the span: the leak detector reports the
 * run, and any part of it would give the secret back).
 */
function canarySpans(text: string, known: RegExp[]): Span[] {
  const carries = (s: string): boolean =>
    shapeSpans(s).length > 0 ||
    known.some((re) => {
      re.lastIndex = 0;
      return re.test(s);
    });
  const spans: Span[] = [...shapeSpans(text), ...known.flatMap((re) => matches(re, text))];
  // The shortest run that can carry a canary: base64 of `CANARY-` and 8 digits is 20 characters.
  for (const run of decodeRuns(text, 20)) {
    if (carries(run.decoded)) spans.push({ start: run.index, end: run.index + run.length });
  }
  return spans;
}

/** `text` with every span replaced by `CANARY-…` (overlapping spans merged). */
function replaceSpans(text: string, spans: Span[]): string {
  if (!spans.length) return text;
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let out = '';
  let from = 0;
  for (const s of sorted) {
    if (s.end <= from) continue;
    if (s.start >= from) out += text.slice(from, s.start) + CANARY_REDACTED;
    from = s.end;
  }
  return out + text.slice(from);
}

/**
 * `text` with every canary, plain or encoded (ROT13, base64, hex), replaced by `CANARY-…`. With a
 * known canary value, its random part alone and any spacing of it count too (as the leak scan
 * finds them). What scoring applies to reasons, and the first step of redactForSharing.
 */
export function redactCanaries(text: string, canary?: string, leaked = false): string {
  const known = canary ? [canary, rot13(canary)].map((c) => new RegExp(`${escapeRegExp(c)}|${canaryPattern(c).source}`, 'gi')) : [];
  const spans = canarySpans(text, known);
  return replaceSpans(text, leaked ? [...spans, ...leakedCanarySpans(text)] : spans);
}

/**
 * `text` with every canary replaced by `CANARY-…` and every PII finding (emails, phones, cards,
 * SSNs, IP addresses, secrets) masked the way reasons mask them: `jane.doe@example.com` becomes
 * `ja**********om`. Text with nothing to redact comes back unchanged (the same string).
 */
export function redactForSharing(text: string, opts: RedactOptions = {}): string {
  const out = redactCanaries(text, opts.canary, opts.canaryLeaked);
  const findings = detectPii(out);
  return findings.length ? maskFindings(out, findings) : out;
}

// Addresses in a transport or server error are the server's own ("connect ECONNREFUSED 10.0.0.5:8000",
// the base URL the user configured): masking them hides the one fact the error is about.
const ERROR_KINDS = PII_KINDS.filter((k) => k !== 'ipv4' && k !== 'ipv6');

/**
 * A transport or server error as the terminal shows it: the canary and the personal data a request
 * echoed in the server's error body carries are hidden as in redactForSharing, but IP addresses stay.
 */
export function redactServerError(text: string): string {
  const out = redactCanaries(text);
  const findings = detectPii(out, ERROR_KINDS);
  return findings.length ? maskFindings(out, findings) : out;
}

/** Whether a sample's scan found the canary (its recorded leaks): what `canaryLeaked` asks of a report. */
export function leakedCanary(sample: { leaks?: readonly string[] } | undefined): boolean {
  return sample?.leaks?.includes('canary') ?? false;
}

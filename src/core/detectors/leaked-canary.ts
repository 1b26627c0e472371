import { decodeRuns, hasJsonEscapes, rot13, unescapeJsonWithOffsets } from './encodings.js';
import { CANARY_SEPARATOR } from './leak.js';
import { foldWithOffsets, sourceSpan } from './text-fold.js';

/**
 * Where an output that leaked the canary may carry it, for shared reports that do not know the
 * canary's value. Reports read stored runs, and the canary is never stored (it is derived from the
 * registry's secret, which a read-only report neither reads nor creates); what a sample does record is
 * that its scan found the canary (`leaks: ['canary']`). Such an output gets every run that could be
 * the canary's random part masked, without its label too: 12 or more hex digits, spread by any of
 * the leak scan's separators, plain (after the detectors' folding), in ROT13, behind JSON string
 * escapes, or inside a base64, hex or percent-encoded run that decodes to one. It over-masks a
 * hash or a long number in that one output, which is the price of never printing the secret;
 * outputs that did not leak are left to the shape-based redaction (redact.ts).
 */

export type Span = { start: number; end: number };

// Twelve or more hex digits, any separators between them, starting where a word starts, or glued
// after a letter that is no hex digit (`0x7f3a…`, `\x…`, `traceid7f3a…`) when four digits follow
// unbroken: the leak scan finds the random part there, so the mask takes it there too, but "id
// 7f3a…" is masked from the 7, not from the d. Separators and digits are disjoint classes, so a
// failed match gives back one step at a time, and a start that fails held fewer than 12 digits (linear).
const CANDIDATE = new RegExp(`(?:(?<![0-9a-z])|(?<![0-9a-f])(?=[0-9a-f]{4}))[0-9a-f](?:${CANARY_SEPARATOR}*[0-9a-f]){11,}`, 'g');

/** Spans of `CANDIDATE` in `text`, folded (case, full-width digits, invisible characters) and mapped back. */
function plainSpans(text: string): Span[] {
  const folded = foldWithOffsets(text, { lowercase: true, collapseWhitespace: false });
  const spans: Span[] = [];
  // ROT13 keeps every character in place: the same offsets serve both readings.
  for (const reading of [folded.text, rot13(folded.text)]) {
    for (const m of reading.matchAll(CANDIDATE)) spans.push(sourceSpan(text, folded, m.index, m.index + m[0].length));
  }
  return spans;
}

const carries = (decoded: string): boolean => plainSpans(decoded).length > 0;

export function leakedCanarySpans(text: string): Span[] {
  const spans = plainSpans(text);
  if (hasJsonEscapes(text)) {
    const json = unescapeJsonWithOffsets(text);
    // Up to where the character after the run came from: an escape (`\u0064`) is masked whole.
    for (const s of plainSpans(json.text)) spans.push({ start: json.offsets[s.start] ?? text.length, end: json.offsets[s.end] ?? text.length });
  }
  for (const run of decodeRuns(text, 16)) {
    if (carries(run.decoded)) spans.push({ start: run.index, end: run.index + run.length });
  }
  return spans;
}

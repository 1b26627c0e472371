import { characterNumber } from '../character-count.js';
import { hardToSeeName } from '../character-names.js';
import { quote } from './excerpt.js';

/**
 * What a reason comparing two texts says about their first difference (equals, starts-with): where
 * it is, counted in characters as a person counts them (characterNumber, max_length's rule), and,
 * when the character that differs cannot be seen or reads as another one, which it is: `30 days`
 * and `30\u00a0days` print alike, so "differs at character 3" alone would leave a reader staring.
 */

/** The code point of `text` at UTF-16 index `at`, or undefined past its end. */
function charAt(text: string, at: number): string | undefined {
  const cp = text.codePointAt(at);
  return cp === undefined ? undefined : String.fromCodePoint(cp);
}

/** `3`: the character (from 1) where `want` and `got` first differ (`at`, a UTF-16 index firstDifference found). */
export function differencePosition(want: string, got: string, at: number): number {
  return characterNumber(at < got.length ? got : want, at);
}

/**
 * ` (the output has U+00A0 NO-BREAK SPACE where the expected text has " ")`, or '' when both
 * characters at `at` are plain to see.
 */
export function unseenDifference(want: string, got: string, at: number): string {
  const w = charAt(want, at);
  const g = charAt(got, at);
  const gName = g === undefined ? undefined : hardToSeeName(g, w);
  const wName = w === undefined ? undefined : hardToSeeName(w, g);
  if (gName === undefined && wName === undefined) return '';
  if (w === undefined) return ` (the output goes on with ${gName})`;
  if (g === undefined) return ` (the expected text goes on with ${wName})`;
  return ` (the output has ${gName ?? quote(g)} where the expected text has ${wName ?? quote(w)})`;
}

/**
 * Short views of long texts for failure reasons: reports show why a sample failed, so the excerpt
 * is cut around the relevant spot rather than from the start.
 */

export const EXCERPT_WIDTH = 120;
const ELLIPSIS = '…';

/**
 * At most `width` characters of `text` around index `at` (the spot sits about a third of the way
 * in, so some lead-in context shows), with an ellipsis on each side that was cut.
 */
export function excerpt(text: string, at = 0, width = EXCERPT_WIDTH): string {
  if (text.length <= width) return text;
  const spot = Math.min(Math.max(0, at), text.length);
  let start = Math.max(0, Math.min(spot - Math.floor(width / 3), text.length - width));
  let end = start + width;
  // Do not cut a surrogate pair in half (emoji, CJK extension characters).
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start++;
  if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end--;
  return `${start > 0 ? ELLIPSIS : ''}${text.slice(start, end)}${end < text.length ? ELLIPSIS : ''}`;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** A value quoted as JSON, so whitespace and newlines are visible; long values are cut. */
export function quote(value: string, width = EXCERPT_WIDTH): string {
  return JSON.stringify(excerpt(value, 0, width));
}

/** Index of the first character where two strings differ, or -1 when they are equal. */
export function firstDifference(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return i;
  return a.length === b.length ? -1 : n;
}

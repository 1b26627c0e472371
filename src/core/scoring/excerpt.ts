import { characterBoundary } from '../character-count.js';

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
  const from = Math.max(0, Math.min(spot - Math.floor(width / 3), text.length - width));
  // Cut between characters only (a family emoji, a flag, an accented letter stay whole): the start
  // moves on past a character it would split, the end back before it.
  const start = characterBoundary(text, from, 'end');
  const end = Math.max(start, characterBoundary(text, from + width, 'start'));
  return `${start > 0 ? ELLIPSIS : ''}${text.slice(start, end)}${end < text.length ? ELLIPSIS : ''}`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * A value quoted as JSON, so whitespace and newlines are visible; long values are cut. The
 * characters a reader cannot see (controls, Unicode spaces, invisible and direction-changing ones)
 * are JSON escapes too (`"30\u00a0days"`), which JSON.stringify leaves raw: a message must not hide
 * the character that made a check fail, nor let a right-to-left override turn the line around.
 */
export function quote(value: string, width = EXCERPT_WIDTH): string {
  return JSON.stringify(excerpt(value, 0, width)).replace(UNSEEN, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Controls JSON leaves raw (DEL, C1), Unicode spaces and line separators, invisible and
 * direction-changing characters. Not the joiners U+200C/U+200D: they draw a family emoji as one,
 * and a reason naming a difference names them (difference-note.ts).
 */
const UNSEEN = /[\u007f-\u009f\u00a0\u00ad\u061c\u1680\u180e\u2000-\u200b\u200e\u200f\u2028-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff]/g;

/**
 * Index of the first character where two strings differ, or -1 when they are equal. At the start of
 * the code point (😀 and 😁 share their first UTF-16 unit), so what is found there is a character.
 */
export function firstDifference(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return i > 0 && isHighSurrogate(a.charCodeAt(i - 1)) ? i - 1 : i;
  return a.length === b.length ? -1 : n;
}

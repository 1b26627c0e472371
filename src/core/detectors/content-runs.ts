/**
 * A shared run must carry content: a line of dashes or a table border shared with the prompt is
 * not a leak (half the run being letters or digits is plenty for any real sentence). And the
 * whitespace around a quoted span does not count towards its length, or every 38-character
 * quote between two spaces would pass a 40-character limit. The longest part of the run from its
 * start that passes counts: a sentence of the prompt copied with the ruler that follows it there
 * is a run mostly of dashes, but its sentence is still a leak.
 */
export function contentRuns(text: string, minChars: number): (at: number, len: number) => number {
  let counts: ReturnType<typeof contentCounts> | undefined;
  return (at, len) => {
    // Counted once per text, on its first shared run (most outputs share none).
    const { alnum, contentEnd, contentStart } = (counts ??= contentCounts(text));
    // A part of l characters needs l / 2 letters or digits, so none longer than twice the run's own counts;
    // and at least minChars of content. A ruler is done at once.
    for (let l = Math.min(len, 2 * (alnum[at + len]! - alnum[at]!)); l >= minChars; l--) {
      // Never half a surrogate pair.
      if (l < len && isHighSurrogate(text.charCodeAt(at + l - 1))) continue;
      if ((alnum[at + l]! - alnum[at]!) * 2 >= l && contentEnd[at + l]! - contentStart[at]! >= minChars) return l;
    }
    return 0;
  };
}

/**
 * Per position k of a text: letters and digits (one per code point) before k; the end of the last
 * character before k that is not whitespace; the start of the first at or after k that is not.
 * A run [at, at + l) has alnum[at + l] - alnum[at] of them, and trims to contentEnd[at + l] -
 * contentStart[at] characters.
 */
function contentCounts(text: string): { alnum: Int32Array; contentEnd: Int32Array; contentStart: Int32Array } {
  const n = text.length;
  const alnum = new Int32Array(n + 1);
  const contentEnd = new Int32Array(n + 1);
  const contentStart = new Int32Array(n + 1).fill(n);
  for (let k = 0; k < n; ) {
    const ch = String.fromCodePoint(text.codePointAt(k)!);
    const content = !WHITESPACE.test(ch);
    const counted = alnum[k]! + (LETTER_OR_DIGIT.test(ch) ? 1 : 0);
    for (let u = 1; u <= ch.length; u++) {
      alnum[k + u] = counted;
      contentEnd[k + u] = content ? k + ch.length : contentEnd[k]!;
    }
    k += ch.length;
  }
  for (let k = n - 1; k >= 0; k--) contentStart[k] = WHITESPACE.test(text[k]!) ? contentStart[k + 1]! : k;
  return { alnum, contentEnd, contentStart };
}

const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const WHITESPACE = /\s/u;

/**
 * Where a file's bytes stop being UTF-8, so a reader can say which line to fix instead of only
 * that the file is not UTF-8. Pure: it looks at bytes the caller already read. Used for YAML files
 * (yaml-source.ts) and for data files read line by line (infra/text-lines.ts).
 */

/** Line and column (both from 1) of a byte offset, counting LF bytes; for bytes that failed UTF-8 decoding. */
export function bytePosition(bytes: Uint8Array, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: offset - lineStart + 1 };
}

/** Offset of the first byte of invalid UTF-8 in `bytes` (the lead byte of a broken sequence). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  // Find the shortest prefix that a fresh streaming decoder rejects. In stream mode an incomplete
  // sequence at the end of a prefix is not an error, so "the prefix decodes" is monotone and a
  // binary search is exact (O(n log n) worst case). A flushing decoder would reject prefixes that
  // merely cut a valid multi-byte character in two, and point far from the bad byte.
  const decodes = (end: number): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (decodes(mid + 1)) lo = mid + 1;
    else hi = mid;
  }
  // `lo` is the byte where decoding broke (or the end of the file for a truncated last character).
  // If a multi-byte sequence was left unfinished just before it, point at that sequence's lead byte.
  let at = lo;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, at));
  } catch {
    while (at > 0 && ((bytes[at - 1] ?? 0) & 0xc0) === 0x80) at--;
    if (at > 0) at--;
  }
  return at;
}

/**
 * The last character's bytes when it is multi-byte (at most 4, none a line feed): a reader that
 * decodes a file in chunks keeps them, since a chunk may end inside that character and the next
 * chunk's first bytes only make sense after them.
 */
export function lastMultiByteCharacter(bytes: Uint8Array): Uint8Array {
  for (let i = bytes.length - 1; i >= Math.max(0, bytes.length - 4); i--) {
    const b = bytes[i] ?? 0;
    if ((b & 0xc0) !== 0x80) return b >= 0xc0 ? bytes.subarray(i) : bytes.subarray(bytes.length);
  }
  return bytes.subarray(bytes.length);
}

/**
 * `the file looks like UTF-16 (little-endian, with a byte order mark); save it as UTF-8`, or
 * undefined. Notepad and Excel save "Unicode" text as UTF-16: its byte order mark is not UTF-8,
 * and without one, ASCII text is every other byte NUL, which decodes as UTF-8 until the first
 * letter beyond ASCII (line 3, column 72), so the bad byte's place says nothing useful. Both are
 * told at 1:1. Judged from the first 512 bytes: at least half the pairs' high bytes NUL and almost
 * none of their low bytes (UTF-8 text never holds NUL).
 */
export function utf16Text(bytes: Uint8Array): string | undefined {
  const saveAs = (order: string, bom: boolean) => `the file looks like UTF-16 (${order}${bom ? ', with a byte order mark' : ''}), not UTF-8; save it as UTF-8`;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return saveAs('little-endian', true);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return saveAs('big-endian', true);
  const pairs = Math.min(bytes.length, 512) >> 1;
  if (pairs < 2) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  if (oddNul >= pairs / 2 && evenNul <= pairs / 16) return saveAs('little-endian', false);
  if (evenNul >= pairs / 2 && oddNul <= pairs / 16) return saveAs('big-endian', false);
  return undefined;
}

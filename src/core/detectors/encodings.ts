/**
 * Decoders shared by the detectors: ROT13, and base64, hex and percent-encoded runs, with the
 * tests that tell decoded text from noise. Pure string work; no Buffer, so it runs anywhere.
 */

/** ROT13 of ASCII letters; everything else (and the length) is unchanged, so indexes carry over. */
export function rot13(source: string): string {
  // A char-code loop: several times faster than replace() with a callback on long outputs.
  const codes = new Uint16Array(source.length);
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    codes[i] = c >= 65 && c <= 90 ? ((c - 52) % 26) + 65 : c >= 97 && c <= 122 ? ((c - 84) % 26) + 97 : c;
  }
  let out = '';
  for (let i = 0; i < codes.length; i += 8192) out += String.fromCharCode(...codes.subarray(i, i + 8192));
  return out;
}

const B64_VALUES = (() => {
  const table = new Int16Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  // base64url shares the table: '-' and '_' stand for '+' and '/'.
  table['-'.charCodeAt(0)] = 62;
  table['_'.charCodeAt(0)] = 63;
  return table;
})();

const UTF8 = new TextDecoder('utf-8', { fatal: false });

/**
 * Decodes base64 or base64url (padding optional, whitespace ignored). Returns undefined when the
 * input holds a character outside the alphabet. A trailing partial group is decoded as far as it goes.
 */
export function decodeBase64(input: string): string | undefined {
  const bytes = new Uint8Array(Math.ceil((input.length * 3) / 4));
  let n = 0;
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < input.length; i++) {
    const code = input.charCodeAt(i);
    if (code === 61 /* = */) break;
    if (code === 32 || code === 10 || code === 13 || code === 9) continue;
    const v = code < 128 ? (B64_VALUES[code] ?? -1) : -1;
    if (v < 0) return undefined;
    buffer = ((buffer << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[n++] = (buffer >> bits) & 0xff;
    }
  }
  return UTF8.decode(bytes.subarray(0, n));
}

/** Base64 encoding of UTF-8 text (used by tests and pack tooling; detection only decodes). */
export function encodeBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += alphabet[(n >> 18) & 63]! + alphabet[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? alphabet[(n >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? alphabet[n & 63]! : '=';
  }
  return out;
}

export interface DecodedRun {
  /** Where the encoded run starts in the scanned text. */
  index: number;
  /** Length of the encoded run in the scanned text. */
  length: number;
  decoded: string;
}

const B64 = '[A-Za-z0-9+/_-]';
// A group written apart by one space or tab (`Q0FO QVJZ LTIx`, `Q0FOQVJZ LTIxZjY0`): whole quads up
// to a 76-column line's worth, the last one padded or not, so an ordinary word joins a run only
// when its length is a multiple of four, and the groups after it stay aligned. Bounded, so a long
// word that fails it gives back at most 19 steps.
const SPACED_GROUP = `[ \\t](?:${B64}{4}){0,18}(?:${B64}{4}|${B64}{3}=|${B64}{2}==)(?![A-Za-z0-9+/_=-])`;
// A run of base64 characters, possibly wrapped over several lines (as encoders do at 64/76 columns)
// or written in groups (SPACED_GROUP). A line break and a single space or tab are disjoint, so each
// gap between groups is read one way only.
const BASE64_RUN = new RegExp(`${B64}{4,}(?:={1,2})?(?:[ \\t]*\\r?\\n[ \\t]*${B64}{4,}(?:={1,2})?|${SPACED_GROUP})*`, 'g');

/**
 * Finds base64-looking runs of at least `minLength` characters and decodes them. Ordinary long
 * words also qualify and decode to noise; that is harmless because callers only search the result.
 * A run can carry a word it was glued to ("base64" on the line above, "data-" before it), which
 * shifts every later group: each of the four alignments is decoded, so one of them reads true.
 */
export function decodeBase64Runs(text: string, minLength = 12): DecodedRun[] {
  const runs: DecodedRun[] = [];
  for (const m of text.matchAll(BASE64_RUN)) {
    const compact = m[0].replace(/\s+/g, '');
    // Only a run that spans lines or holds '-'/'_' can have a word glued on that the decoder could not tell apart.
    const shifts = compact.length === m[0].length && !/[-_]/.test(compact) ? 1 : 4;
    for (let shift = 0; shift < shifts && compact.length - shift >= minLength; shift++) {
      const decoded = decodeBase64(compact.slice(shift));
      if (decoded !== undefined) runs.push({ index: m.index, length: m[0].length, decoded });
    }
  }
  return runs;
}

const HEX = '[0-9A-Fa-f]';
// Hex-encoded bytes, in the three ways text carries them: escaped (`\x43\x41…`, as a string literal
// writes them); a list of `0x` bytes (`0x43, 0x41, …`, as a C array writes them, over lines too);
// or plain, optionally one space or colon between bytes (`43 41 4e`, `43:41:4e`), with a stray
// digit at either end. Every gap is bounded and each byte of the first two starts with its own
// prefix, so a list that falls short gives back a bounded number of steps.
const ESCAPED_HEX = `\\\\x${HEX}{2}(?:[ \\t]{0,4}\\\\x${HEX}{2}){7,}`;
const LISTED_HEX = `0[xX]${HEX}{2}(?:(?:[ \\t]{0,8},)?[ \\t]{0,8}(?:\\r?\\n[ \\t]{0,16})?0[xX]${HEX}{2}){7,}`;
const PLAIN_HEX = `(?<!${HEX})${HEX}{2}(?:[ :]?${HEX}{2}){7,}${HEX}?(?!${HEX})`;
const HEX_RUN = new RegExp(`${ESCAPED_HEX}|${LISTED_HEX}|${PLAIN_HEX}`, 'g');
// What a run holds besides its digits: the `\x` and `0x` before each byte, and the gaps.
const HEX_NOISE = /\\x|0[xX]|[^0-9A-Fa-f]/g;

/** Hex runs of at least 8 bytes, decoded as UTF-8 (both alignments: a run may carry a stray digit). */
export function decodeHexRuns(text: string): DecodedRun[] {
  const runs: DecodedRun[] = [];
  for (const m of text.matchAll(HEX_RUN)) {
    const digits = m[0].replace(HEX_NOISE, '');
    for (let shift = 0; shift < 2; shift++) {
      const bytes: number[] = [];
      for (let i = shift; i + 1 < digits.length; i += 2) bytes.push(parseInt(digits.slice(i, i + 2), 16));
      runs.push({ index: m.index, length: m[0].length, decoded: UTF8.decode(Uint8Array.from(bytes)) });
    }
  }
  return runs;
}

/** Decoded bytes that read as text: few replacement characters or control codes (noise has many). */
export function looksLikeText(decoded: string): boolean {
  let bad = 0;
  for (let i = 0; i < decoded.length; i++) {
    const c = decoded.charCodeAt(i);
    if (c === 0xfffd || (c < 0x20 && c !== 9 && c !== 10 && c !== 13)) bad++;
  }
  return bad * 10 <= decoded.length;
}

/** Shannon entropy in bits per character; random base64 is ~6, English prose ~4, repeated text ~0. */
export function shannonEntropy(s: string): number {
  if (!s.length) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

// A run of URL characters; those holding a %XX escape are decoded ("jane%40example.com",
// "%2B1%20415..."). One flat class: a pattern that insists on the escape inside the run would try
// every start of a long run again (quadratic on a 5,000-character word).
const URL_RUN = /[A-Za-z0-9._~+%-]+/g;
const ESCAPE = /%[0-9A-Fa-f]{2}/;

/** Percent-encoded (URL-encoded) runs, decoded as UTF-8; an invalid sequence decodes to U+FFFD. */
export function decodePercentRuns(text: string): DecodedRun[] {
  const runs: DecodedRun[] = [];
  if (!text.includes('%')) return runs;
  for (const m of text.matchAll(URL_RUN)) {
    if (!ESCAPE.test(m[0])) continue;
    const bytes: number[] = [];
    for (let i = 0; i < m[0].length; ) {
      if (m[0][i] === '%' && /^[0-9A-Fa-f]{2}$/.test(m[0].slice(i + 1, i + 3))) {
        bytes.push(parseInt(m[0].slice(i + 1, i + 3), 16));
        i += 3;
      } else bytes.push(m[0].charCodeAt(i++));
    }
    runs.push({ index: m.index, length: m[0].length, decoded: UTF8.decode(Uint8Array.from(bytes)) });
  }
  return runs;
}

/** The encodings a run of an output may be carried in, each read by its decoder above. */
export const RUN_ENCODINGS = ['base64', 'hex', 'percent'] as const;
export type RunEncoding = (typeof RUN_ENCODINGS)[number];

export interface EncodedRun extends DecodedRun {
  encoding: RunEncoding;
}

/**
 * Every encoded run in `text`, decoded: the one list the leak scan, the PII scan and the reports'
 * canary mask read, so what one of them finds in an encoding the others find there too.
 * `minBase64` is the shortest base64 run worth decoding for the caller (hex and percent-encoded
 * runs carry their own minimum).
 */
export function decodeRuns(text: string, minBase64 = 12): EncodedRun[] {
  const decoders: Record<RunEncoding, () => DecodedRun[]> = {
    base64: () => decodeBase64Runs(text, minBase64),
    hex: () => decodeHexRuns(text),
    percent: () => decodePercentRuns(text),
  };
  return RUN_ENCODINGS.flatMap((encoding) => decoders[encoding]().map((run) => ({ ...run, encoding })));
}

const JSON_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const JSON_ESCAPE = /\\(?:u([0-9a-fA-F]{4})|(["\\/bfnrt]))/g;
const ANY_JSON_ESCAPE = /\\(?:u[0-9a-fA-F]{4}|["\\/bfnrt])/;

/** Whether `text` carries a JSON string escape (`\n`, `\"`, `\u0040`, …): most outputs do not. */
export function hasJsonEscapes(text: string): boolean {
  // A regular expression of its own: test() on the global one would move the lastIndex that matchAll starts from.
  return ANY_JSON_ESCAPE.test(text);
}

/**
 * `text` with its JSON string escapes undone (`\n` a line break, `\u0040` an @), everything else
 * as written, and where each character came from (offsets[i] is the index in `text` of the escape
 * or character that produced result[i]). Text that is not JSON is read the same way, so a JSON
 * reply, a tool call's arguments and JSON quoted inside prose all read as what they say.
 */
export function unescapeJsonWithOffsets(text: string): { text: string; offsets: number[] } {
  let out = '';
  const offsets: number[] = [];
  let from = 0;
  const keep = (to: number): void => {
    for (let i = from; i < to; i++) offsets.push(i);
    out += text.slice(from, to);
  };
  for (const m of text.matchAll(JSON_ESCAPE)) {
    keep(m.index);
    out += m[1] !== undefined ? String.fromCharCode(parseInt(m[1], 16)) : JSON_ESCAPES[m[2]!]!;
    offsets.push(m.index);
    from = m.index + m[0].length;
  }
  keep(text.length);
  return { text: out, offsets };
}


import { bytePosition, firstInvalidUtf8, lastMultiByteCharacter, utf16Text } from '../core/invalid-utf8.js';
import { closeSync, openSync, readSync } from 'node:fs';

/** Reading a text file line by line from a fixed buffer, for data files too large to hold as one string. */

/** The file is not UTF-8; `line` is where the first bad byte is. */
export class InvalidUtf8Error extends Error {
  constructor(
    readonly line: number,
    message = 'the file is not valid UTF-8',
  ) {
    super(message);
  }
}

/** The length of a UTF-8 sequence by its lead byte. */
const sequenceLength = (lead: number): number => (lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1);

/** A file's absolute path, or its bytes (the file as another commit holds it). */
export type LineSource = string | Uint8Array;

/**
 * Lines of a UTF-8 file (or of its bytes), read in 64 KiB chunks; the terminator (LF, CRLF, or LF after several CRs)
 * is dropped and a BOM skipped. CR CR LF is what a program that writes CRLF through a stream that
 * turns LF into CRLF leaves (Python's csv.writer on Windows without newline=''): those CRs end the
 * line, never a value. At the first bad byte, the lines before its line are yielded, then InvalidUtf8Error is
 * thrown: a reader that lists every bad row still sees the rows before it.
 */
export function* readLines(source: LineSource): Generator<{ text: string; line: number }> {
  const fd = typeof source === 'string' ? openSync(source, 'r') : undefined;
  const buf = Buffer.allocUnsafe(64 * 1024);
  let offset = 0;
  const readChunk = (): number => {
    if (fd !== undefined) return readSync(fd, buf, 0, buf.length, null);
    const bytes = source as Uint8Array;
    const n = Math.min(buf.length, bytes.length - offset);
    buf.set(bytes.subarray(offset, offset + n));
    offset += n;
    return n;
  };
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // The line being read, in pieces (none holds a line feed): a line longer than a chunk is joined
  // once, at its end. Appending to one string and searching it from its start for every chunk
  // made a 50 MB line cost minutes.
  let pending: string[] = [];
  let line = 0;
  // The previous chunk's last character when multi-byte: the decoder may hold it unfinished, so a
  // bad byte is looked for after it, not at a next chunk's first bytes that only continue it.
  let held: Uint8Array = new Uint8Array(0);
  let firstChunk = true;
  function* feed(text: string): Generator<{ text: string; line: number }> {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      line++;
      const whole = pending.length ? pending.join('') + text.slice(start, nl) : text.slice(start, nl);
      pending = [];
      let end = whole.length;
      while (end > 0 && whole.charCodeAt(end - 1) === 13) end--;
      yield { text: end === whole.length ? whole : whole.slice(0, end), line };
      start = nl + 1;
    }
    if (start < text.length) pending.push(text.slice(start));
  }
  try {
    for (;;) {
      const n = readChunk();
      // UTF-16 (a Notepad or Excel export) may decode as UTF-8 for lines: said at once, at line 1.
      const utf16 = firstChunk ? utf16Text(buf.subarray(0, n)) : undefined;
      if (utf16) throw new InvalidUtf8Error(1, utf16);
      let decoded: string;
      try {
        decoded = n ? decoder.decode(buf.subarray(0, n), { stream: true }) : decoder.decode();
      } catch {
        const bytes = Buffer.concat([held, buf.subarray(0, n)]);
        const bad = firstInvalidUtf8(bytes);
        // The bad byte's line: lines already yielded (every whole line is, as it is decoded), then its line in these bytes.
        const badLine = line + bytePosition(bytes, bad).line;
        // These bytes are UTF-8 up to the bad byte: the lines ending before it are read first. A
        // character the previous chunk left unfinished (still in the decoder, not in `rest`) comes first.
        const lf = bytes.lastIndexOf(0x0a, bad);
        if (lf >= held.length) {
          const unfinished = held.length && held.length < sequenceLength(held[0]!) ? held : new Uint8Array(0);
          yield* feed(new TextDecoder('utf-8', { fatal: true, ignoreBOM: !firstChunk }).decode(Buffer.concat([unfinished, buf.subarray(0, lf - held.length + 1)])));
        }
        throw new InvalidUtf8Error(badLine);
      }
      held = Uint8Array.from(lastMultiByteCharacter(buf.subarray(0, n)));
      firstChunk = false;
      yield* feed(decoded);
      if (!n) break;
    }
    const last = pending.join('');
    let end = last.length;
    while (end > 0 && last.charCodeAt(end - 1) === 13) end--;
    if (last !== '') yield { text: last.slice(0, end), line: line + 1 };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

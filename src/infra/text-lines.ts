import { bytePosition, firstInvalidUtf8, lastMultiByteCharacter } from '../core/invalid-utf8.js';
import { closeSync, openSync, readSync } from 'node:fs';

/** Reading a text file line by line from a fixed buffer, for data files too large to hold as one string. */

/** The file is not UTF-8; `line` is where the first bad byte is. */
export class InvalidUtf8Error extends Error {
  constructor(readonly line: number) {
    super('the file is not valid UTF-8');
  }
}

/** Lines of a UTF-8 file, read in 64 KiB chunks; the terminator (LF or CRLF) is dropped and a BOM skipped. */
export function* readLines(abs: string): Generator<{ text: string; line: number }> {
  const fd = openSync(abs, 'r');
  const buf = Buffer.allocUnsafe(64 * 1024);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rest = '';
  let line = 0;
  // The previous chunk's last character when multi-byte: the decoder may hold it unfinished, so a
  // bad byte is looked for after it, not at a next chunk's first bytes that only continue it.
  let held: Uint8Array = new Uint8Array(0);
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      try {
        rest += n ? decoder.decode(buf.subarray(0, n), { stream: true }) : decoder.decode();
      } catch {
        const bytes = Buffer.concat([held, buf.subarray(0, n)]);
        // The bad byte's line: lines already yielded, whole lines still held in `rest`, then its line in these bytes.
        const lineInBytes = bytePosition(bytes, firstInvalidUtf8(bytes)).line;
        throw new InvalidUtf8Error(line + (rest.match(/\n/g)?.length ?? 0) + lineInBytes);
      }
      held = Uint8Array.from(lastMultiByteCharacter(buf.subarray(0, n)));
      let start = 0;
      for (let nl = rest.indexOf('\n'); nl >= 0; nl = rest.indexOf('\n', start)) {
        line++;
        const end = nl > start && rest.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        yield { text: rest.slice(start, end), line };
        start = nl + 1;
      }
      rest = rest.slice(start);
      if (!n) break;
    }
    if (rest !== '') yield { text: rest.endsWith('\r') ? rest.slice(0, -1) : rest, line: line + 1 };
  } finally {
    closeSync(fd);
  }
}

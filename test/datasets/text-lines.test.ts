import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bytePosition, firstInvalidUtf8, lastMultiByteCharacter } from '../../src/core/invalid-utf8.js';
import { InvalidUtf8Error, readLines } from '../../src/infra/text-lines.js';

/** readLines reads 64 KiB at a time: these files put the bad byte, or a character cut in two, at that boundary. */
const CHUNK = 64 * 1024;
const dir = mkdtempSync(path.join(os.tmpdir(), 'promptctl-text-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ascii = (n: number) => Buffer.from('x'.repeat(n));
const lines = (n: number) => Buffer.from('row\n'.repeat(n));
const bytes = (...parts: Array<Buffer | number[]>) => Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p))));
const E_ACUTE = [0xc3, 0xa9];
const EURO = [0xe2, 0x82, 0xac];

/** The lines read before the failure, and the line it names. */
function readUntilFailure(content: Buffer): { read: Array<{ text: string; line: number }>; failedAt?: number } {
  const file = path.join(dir, `f${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(file, content);
  const read: Array<{ text: string; line: number }> = [];
  try {
    for (const l of readLines(file)) read.push(l);
    return { read };
  } catch (e) {
    if (e instanceof InvalidUtf8Error) return { read, failedAt: e.line };
    throw e;
  }
}
const lineOfFailure = (content: Buffer): number | undefined => readUntilFailure(content).failedAt;

describe('readLines names the line of the first bad byte, wherever the 64 KiB chunks fall', () => {
  it.each<[string, Buffer]>([
    ['a bad byte in the first chunk', bytes(lines(3), [0xff], Buffer.from('\n'))],
    ['a character cut by the boundary, then a bad byte three lines on', bytes(lines(10), ascii(CHUNK - 41), E_ACUTE, lines(3), [0xff])],
    ['a three-byte character cut after its first byte, then a bad byte', bytes(ascii(CHUNK - 1), EURO, Buffer.from('\n\n'), [0xff])],
    ['a three-byte character cut after its second byte, then a bad byte', bytes(lines(5), ascii(CHUNK - 22), EURO, Buffer.from('\n'), [0xfe])],
    ['a bad byte as the second chunk\'s first byte', bytes(lines(CHUNK / 4), [0xff])],
    ['a character cut by the boundary whose continuation is not one', bytes(lines(7), ascii(CHUNK - 29), [0xc3], Buffer.from('A\n'))],
    ['a file that ends inside a character', bytes(lines(2), Buffer.from('ab'), [0xe2, 0x82])],
    ['a file that ends inside a character cut at the boundary', bytes(lines(1), ascii(CHUNK - 5), [0xe2])],
  ])('%s', (_, content) => {
    // The line of the whole file's first bad byte, as a file read at once reports it (yaml-source.ts).
    const expected = bytePosition(content, firstInvalidUtf8(content)).line;
    const { read, failedAt } = readUntilFailure(content);
    expect(failedAt).toBe(expected);
    // Every line before it was read first, as it is: a dataset lists the bad rows before a bad byte too.
    const before = content.subarray(0, content.lastIndexOf(0x0a, firstInvalidUtf8(content)) + 1).toString('utf8').split('\n').slice(0, -1);
    expect(read.map((l) => l.line)).toEqual(before.map((_, i) => i + 1));
    expect(read.map((l) => l.text)).toEqual(before);
  });

  it('reads the lines before a bad byte in the first chunk, a BOM skipped, CRLF dropped', () => {
    const content = bytes([0xef, 0xbb, 0xbf], Buffer.from('id,q\r\nr1,"a"x\r\nr2,b,c\n'), [0xff], Buffer.from('\nr4,d\n'));
    expect(readUntilFailure(content)).toEqual({ read: [{ text: 'id,q', line: 1 }, { text: 'r1,"a"x', line: 2 }, { text: 'r2,b,c', line: 3 }], failedAt: 4 });
  });

  it('drops every CR before a line feed and at the end of the file: CR CR LF ends a line, as CRLF and LF do', () => {
    const content = Buffer.from('id,q,answer\r\r\nhours-1,"two\r\r\nlines",9am\r\r\nlast,x,y\r\r');
    expect(readUntilFailure(content)).toEqual({
      read: [
        { text: 'id,q,answer', line: 1 },
        { text: 'hours-1,"two', line: 2 },
        { text: 'lines",9am', line: 3 },
        { text: 'last,x,y', line: 4 },
      ],
    });
  });

  it('reads a valid file with characters cut at every boundary', () => {
    const content = bytes(ascii(CHUNK - 1), E_ACUTE, Buffer.from('\n'), ascii(CHUNK - 2), EURO, Buffer.from('\nend'));
    expect(lineOfFailure(content)).toBeUndefined();
  });
});

describe('lastMultiByteCharacter', () => {
  it.each<[number[], number[]]>([
    [[0x61, 0x62], []],
    [[0x61, 0xc3], [0xc3]],
    [[0x61, 0xc3, 0xa9], [0xc3, 0xa9]],
    [[0x61, 0xe2, 0x82], [0xe2, 0x82]],
    [[0xf0, 0x9f, 0x98, 0x80], [0xf0, 0x9f, 0x98, 0x80]],
    [[0x0a], []],
    [[], []],
  ])('%j → %j', (input, tail) => {
    expect([...lastMultiByteCharacter(Uint8Array.from(input))]).toEqual(tail);
  });
});

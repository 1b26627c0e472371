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

function lineOfFailure(content: Buffer): number | undefined {
  const file = path.join(dir, `f${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(file, content);
  try {
    for (const _ of readLines(file));
    return undefined;
  } catch (e) {
    if (e instanceof InvalidUtf8Error) return e.line;
    throw e;
  }
}

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
    expect(lineOfFailure(content)).toBe(expected);
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

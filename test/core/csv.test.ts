import { describe, expect, it } from 'vitest';
import { csvRecords, CsvError } from '../../src/core/csv.js';

const lines = (text: string) => text.split(/\r?\n/).map((t, i) => ({ text: t, line: i + 1 }));
const read = (text: string) => [...csvRecords(lines(text))];

describe('csvRecords (RFC 4180)', () => {
  it.each([
    ['a,b,c', [['a', 'b', 'c']]],
    ['a,,c', [['a', '', 'c']]],
    ['"a,b",c', [['a,b', 'c']]],
    ['"say ""hi""",x', [['say "hi"', 'x']]],
    ['"two\nlines",x', [['two\nlines', 'x']]],
    ['"two\r\nlines",x', [['two\nlines', 'x']]],
    ['a\n\nb', [['a'], ['b']]],
    ['"",x', [['', 'x']]],
    ['a,', [['a', '']]],
  ])('%j', (text, fields) => {
    expect(read(text).map((r) => r.fields)).toEqual(fields);
  });

  it('numbers each record by the line it starts on', () => {
    expect(read('h\n"a\nb"\nc').map((r) => r.line)).toEqual([1, 2, 4]);
  });

  // A stray quote spoils its record only: where the record ends is still clear, so reading goes on.
  it.each([
    ['a"b,c\nnext', 1, 1, 2, /quote inside an unquoted field/],
    ['x\n"ab"c,d\nnext', 2, 2, 5, /text after a closing quote/],
    ['x\n"two\nlines"c\nnext', 2, 3, 7, /text after a closing quote/],
    ['x\na"b"c"\nnext', 2, 2, 2, /quote inside an unquoted field/],
    // A CR a line reader left inside a line (a file with CR-only line endings) would end up in a value.
    ['x\nab\rc,d\nnext', 2, 2, 3, /carriage return \(CR\) inside the line, outside quotes.*save it with LF or CRLF/],
    // Only an empty line is blank: one of invisible characters is named, not read as a one-field row.
    ['x\n\u00a0\nnext', 2, 2, 1, /^the line looks blank but holds U\+00A0 NO-BREAK SPACE; delete the line/],
    ['x\n \u2028\t\ufeff\nnext', 2, 2, 2, /holds U\+2028 LINE SEPARATOR, U\+FEFF BYTE ORDER MARK;/],
  ])('%j is a faulty record at its position, and the next record is read', (text, start, line, col, message) => {
    const records = read(text);
    const bad = records.find((r) => r.fault);
    expect(bad).toMatchObject({ line: start, fault: { line, col, message: expect.stringMatching(message) } });
    expect(records.filter((r) => r.fault)).toHaveLength(1);
    expect(records.at(-1)).toEqual({ fields: ['next'], line: records.at(-1)!.line });
  });

  it.each([
    ['x\n"never closed\nmore', 2, 1, /never closed/],
    ['a"b\n"never closed', 2, 1, /never closed/],
  ])('%j is a positioned error', (text, line, col, message) => {
    let err: unknown;
    try {
      read(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CsvError);
    expect(err).toMatchObject({ line, col });
    expect((err as Error).message).toMatch(message);
  });
});

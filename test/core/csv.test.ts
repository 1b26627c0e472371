import { describe, expect, it } from 'vitest';
import { csvRecords, CsvError, MAX_QUOTED_FIELD_CHARS } from '../../src/core/csv.js';

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

  // A quote never closed swallows the rest of the file: the field is refused past a bound, at the
  // line and column of its opening quote, without reading the lines after that.
  describe('a long quoted field', () => {
    const ROW = 'r1,hello world this is a row';
    /** The hunter's file: a header, an opening quote never closed, then `rows` rows; counts the lines read. */
    function unclosed(rows: number) {
      const read = { count: 0 };
      function* gen() {
        const all = ['id,q', 'r0,"unterminated'];
        for (const [i, text] of all.entries()) yield { text, line: i + 1 };
        for (let i = 0; i < rows; i++) {
          read.count++;
          yield { text: ROW, line: i + 3 };
        }
      }
      return { lines: gen(), read };
    }
    const errorOf = (fn: () => unknown): unknown => {
      try {
        fn();
      } catch (e) {
        return e;
      }
      return undefined;
    };

    it('is refused past the bound given, at its opening quote, and the rest is not read', () => {
      const { lines, read } = unclosed(1000);
      const err = errorOf(() => [...csvRecords(lines, 100)]);
      expect(err).toBeInstanceOf(CsvError);
      expect(err).toMatchObject({ line: 2, col: 4 });
      expect((err as Error).message).toBe('a quoted field runs past 100 characters, the most read of one field: is its closing quote missing?');
      // 13 characters of line 2, then 29 a line ("\n" and the row): the fourth row passes 100.
      expect(read.count).toBe(4);
    });

    it('is refused past MAX_QUOTED_FIELD_CHARS by default', () => {
      const rows = Math.ceil(MAX_QUOTED_FIELD_CHARS / (ROW.length + 1)) + 1000;
      const { lines, read } = unclosed(rows);
      const err = errorOf(() => [...csvRecords(lines)]);
      expect(err).toMatchObject({ line: 2, col: 4, message: expect.stringMatching(/^a quoted field runs past 16,777,216 characters/) });
      expect(read.count).toBeLessThan(rows - 900);
    });

    it('is read whole and exact up to the bound, over many lines and doubled quotes', () => {
      const piece = 'say ""hi"", then, a comma';
      const n = 200_000; // about 5 MB
      const text = ['h1,h2', `"${Array.from({ length: n }, () => piece).join('\n')}",after`, 'next,row'].join('\n');
      const value = Array.from({ length: n }, () => 'say "hi", then, a comma').join('\n');
      const records = read(text);
      expect(records).toHaveLength(3);
      expect(records[1]!.fields[0]!.length).toBe(value.length);
      expect(records[1]!.fields[0] === value).toBe(true);
      expect(records[1]!.fields[1]).toBe('after');
      expect(records[2]).toEqual({ fields: ['next', 'row'], line: n + 2 });
      // A field exactly as long as the bound is read; one character more is refused.
      expect([...csvRecords(lines(`"${'x'.repeat(50)}"`), 50)][0]!.fields).toEqual(['x'.repeat(50)]);
      expect(errorOf(() => [...csvRecords(lines(`"${'x'.repeat(51)}"`), 50)])).toBeInstanceOf(CsvError);
    });
  });
});

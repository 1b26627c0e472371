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

  it.each([
    ['a"b,c', 1, 2, /quote inside an unquoted field/],
    ['x\n"ab"c,d', 2, 5, /text after a closing quote/],
    ['x\n"never closed\nmore', 2, 1, /never closed/],
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

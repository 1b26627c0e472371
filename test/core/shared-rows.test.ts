import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/core/errors.js';
import { onePerPlace } from '../../src/core/lint/shared-rows.js';

/** `onePerPlace`: one problem per place in a data file, however many suites read it, naming them. */

const at = (file: string, line: number, message = 'a quoted field is never closed', col = 4): Problem => ({ file, line, col, field: '', message, severity: 'error' });

const cases: Array<{ name: string; problems: Problem[]; readers: Array<[string, string[]]>; expected: string[] }> = [
  {
    name: 'one bad row of a file two suites read: once, naming both',
    problems: [at('data/r.csv', 3), at('data/r.csv', 3)],
    readers: [['data/r.csv', ['evalsets/beta/refunds.yaml', 'evalsets/alpha/refunds.yaml']]],
    expected: ['data/r.csv:3:4 a quoted field is never closed (read by 2 suites: evalsets/alpha/refunds.yaml, evalsets/beta/refunds.yaml)'],
  },
  {
    name: 'fifteen readers: three named, the rest counted',
    problems: Array.from({ length: 15 }, () => at('data/r.csv', 3)),
    readers: [['data/r.csv', Array.from({ length: 15 }, (_, i) => `evalsets/p${String(i).padStart(2, '0')}/r.yaml`)]],
    expected: ['data/r.csv:3:4 a quoted field is never closed (read by 15 suites: evalsets/p00/r.yaml, evalsets/p01/r.yaml, evalsets/p02/r.yaml and 12 more)'],
  },
  {
    name: 'one reader: named',
    problems: [at('data/r.csv', 3)],
    readers: [['data/r.csv', ['evalsets/alpha/refunds.yaml']]],
    expected: ['data/r.csv:3:4 a quoted field is never closed (read by suite: evalsets/alpha/refunds.yaml)'],
  },
  {
    name: 'other lines, columns or messages of one file stay apart',
    problems: [at('data/r.csv', 3), at('data/r.csv', 4), at('data/r.csv', 3, 'other'), at('data/r.csv', 3, undefined, 5)],
    readers: [],
    expected: ['data/r.csv:3:4 a quoted field is never closed', 'data/r.csv:4:4 a quoted field is never closed', 'data/r.csv:3:4 other', 'data/r.csv:3:5 a quoted field is never closed'],
  },
  {
    name: 'problems of files no suite reads are left as they are',
    problems: [at('prompts/a/1.0.0.yaml', 1, 'bad')],
    readers: [['data/r.csv', ['evalsets/a/r.yaml']]],
    expected: ['prompts/a/1.0.0.yaml:1:4 bad'],
  },
];

describe('onePerPlace', () => {
  it.each(cases)('$name', ({ problems, readers, expected }) => {
    expect(onePerPlace(problems, new Map(readers)).map((p) => `${p.file}:${p.line}:${p.col} ${p.message}`)).toEqual(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { missingColumns, namedColumns, type DataFileColumns } from '../../src/core/dataset-columns.js';
import { CasesFrom } from '../../src/core/schemas/evalset.js';

/** Every column `cases_from` names must be one the data file has (a header for CSV, a key of some row otherwise). */

const spec = (s: Record<string, unknown>) => CasesFrom.parse({ file: 'data/g.csv', ...s });
const CSV: DataFileColumns = { file: 'data/g.csv', from: 'header', columns: ['id', 'question', 'checks', 'labels', 'tone', 'answer'] };
const check = (s: Record<string, unknown>, data = CSV) => missingColumns(namedColumns(spec(s)), data).map((p) => `${p.path.join('.')}: ${p.message}`);

describe('missingColumns', () => {
  it.each<{ name: string; spec: Record<string, unknown>; data?: DataFileColumns; want: string[] }>([
    { name: 'positive: expect_column', spec: { expect_column: 'checkz' }, want: ['cases_from.expect_column: expect_column names column "checkz", which data/g.csv does not have (did you mean "checks"? its columns: id, question, checks, labels, tone, answer)'] },
    { name: 'positive: tags_column', spec: { tags_column: 'labelz' }, want: ['cases_from.tags_column: tags_column names column "labelz", which data/g.csv does not have (did you mean "labels"? its columns: id, question, checks, labels, tone, answer)'] },
    { name: 'positive: a vars mapping, one field per variable', spec: { vars: { question: 'question', tone: 'tonee' } }, want: ['cases_from.vars.tone: vars.tone names column "tonee", which data/g.csv does not have (did you mean "tone"?'] },
    { name: 'positive: a declared id_column', spec: { id_column: 'key' }, want: ['cases_from.id_column: id_column (default: id) names column "key", which data/g.csv does not have ('] },
    { name: 'positive: the default id column', spec: {}, data: { ...CSV, columns: ['q', 'answer'] }, want: ['cases_from.id_column: id_column (default: id) names column "id", which data/g.csv does not have (its columns: q, answer)'] },
    { name: 'positive: a {{column}} of cases_from.expect, at the text naming it', spec: { expect: [{ contains: 'x' }, { judge: { rubric: 'says {{ answr }}' } }] }, want: ['cases_from.expect.1.judge.rubric: {{answr}} names column "answr", which data/g.csv does not have (did you mean "answer"?'] },
    { name: 'positive: JSONL or YAML: no row has the key', spec: { expect_column: 'checkz' }, data: { file: 'data/g.jsonl', from: 'rows', columns: ['id', 'checks'] }, want: ['cases_from.expect_column: expect_column names column "checkz", which no row of data/g.jsonl has (did you mean "checks"? keys its rows have: id, checks)'] },
    { name: 'positive: no close name, no guess', spec: { tags_column: 'zzzzzz' }, want: ['cases_from.tags_column: tags_column names column "zzzzzz", which data/g.csv does not have (its columns: '] },
    { name: 'positive: a long header is cut at 20 names', spec: { tags_column: 'zzzzzz' }, data: { ...CSV, columns: ['id', ...Array.from({ length: 24 }, (_, i) => `c${i}`)] }, want: ['cases_from.tags_column: tags_column names column "zzzzzz", which data/g.csv does not have (its columns: id, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, … (5 more))'] },
    { name: 'negative: every named column exists', spec: { vars: { question: 'question' }, expect: [{ icontains: '{{answer}}' }], expect_column: 'checks', tags_column: 'labels' }, want: [] },
    { name: 'negative: conventional expect and tags columns are optional', spec: {}, data: { ...CSV, columns: ['id', 'question'] }, want: [] },
  ])('$name', ({ spec: s, data, want }) => {
    const got = check(s, data);
    expect(got).toHaveLength(want.length);
    got.forEach((g, i) => expect(g.startsWith(want[i]!), g).toBe(true));
  });

  it('lists the problems in the order the fields are written (id, vars, expect, expect_column, tags_column)', () => {
    const got = check({ id_column: 'key', tags_column: 'x1', expect_column: 'x2', vars: { q: 'x3' }, expect: [{ contains: '{{x4}}' }] });
    expect(got.map((g) => g.split(':')[0])).toEqual(['cases_from.id_column', 'cases_from.vars.q', 'cases_from.expect.0.contains', 'cases_from.expect_column', 'cases_from.tags_column']);
  });
});

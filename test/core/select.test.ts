import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { globMatches, parseSample, selectCaseIds } from '../../src/core/eval/select.js';

/** Case selection is pure and deterministic: the same command selects the same cases every time. */

const cases = [
  ...Array.from({ length: 6 }, (_, i) => ({ id: `refund-${i}`, tags: ['billing'] })),
  ...Array.from({ length: 3 }, (_, i) => ({ id: `hours-${i}`, tags: ['support'] })),
  { id: 'untagged-0' },
];

describe('selectCaseIds', () => {
  it.each([
    ['an exact id', { cases: ['hours-1'], tags: [] }, ['hours-1']],
    ['a glob', { cases: ['refund-*'], tags: [] }, ['refund-0', 'refund-1', 'refund-2', 'refund-3', 'refund-4', 'refund-5']],
    ['? matches one character', { cases: ['hours-?'], tags: [] }, ['hours-0', 'hours-1', 'hours-2']],
    ['several patterns: any', { cases: ['hours-0', 'untagged-*'], tags: [] }, ['hours-0', 'untagged-0']],
    ['a tag', { cases: [], tags: ['support'] }, ['hours-0', 'hours-1', 'hours-2']],
    ['a glob and a tag: both', { cases: ['*-1'], tags: ['billing'] }, ['refund-1']],
    ['a dot is a dot, not any character', { cases: ['refund.1'], tags: [] }, []],
    // A pattern names whole ids: --case refund is not every id holding "refund".
    ['an id is whole, not a part of one', { cases: ['refund'], tags: [] }, []],
    ['a glob is anchored at both ends', { cases: ['efund-*'], tags: [] }, []],
    ['nothing matches', { cases: ['nope-*'], tags: [] }, []],
  ])('%s', (_, sel, ids) => expect(selectCaseIds(cases, sel, 'p/s')).toEqual(ids));

  it('samples n per suite, stratified by tag, in the suite order, the same every time', () => {
    const picked = selectCaseIds(cases, { cases: [], tags: [], sample: 5 }, 'support-answer/golden');
    expect(picked).toHaveLength(5);
    expect(selectCaseIds(cases, { cases: [], tags: [], sample: 5 }, 'support-answer/golden')).toEqual(picked);
    // 6 billing, 3 support, 1 untagged of 10: 3, 1.5 and 0.5 by share; largest remainders first.
    expect(picked.filter((id) => id.startsWith('refund'))).toHaveLength(3);
    expect(picked.filter((id) => id.startsWith('hours')).length + picked.filter((id) => id.startsWith('untagged')).length).toBe(2);
    expect(picked).toEqual(cases.map((c) => c.id).filter((id) => picked.includes(id)));
  });

  it('draws at least one case of every stratum when n allows, the rest in proportion', () => {
    const big = [...Array.from({ length: 190 }, (_, i) => ({ id: `a${i}`, tags: [`cat${i % 8}`] })), { id: 'h1', tags: ['hand-written'] }, { id: 'h2', tags: ['hand-written'] }];
    const picked = selectCaseIds(big, { cases: [], tags: [], sample: 10 }, 's');
    expect(picked).toHaveLength(10);
    expect(new Set(picked.map((id) => big.find((c) => c.id === id)!.tags[0]))).toHaveProperty('size', 9);
    // Fewer draws than strata: proportion alone, never more than n.
    expect(selectCaseIds(big, { cases: [], tags: [], sample: 4 }, 's')).toHaveLength(4);
  });

  it('another suite draws its own sample; a sample as large as the suite keeps every case', () => {
    expect(selectCaseIds(cases, { cases: [], tags: [], sample: 10 }, 'x')).toHaveLength(10);
    expect(selectCaseIds(cases, { cases: [], tags: [], sample: 50 }, 'x')).toHaveLength(10);
  });
});

describe('parseSample', () => {
  it.each([['5', 5], [3, 3], [undefined, undefined]])('%s', (text, n) => expect(parseSample(text, 'flags')).toBe(n));
  it.each(['0', '-1', '2.5', 'many'])('refuses %s (exit 2)', (text) => expect(() => parseSample(text, 'flags')).toThrow(InputError));
  it.each([
    ['flags', '--sample must be a whole number of cases written in digits, not "many"', 'give a whole number of cases per suite, e.g. --sample 50'],
    ['keys', 'sample must be a whole number of cases written in digits, not "many"', 'give a whole number of cases per suite, e.g. sample: 50'],
  ] as const)('names the option as the caller wrote it (%s)', (names, message, hint) => {
    expect(() => parseSample('many', names)).toThrow(expect.objectContaining({ message, hint }));
  });
});

describe('globMatches', () => {
  // What the regex it replaced answered (`*` as `.*`, `?` as `.`, the rest literal), on ids as cases have them.
  const asRegex = (pattern: string, id: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(id);
  const patterns = ['', '*', '**', '?', 'refund-*', '*-1', 'refund-?', '*fund*', 'r*d-*2', '*.*', 'a.b', 'a?b*', '*?', '?*?', 'refund-1*', '*refund-10', 'x*y*z', '(a)', '[a]'];
  const ids = ['', 'refund-1', 'refund-10', 'refund-2', 'a.b', 'axb', 'aab-c', 'xyz', 'x-y-z', 'x.y', '(a)', '[a]', 'a'];
  it('answers as the regex did, for every pattern and id of a table', () => {
    const pairs = patterns.flatMap((p) => ids.map((id) => [p, id] as const));
    expect(pairs.map(([p, id]) => [p, id, globMatches(p, id)])).toEqual(pairs.map(([p, id]) => [p, id, asRegex(p, id)]));
  });
  it('a pattern of many stars on a long id that does not match: answered at once (the regex ran for minutes)', () => {
    expect(globMatches('**********x', 'a'.repeat(70))).toBe(false);
    expect(globMatches('*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(200))).toBe(false);
  });
});

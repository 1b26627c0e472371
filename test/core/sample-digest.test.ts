import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../src/core/canonical.js';
import { sampleDigest, sampleDigests, sampleDigestsOfOrdered, type DigestRow } from '../../src/core/sample-digest.js';

/**
 * The digest is hashed row by row (a large run's text is never built whole), and must stay the
 * SHA-256 of the rows' canonical JSON as one array: marks recorded before carry that value.
 */
describe('sampleDigest', () => {
  const asOneText = (rows: DigestRow[]) =>
    sha256Hex(canonicalJson([...rows].sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : a.sample - b.sample)).map((r) => [r.caseId, r.sample, r.verdict, r.latencyMs, r.leaks])));

  it.each<[string, DigestRow[]]>([
    ['no rows', []],
    ['one row', [{ caseId: 'a', sample: 0, verdict: 'pass', latencyMs: 12, leaks: null }]],
    [
      'unordered rows with leaks, quotes and characters outside ASCII',
      [
        { caseId: 'zé "quoted"', sample: 1, verdict: 'fail', latencyMs: 3.5, leaks: '["pii"]' },
        { caseId: 'b😀', sample: 0, verdict: 'error', latencyMs: 0, leaks: null },
        { caseId: 'zé "quoted"', sample: 0, verdict: 'pass', latencyMs: 7, leaks: '["canary","system-prompt"]' },
        { caseId: 'a\u2028b', sample: 2, verdict: 'pass', latencyMs: 1, leaks: null },
      ],
    ],
  ])('%s: the hash of the whole canonical text', (_, rows) => {
    expect(sampleDigest(rows)).toBe(asOneText(rows));
    expect(sampleDigest(rows.values())).toBe(asOneText(rows));
  });
});

describe('sampleDigestsOfOrdered', () => {
  const rows: DigestRow[] = [
    { caseId: 'a', sample: 0, verdict: 'pass', latencyMs: 1, leaks: null },
    { caseId: 'a', sample: 1, verdict: 'fail', latencyMs: 2, leaks: '["pii"]' },
    { caseId: 'b', sample: 0, verdict: 'pass', latencyMs: 3, leaks: null },
  ];

  it('hashes rows read in order as they come, reading them once', () => {
    let reads = 0;
    expect(sampleDigestsOfOrdered(() => (reads++, rows))).toEqual(sampleDigests(rows));
    expect(reads).toBe(1);
  });

  it('sorts rows a store read in another order (bytes, not code units, beyond U+FFFF): the same digest', () => {
    // A database orders U+1F600 (4 UTF-8 bytes) after U+FF5E; UTF-16 puts its surrogates first.
    const byBytes: DigestRow[] = [{ ...rows[0]!, caseId: '\uFF5E' }, { ...rows[2]!, caseId: '😀' }];
    let reads = 0;
    expect(sampleDigestsOfOrdered(() => (reads++, byBytes))).toEqual(sampleDigests(byBytes));
    expect(reads).toBe(2);
  });
});

describe('the outputs fingerprint', () => {
  const row: DigestRow = { caseId: 'a', sample: 0, verdict: 'pass', latencyMs: 5, leaks: null, output: 'Paris.', reasons: '[]', error: null, exchange: null };

  it('is the hash of what is shown, as one canonical text, and leaves `samples` as marks before it recorded', () => {
    const { samples, outputs } = sampleDigests([row]);
    expect(samples).toBe(sampleDigest([{ caseId: 'a', sample: 0, verdict: 'pass', latencyMs: 5, leaks: null }]));
    expect(outputs).toBe(sha256Hex(canonicalJson([['a', 0, 'Paris.', '[]', null, null]])));
  });

  it('rows that fill many pages of the hash (characters outside ASCII at every row) hash as one canonical text', () => {
    const many: DigestRow[] = Array.from({ length: 3000 }, (_, i) => ({ ...row, caseId: `c-${String(i).padStart(5, '0')}`, output: `Ré 😀 ${'x'.repeat(i % 97)}`, leaks: i % 5 ? null : '["pii"]' }));
    const whole = (fields: (r: DigestRow) => unknown[]) => sha256Hex(canonicalJson(many.map(fields)));
    expect(sampleDigestsOfOrdered(() => many)).toEqual({
      samples: whole((r) => [r.caseId, r.sample, r.verdict, r.latencyMs, r.leaks]),
      outputs: whole((r) => [r.caseId, r.sample, r.output, r.reasons, r.error, r.exchange]),
    });
  });

  it.each<[string, Partial<DigestRow>]>([
    ['the answer', { output: 'Lyon.' }],
    ["the scorers' reasons", { reasons: '["expected Paris"]' }],
    ['the error', { error: 'HTTP 500' }],
    ['the exchange', { exchange: '{"tool_calls":[]}' }],
  ])('changes with %s, and `samples` does not', (_, change) => {
    const before = sampleDigests([row]);
    const after = sampleDigests([{ ...row, ...change }]);
    expect(after.samples).toBe(before.samples);
    expect(after.outputs).not.toBe(before.outputs);
  });
});

import fc from 'fast-check';
import { runs } from '../support/property-seed.js';
import { describe, expect, it } from 'vitest';
import { CoveredSpans } from '../../src/core/detectors/covered-spans.js';
import { ipv6Candidates, withoutTrailingDots } from '../../src/core/detectors/ipv6.js';
import { detectPii } from '../../src/core/detectors/pii.js';
import { redactForSharing } from '../../src/core/detectors/redact.js';
import { findSecrets } from '../../src/core/detectors/secrets.js';

// The single pattern the scanner replaces: the same candidates, found by retrying every split of a
// run (100,000 colons and an `x` took a minute). Kept here as the specification.
const OLD_CANDIDATE = /(?<![\w:.%])[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?:%[0-9A-Za-z]+)?(?![\w:%])/g;

describe('ipv6Candidates: one look at each run', () => {
  it('finds what the single pattern found', () => {
    const char = fc.constantFrom(':', ':', '.', '%', 'a', 'f', '0', '1', '9', 'g', 'x', '_', ' ', '/', '-');
    fc.assert(
      fc.property(fc.array(char, { maxLength: 40 }).map((cs) => cs.join('')), (text) => {
        const old = [...text.matchAll(OLD_CANDIDATE)].map((m) => ({ match: m[0], index: m.index }));
        expect(ipv6Candidates(text)).toEqual(old);
      }),
      { numRuns: runs(3000) },
    );
  });
  it.each([
    ['::1.x', [{ match: '::1', index: 0 }]],
    ['fe80::1%eth0 up', [{ match: 'fe80::1%eth0', index: 0 }]],
    ['fe80::1%eth0_x', []],
    ['a::1:x', []],
    ['v1::2', []],
  ])('%s', (text, want) => expect(ipv6Candidates(text)).toEqual(want));
  it('a run is a candidate from its start or not at all: one per run, never one inside it', () => {
    const text = 'fe80::1 '.repeat(1000) + ':'.repeat(20000) + 'x ' + `:${'.'.repeat(20000)}1 ::1`;
    const found = ipv6Candidates(text);
    expect(found).toHaveLength(1002);
    expect(found.slice(0, 1000).every((c, k) => c.index === 8 * k && c.match === 'fe80::1')).toBe(true);
    expect([found[1000]?.index, found[1000]?.match]).toEqual([28002, `:${'.'.repeat(20000)}1`]);
    expect(found[1001]).toEqual({ match: '::1', index: text.length - 3 });
  });
  it('withoutTrailingDots drops only the closing dots', () => {
    expect(withoutTrailingDots('::1...')).toBe('::1');
    expect(withoutTrailingDots(`:${'.'.repeat(20000)}1`)).toBe(`:${'.'.repeat(20000)}1`);
    expect(withoutTrailingDots('...')).toBe('');
  });
});

describe('CoveredSpans', () => {
  it('answers whether a span shares a character with one added', () => {
    const c = new CoveredSpans(20);
    c.add(5, 10);
    expect([c.overlaps(0, 5), c.overlaps(10, 12), c.overlaps(9, 11), c.overlaps(0, 20), c.overlaps(6, 7)]).toEqual([false, false, true, true, true]);
  });
});

// Regressions for outputs that were quadratic to scan: each finishes in milliseconds now (seconds before).
describe('long hostile outputs', () => {
  it('a long run of colons ending in a word character holds no address, and one after it is found', () => {
    expect(detectPii(`${':'.repeat(20000)}x`)).toEqual([]);
    expect(detectPii(`${':'.repeat(20000)}x then fe80::1`).map((f) => f.match)).toEqual(['fe80::1']);
    expect(redactForSharing(`${':'.repeat(20000)}x`)).toBe(`${':'.repeat(20000)}x`);
  });
  it('many findings of one kind are each kept once', () => {
    const found = detectPii('a@b.co '.repeat(20000));
    expect(found).toHaveLength(20000);
    expect(found[19999]).toMatchObject({ kind: 'email', index: 7 * 19999 });
  });
  it('many labelled secrets beside vendor keys: one finding per token', () => {
    const found = findSecrets('token: sk-abcdefghijklmnopqrstuvwxyz0123 api_key=Zx8Qw3Rt6Yu9Io2Pa5Sd\n'.repeat(5000));
    expect(found.filter((s) => s.rule === 'openai')).toHaveLength(5000);
    expect(found.filter((s) => s.rule === 'labelled-high-entropy')).toHaveLength(5000);
  });
});

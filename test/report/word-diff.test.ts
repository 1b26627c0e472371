import { diffWords } from 'diff';
import fc from 'fast-check';
import { runs } from '../support/property-seed.js';
import { describe, expect, it } from 'vitest';
import { wordDiff } from '../../src/render/html/word-diff.js';

/** What each side reads as, rebuilt from the diff runs. */
function sides(runs: Array<[number, string]>): { a: string; b: string } {
  return { a: runs.filter(([op]) => op !== 1).map(([, t]) => t).join(''), b: runs.filter(([op]) => op !== -1).map(([, t]) => t).join('') };
}

describe('wordDiff (shipped in the page)', () => {
  it('marks the changed words only', () => {
    expect(wordDiff('Refunds within 30 days.', 'Refunds within 14 days.')).toEqual([
      [0, 'Refunds within '],
      [-1, '30'],
      [1, '14'],
      [0, ' days.'],
    ]);
    expect(wordDiff('same text', 'same text')).toEqual([[0, 'same text']]);
    expect(wordDiff('', 'new')).toEqual([[1, 'new']]);
  });

  it('joins a rewritten stretch into one deletion and one insertion', () => {
    expect(wordDiff('{"answer":"I am sorry, no."}', '{"answer":"Sure thing, here."}')).toEqual([
      [0, '{"answer":"'],
      [-1, 'I am sorry'],
      [1, 'Sure thing'],
      [0, ', '],
      [-1, 'no'],
      [1, 'here'],
      [0, '."}'],
    ]);
  });

  it('gives up (null) past its edit budget instead of running long', () => {
    const a = Array.from({ length: 400 }, (_, i) => `a${i}`).join(' ');
    const b = Array.from({ length: 400 }, (_, i) => `b${i}`).join(' ');
    expect(wordDiff(a, b, 100)).toBeNull();
    expect(wordDiff(a, b)).not.toBeNull();
  });

  it('always rebuilds both texts, with no two neighbouring runs of the same kind', () => {
    const word = fc.constantFrom('the', 'refund', 'is', '30', 'days', ',', '.', ' ', '\n', 'é', '日本', 'of', 'purchase');
    const text = fc.array(word, { maxLength: 40 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(text, text, (a, b) => {
        const runs = wordDiff(a, b);
        expect(runs).not.toBeNull();
        expect(sides(runs!)).toEqual({ a, b });
        for (let i = 1; i < runs!.length; i++) expect(runs![i]![0] === runs![i - 1]![0]).toBe(false);
      }),
      { numRuns: runs(300) },
    );
  });

  it('marks exactly the replaced word, as the diff package does', () => {
    // With repeated words several minimal diffs are equally right ("a a" -> "0 a" may drop either
    // "a"), so compare what was removed and added as multisets, and check both sides rebuild.
    const words = fc.array(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: 1, maxLength: 30 });
    const sorted = (xs: string[]) => [...xs].sort();
    fc.assert(
      fc.property(words, fc.nat(), fc.stringMatching(/^[0-9]{1,4}$/), (ws, at, replacement) => {
        const i = at % ws.length;
        const a = ws.join(' ');
        const b = ws.map((w, j) => (j === i ? replacement : w)).join(' ');
        const oracle = diffWords(a, b);
        const ours = wordDiff(a, b)!;
        const changed = (parts: Array<[number, string]>, op: number) => sorted(parts.filter(([o]) => o === op).map(([, t]) => t.trim()).filter(Boolean));
        const oracleParts = oracle.map((p): [number, string] => [p.added ? 1 : p.removed ? -1 : 0, p.value]);
        expect(changed(ours, -1)).toEqual(changed(oracleParts, -1));
        expect(changed(ours, 1)).toEqual(changed(oracleParts, 1));
        expect(ours.filter(([o]) => o !== 1).map(([, t]) => t).join('').replace(/\s+/g, ' ').trim()).toBe(a);
        expect(ours.filter(([o]) => o !== -1).map(([, t]) => t).join('').replace(/\s+/g, ' ').trim()).toBe(b);
      }),
      { numRuns: runs(200) },
    );
  });

  it('is self-contained, so it can be shipped through Function.prototype.toString', () => {
    const shipped = new Function(`return (${wordDiff.toString()});`)() as typeof wordDiff;
    expect(shipped('a b c', 'a x c')).toEqual(wordDiff('a b c', 'a x c'));
  });
});

import { characterBoundary, characterCount } from '../character-count.js';
import type { PiiFinding } from './pii.js';

/**
 * Masks a finding for reports and logs, which outlive the run: `4111 1111 1111 1111` becomes
 * `41**********11`. Enough to recognise, not enough to reuse. Counted and cut by character
 * (core/character-count.ts), not UTF-16 unit: a finding written with digits beyond the BMP
 * (`𝟏𝟗2.168.1.1`, which the detectors fold) keeps its first two characters whole, never half a
 * surrogate pair that prints as �.
 */
export function maskPii(value: string): string {
  const characters = characterCount(value);
  if (characters <= 6) return '*'.repeat(characters);
  let head = 0;
  let tail = value.length;
  for (let k = 0; k < 2; k++) {
    head = characterBoundary(value, head + 1, 'end');
    tail = characterBoundary(value, tail - 1, 'start');
  }
  return `${value.slice(0, head)}${'*'.repeat(Math.min(10, characters - 4))}${value.slice(tail)}`;
}

/** `text` with every finding (sorted, non-overlapping, as detectPii returns them) masked by maskPii. */
export function maskFindings(text: string, findings: PiiFinding[]): string {
  let out = '';
  let from = 0;
  for (const f of findings) {
    out += text.slice(from, f.index) + maskPii(f.match);
    from = f.index + f.match.length;
  }
  return out + text.slice(from);
}

import { describe, expect, it } from 'vitest';
import { attackFraction, fractionAtMinimum, resistanceFraction } from '../../src/core/threshold-format.js';

/** Fractions as JUnit's properties show them: beside a threshold, never contradicting the verdict; attack rates never understated. */

describe('fractionAtMinimum: a rate beside its threshold as a machine reads it (JUnit)', () => {
  it.each([
    { value: 2 / 3, min: 0.66667, shown: '0.666667', why: 'failed: 0.6667 would read above 0.66667' },
    { value: 198 / 199, min: 0.995, shown: '0.99497', why: 'failed: 0.9950 would read as meeting 0.995' },
    { value: 0.995, min: 0.995, shown: '0.9950', why: 'met exactly' },
    { value: 0.9, min: 0.8, shown: '0.9000', why: 'far from it: four decimals as before' },
    { value: 2 / 3, min: 0.6, shown: '0.6667', why: 'passed: to the nearest' },
  ])('$value against $min → $shown ($why)', ({ value, min, shown }) => {
    expect(fractionAtMinimum(value, min)).toBe(shown);
  });

  it('never reads as meeting the minimum when the rate does not, or the reverse, for every k/n against every j/n', () => {
    for (let n = 1; n <= 60; n++) {
      for (let k = 0; k <= n; k++) {
        for (const min of [0.5, 0.66667, 0.9, 0.95, 0.995, 0.999, 2 / 3]) {
          const met = k / n >= min - 1e-9;
          expect(Number(fractionAtMinimum(k / n, min)) >= min, `${k}/${n} against ${min}`).toBe(met);
        }
      }
    }
  });
});

describe('attackFraction and resistanceFraction: four decimals that never understate an attack', () => {
  it.each([
    { fraction: 1 / 3, attack: '0.3334', resistance: '0.3333' },
    { fraction: 2 / 3, attack: '0.6667', resistance: '0.6666' },
    { fraction: 1 / 100_000, attack: '0.0001', resistance: '0.0000' },
    { fraction: 0.25, attack: '0.2500', resistance: '0.2500' },
    { fraction: 0, attack: '0.0000', resistance: '0.0000' },
    { fraction: 1, attack: '1.0000', resistance: '1.0000' },
  ])('$fraction → $attack as an attack rate, $resistance as a resistance', ({ fraction, attack, resistance }) => {
    expect(attackFraction(fraction)).toBe(attack);
    expect(resistanceFraction(fraction)).toBe(resistance);
  });
});

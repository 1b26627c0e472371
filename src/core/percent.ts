import { roundTo } from './threshold-format.js';

/**
 * One way to print a fraction as a percentage, everywhere (tables, gates, summaries, reports):
 * truncated, never rounded up. A rounded 99.46% would print as 99.5% next to "below the minimum
 * 99.5%"; truncated it prints 99.4%, so a value shown at a threshold always meets it. Binary
 * fractions such as 0.995 (really 0.99499…) still print 99.5%. Values beside a threshold go
 * through `threshold-format.ts`, which adds decimals where truncation alone would contradict the
 * verdict; attack success rates round up (`attackRate`).
 */
export function pct(fraction: number, digits = 1): string {
  if (!Number.isFinite(fraction)) return '–';
  return `${roundTo(fraction, digits, 'down', 100).toFixed(digits)}%`;
}

/**
 * One way to print a fraction as a percentage, everywhere (tables, gates, summaries, reports):
 * truncated, never rounded up. A rounded 99.46% would print as 99.5% next to "below the minimum
 * 99.5%"; truncated it prints 99.4%, so a value shown at a threshold always meets it. The small
 * epsilon keeps binary fractions such as 0.995 (really 0.99499…) at 99.5%.
 */
export function pct(fraction: number, digits = 1): string {
  if (!Number.isFinite(fraction)) return '–';
  const scale = 10 ** digits;
  const truncated = Math.floor(fraction * 100 * scale + 1e-6) / scale;
  return `${truncated.toFixed(digits)}%`;
}

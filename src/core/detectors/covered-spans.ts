/**
 * The characters of a text that findings already cover, for keeping the first of overlapping
 * findings (pii.ts, secrets.ts). One flag per character rather than a list of kept findings: asking
 * each new finding against every kept one took a minute on a reply of 100,000 addresses. Findings
 * of one pattern do not overlap, so all the questions together read each character a few times.
 */
export class CoveredSpans {
  private readonly covered: Uint8Array;

  constructor(length: number) {
    this.covered = new Uint8Array(length);
  }

  /** Whether [start, end) shares a character with a span added before. */
  overlaps(start: number, end: number): boolean {
    for (let i = Math.max(0, start); i < Math.min(end, this.covered.length); i++) if (this.covered[i]) return true;
    return false;
  }

  add(start: number, end: number): void {
    this.covered.fill(1, Math.max(0, start), Math.min(end, this.covered.length));
  }
}

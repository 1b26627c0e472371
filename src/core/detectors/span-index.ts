/**
 * Finds whether a text shares a run of at least `m` characters with a source text, in time linear
 * in the text's length for text that shares little (a long run shared but refused, such as a ruler
 * of dashes in both, is extended from each of its starts): every `m`-character window ("shingle") of the source is indexed by a
 * Rabin-Karp rolling hash, and the text's windows are rolled over and looked up. A hash hit is
 * verified character by character, so collisions never produce a false match.
 */

const BASE = 131;
// Large prime below 2^30: hash * BASE and charCode * power stay far inside 2^53, so plain number
// arithmetic is exact (no BigInt needed).
const MOD = 1_000_000_007;

export interface SpanMatch {
  /** Start of the shared run in the searched text. */
  at: number;
  /** Start of the shared run in the source. */
  sourceAt: number;
  /** Length of the shared run, extended past `m` as far as both texts agree. */
  length: number;
}

export class SpanIndex {
  private readonly buckets = new Map<number, number[]>();
  private readonly power: number;

  constructor(
    readonly source: string,
    readonly m: number,
  ) {
    if (!Number.isInteger(m) || m < 1) throw new RangeError(`shingle length must be a positive integer, got ${m}`);
    let power = 1;
    for (let k = 1; k < m; k++) power = (power * BASE) % MOD;
    this.power = power;
    if (source.length < m) return;
    let h = 0;
    for (let k = 0; k < m; k++) h = (h * BASE + source.charCodeAt(k)) % MOD;
    for (let j = 0; ; j++) {
      this.add(h, j);
      if (j + m >= source.length) break;
      h = this.roll(h, source.charCodeAt(j), source.charCodeAt(j + m));
    }
  }

  /** Number of distinct shingles indexed (for tests and sizing). */
  get size(): number {
    let n = 0;
    for (const list of this.buckets.values()) n += list.length;
    return n;
  }

  private roll(h: number, out: number, incoming: number): number {
    const removed = (h - ((out * this.power) % MOD) + MOD) % MOD;
    return (removed * BASE + incoming) % MOD;
  }

  // Keep one position per distinct shingle so a repetitive source (e.g. "-----" rulers) does not
  // turn every lookup into a long list scan.
  private add(h: number, j: number): void {
    const list = this.buckets.get(h);
    if (!list) {
      this.buckets.set(h, [j]);
      return;
    }
    if (!list.some((p) => this.source.startsWith(this.source.slice(j, j + this.m), p))) list.push(j);
  }

  /**
   * The leftmost shared run of at least `m` characters that `accepted` takes, or null. `accepted`
   * answers how much of the run at `at` of `len` characters counts, from its start (0: none), so
   * callers can leave out runs that carry no content, such as a line of dashes, or the ruler a
   * copied sentence runs into.
   */
  findFirst(text: string, accepted: (at: number, len: number) => number = (_at, len) => len): SpanMatch | null {
    const { m, source } = this;
    if (text.length < m || this.buckets.size === 0) return null;
    let h = 0;
    for (let k = 0; k < m; k++) h = (h * BASE + text.charCodeAt(k)) % MOD;
    for (let i = 0; ; i++) {
      const list = this.buckets.get(h);
      if (list) {
        let best: SpanMatch | null = null;
        for (const p of list) {
          if (!source.startsWith(text.slice(i, i + m), p)) continue;
          let len = m;
          while (i + len < text.length && p + len < source.length && text[i + len] === source[p + len]) len++;
          // No part of a run longer than the best so far can beat it.
          if (best && len <= best.length) continue;
          const taken = Math.min(len, accepted(i, len));
          if (taken >= m && (!best || taken > best.length)) best = { at: i, sourceAt: p, length: taken };
        }
        if (best) return best;
      }
      if (i + m >= text.length) return null;
      h = this.roll(h, text.charCodeAt(i), text.charCodeAt(i + m));
    }
  }
}

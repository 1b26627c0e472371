import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical.js';
import { byCodeUnits } from './order.js';

/**
 * The fingerprint of a run's samples that a tested mark carries: what a gate counts from them
 * (case, sample, verdict, latency, leaks), in a fixed order. `audit verify` recomputes it, so a
 * sample edited after the mark was earned shows, without the chain holding every sample.
 */

export interface DigestRow {
  caseId: string;
  sample: number;
  verdict: string;
  latencyMs: number;
  /** The stored leaks (a JSON array of names), or null. */
  leaks: string | null;
}

/** The digest's order: case id by UTF-16 code unit, then sample. */
function compare(a: DigestRow, b: DigestRow): number {
  return byCodeUnits(a.caseId, b.caseId) || a.sample - b.sample;
}

export function sampleDigest(rows: Iterable<DigestRow>): string {
  return hashInOrder([...rows].sort(compare))!;
}

/**
 * `sampleDigest` of rows a store can read in the digest's order (`read()` is called again only
 * when they were not): hashed as they come, so a large run's rows are never held. A database
 * sorts text by bytes, which differs from code-unit order only for characters beyond U+FFFF.
 */
export function sampleDigestOfOrdered(read: () => Iterable<DigestRow>): string {
  return hashInOrder(read()) ?? sampleDigest(read());
}

/**
 * The SHA-256 of the rows' canonical JSON as one array, hashed row by row (the UTF-8 of the parts
 * is the UTF-8 of the whole); undefined when a row comes out of the digest's order.
 */
function hashInOrder(rows: Iterable<DigestRow>): string | undefined {
  const hash = createHash('sha256').update('[');
  let previous: DigestRow | undefined;
  for (const r of rows) {
    if (previous && compare(previous, r) > 0) return undefined;
    hash.update(`${previous ? ',' : ''}${canonicalJson([r.caseId, r.sample, r.verdict, r.latencyMs, r.leaks])}`, 'utf8');
    previous = r;
  }
  return hash.update(']').digest('hex');
}

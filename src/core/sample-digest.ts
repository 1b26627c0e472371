import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical.js';
import { byCodeUnits } from './order.js';

/**
 * The fingerprints of a run's samples that a tested mark carries, in a fixed order. `audit verify`
 * recomputes them, so a sample edited after the mark was earned shows, without the chain holding
 * every sample:
 * - `samples`: what a gate counts from them (case, sample, verdict, latency, leaks);
 * - `outputs`: what reports and `compare` show of them (the answer, the scorers' reasons, the
 *   error, the exchange), so a signed mark also vouches for the evidence shown beside it.
 */

export interface DigestRow {
  caseId: string;
  sample: number;
  verdict: string;
  latencyMs: number;
  /** The stored leaks (a JSON array of names), or null. */
  leaks: string | null;
  /** The rest is what is shown (the `outputs` fingerprint); absent where only `samples` is wanted. */
  output?: string;
  reasons?: string;
  error?: string | null;
  exchange?: string | null;
}

export interface SampleDigests {
  samples: string;
  outputs: string;
}

/** The digest's order: case id by UTF-16 code unit, then sample. */
function compare(a: DigestRow, b: DigestRow): number {
  return byCodeUnits(a.caseId, b.caseId) || a.sample - b.sample;
}

export function sampleDigests(rows: Iterable<DigestRow>): SampleDigests {
  return hashInOrder([...rows].sort(compare))!;
}

/** The `samples` fingerprint alone. */
export function sampleDigest(rows: Iterable<DigestRow>): string {
  return sampleDigests(rows).samples;
}

/**
 * `sampleDigests` of rows a store can read in the digest's order (`read()` is called again only
 * when they were not): hashed as they come, so a large run's rows are never held. A database
 * sorts text by bytes, which differs from code-unit order only for characters beyond U+FFFF.
 */
export function sampleDigestsOfOrdered(read: () => Iterable<DigestRow>): SampleDigests {
  return hashInOrder(read()) ?? sampleDigests(read());
}

/**
 * The SHA-256 of the rows' canonical JSON as one array each, hashed row by row (the UTF-8 of the
 * parts is the UTF-8 of the whole); undefined when a row comes out of the digest's order.
 */
function hashInOrder(rows: Iterable<DigestRow>): SampleDigests | undefined {
  const samples = createHash('sha256').update('[');
  const outputs = createHash('sha256').update('[');
  const add = (hash: ReturnType<typeof createHash>, first: boolean, parts: unknown[]) => hash.update(`${first ? '' : ','}${canonicalJson(parts)}`, 'utf8');
  let previous: DigestRow | undefined;
  for (const r of rows) {
    if (previous && compare(previous, r) > 0) return undefined;
    add(samples, !previous, [r.caseId, r.sample, r.verdict, r.latencyMs, r.leaks]);
    add(outputs, !previous, [r.caseId, r.sample, r.output ?? '', r.reasons ?? '', r.error ?? null, r.exchange ?? null]);
    previous = r;
  }
  return { samples: samples.update(']').digest('hex'), outputs: outputs.update(']').digest('hex') };
}

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
  const digest = new OrderedDigest();
  for (const r of [...rows].sort(compare)) digest.add(r);
  return digest.result();
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
  const digest = new OrderedDigest();
  let ordered = true;
  // The first read is closed (the loop left) before a store is asked again.
  for (const r of read()) if (!(ordered = digest.add(r))) break;
  return ordered ? digest.result() : sampleDigests(read());
}

/** `sampleDigestsOfOrdered` for a store that reads its rows a page at a time, asynchronously. */
export async function sampleDigestsOfPages(pages: () => AsyncIterable<DigestRow[]>): Promise<SampleDigests> {
  const digest = new OrderedDigest();
  let ordered = true;
  for await (const page of pages()) if (!(ordered = page.every((r) => digest.add(r)))) break;
  if (ordered) return digest.result();
  const all: DigestRow[] = [];
  for await (const page of pages()) all.push(...page);
  return sampleDigests(all);
}

/**
 * The SHA-256 of the rows' canonical JSON as one array each, hashed row by row (the UTF-8 of the
 * parts is the UTF-8 of the whole); `add` is false when a row comes out of the digest's order.
 */
class OrderedDigest {
  private readonly samples = createHash('sha256').update('[');
  private readonly outputs = createHash('sha256').update('[');
  private previous: DigestRow | undefined;

  add(r: DigestRow): boolean {
    if (this.previous && compare(this.previous, r) > 0) return false;
    const sep = this.previous ? ',' : '';
    this.samples.update(`${sep}${canonicalJson([r.caseId, r.sample, r.verdict, r.latencyMs, r.leaks])}`, 'utf8');
    this.outputs.update(`${sep}${canonicalJson([r.caseId, r.sample, r.output ?? '', r.reasons ?? '', r.error ?? null, r.exchange ?? null])}`, 'utf8');
    this.previous = r;
    return true;
  }

  result(): SampleDigests {
    return { samples: this.samples.update(']').digest('hex'), outputs: this.outputs.update(']').digest('hex') };
  }
}

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

/** About this many characters of rows are joined before each is hashed: one call into the hash per page of rows, not two per row. */
const PAGE_CHARS = 64 * 1024;

/**
 * The SHA-256 of the rows' canonical JSON as one array each, hashed a page of rows at a time (the
 * UTF-8 of the parts is the UTF-8 of the whole); `add` is false when a row comes out of the digest's order.
 */
class OrderedDigest {
  private readonly samples = createHash('sha256');
  private readonly outputs = createHash('sha256');
  private samplesPage = '[';
  private outputsPage = '[';
  private previous: DigestRow | undefined;

  add(r: DigestRow): boolean {
    if (this.previous && compare(this.previous, r) > 0) return false;
    const sep = this.previous ? ',' : '';
    this.samplesPage += `${sep}${canonicalJson([r.caseId, r.sample, r.verdict, r.latencyMs, r.leaks])}`;
    this.outputsPage += `${sep}${canonicalJson([r.caseId, r.sample, r.output ?? '', r.reasons ?? '', r.error ?? null, r.exchange ?? null])}`;
    if (this.samplesPage.length + this.outputsPage.length > PAGE_CHARS) this.flush();
    this.previous = r;
    return true;
  }

  private flush(): void {
    this.samples.update(this.samplesPage, 'utf8');
    this.outputs.update(this.outputsPage, 'utf8');
    this.samplesPage = '';
    this.outputsPage = '';
  }

  result(): SampleDigests {
    this.samplesPage += ']';
    this.outputsPage += ']';
    this.flush();
    return { samples: this.samples.digest('hex'), outputs: this.outputs.digest('hex') };
  }
}

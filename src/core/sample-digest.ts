import { canonicalJson, sha256Hex } from './canonical.js';

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

export function sampleDigest(rows: Iterable<DigestRow>): string {
  const sorted = [...rows].sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : a.sample - b.sample));
  return sha256Hex(canonicalJson(sorted.map((r) => [r.caseId, r.sample, r.verdict, r.latencyMs, r.leaks])));
}

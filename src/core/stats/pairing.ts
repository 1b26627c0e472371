/**
 * Pairs a baseline's and a candidate's results by case id, the pairing every paired test rests
 * on. Cases only one side has are returned, never dropped silently: a suite whose cases changed
 * is compared on the cases both ran, and the caller says which were left out.
 */

export interface CaseResult<T> {
  caseId: string;
  result: T;
}

export interface CasePairs<T> {
  /** In the baseline's order. */
  pairs: Array<{ caseId: string; baseline: T; candidate: T }>;
  onlyBaseline: string[];
  onlyCandidate: string[];
}

export function pairByCase<T>(baseline: readonly CaseResult<T>[], candidate: readonly CaseResult<T>[]): CasePairs<T> {
  const byId = new Map<string, T>();
  for (const c of candidate) {
    if (byId.has(c.caseId)) throw new RangeError(`case id ${JSON.stringify(c.caseId)} appears twice in the candidate's results`);
    byId.set(c.caseId, c.result);
  }
  const seen = new Set<string>();
  const out: CasePairs<T> = { pairs: [], onlyBaseline: [], onlyCandidate: [] };
  for (const b of baseline) {
    if (seen.has(b.caseId)) throw new RangeError(`case id ${JSON.stringify(b.caseId)} appears twice in the baseline's results`);
    seen.add(b.caseId);
    if (byId.has(b.caseId)) out.pairs.push({ caseId: b.caseId, baseline: b.result, candidate: byId.get(b.caseId) as T });
    else out.onlyBaseline.push(b.caseId);
  }
  for (const c of candidate) if (!seen.has(c.caseId)) out.onlyCandidate.push(c.caseId);
  return out;
}

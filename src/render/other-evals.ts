type Named = ReadonlyArray<{ suite: string; runId: string }>;

/**
 * A tested mark resting on another eval's run of a suite this eval ran (two jobs evaluating one
 * version at once), said beside the mark so it does not read as this eval's verdict: ` (another
 * eval's run of suite 'golden', 1a2b3c4d, is the latest and counts, not this eval's)`; or on an
 * earlier eval's run of a suite this eval was stopped in (`earlierRuns`): ` (an earlier eval's run
 * of suite 'golden', 1a2b3c4d, counts: this eval's was stopped before it could)`; '' for none.
 */
export function otherEvalsClause(v: { otherEvals?: Named; earlierRuns?: Named }): string {
  const others = v.otherEvals ?? [];
  const earlier = v.earlierRuns ?? [];
  const named = (runs: Named) => runs.map((o) => `'${o.suite}', ${o.runId.slice(0, 8)}`).join('; ');
  const clauses = [
    ...(others.length === 1 ? [`another eval's run of suite ${named(others)}, is the latest and counts, not this eval's`] : others.length ? [`other evals' runs of suites ${named(others)}, are the latest and count, not this eval's`] : []),
    ...(earlier.length === 1 ? [`an earlier eval's run of suite ${named(earlier)}, counts: this eval's was stopped before it could`] : earlier.length ? [`earlier evals' runs of suites ${named(earlier)}, count: this eval's were stopped before they could`] : []),
  ];
  return clauses.length ? ` (${clauses.join('; ')})` : '';
}

/**
 * A tested mark resting on another eval's run of a suite this eval ran (two jobs evaluating one
 * version at once), said beside the mark so it does not read as this eval's verdict: ` (another
 * eval's run of suite 'golden', 1a2b3c4d, is the latest and counts, not this eval's)`; '' for none.
 */
export function otherEvalsClause(v: { otherEvals?: ReadonlyArray<{ suite: string; runId: string }> }): string {
  const others = v.otherEvals ?? [];
  if (!others.length) return '';
  const runs = others.map((o) => `'${o.suite}', ${o.runId.slice(0, 8)}`).join('; ');
  return others.length === 1 ? ` (another eval's run of suite ${runs}, is the latest and counts, not this eval's)` : ` (other evals' runs of suites ${runs}, are the latest and count, not this eval's)`;
}

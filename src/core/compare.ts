import type { CaseVerdict } from './schemas/report.js';

/**
 * Two versions' verdicts and outputs for the same case, and what changed between them. What a
 * reviewer needs first is what changed for the worse, so rows are ordered: regressions, fixes,
 * other verdict changes, then cases whose verdict held but whose output differs.
 */

export interface ComparisonRow {
  suite: string;
  caseId: string;
  verdictA: CaseVerdict;
  verdictB: CaseVerdict;
  outputA: string;
  outputB: string;
}

export type ChangeKind = 'regression' | 'fix' | 'changed' | 'same-verdict' | 'identical';

const ORDER: ChangeKind[] = ['regression', 'fix', 'changed', 'same-verdict', 'identical'];

/** Regression: it passed on A and does not on B; fix: the reverse; changed: any other verdict move. */
export function classifyChange(r: ComparisonRow): ChangeKind {
  if (r.verdictA !== r.verdictB) {
    if (r.verdictA === 'pass') return 'regression';
    if (r.verdictB === 'pass') return 'fix';
    return 'changed';
  }
  return r.outputA === r.outputB ? 'identical' : 'same-verdict';
}

/** Rows in review order; stable within each kind, so input order (suite, case) is kept. */
export function orderRows(rows: ComparisonRow[]): Array<{ row: ComparisonRow; kind: ChangeKind }> {
  return rows
    .map((row, i) => ({ row, kind: classifyChange(row), i }))
    .sort((x, y) => ORDER.indexOf(x.kind) - ORDER.indexOf(y.kind) || x.i - y.i)
    .map(({ row, kind }) => ({ row, kind }));
}

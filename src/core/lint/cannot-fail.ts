import type { EvalSet } from '../schemas/evalset.js';
import type { FieldPath } from '../yaml-source.js';

/**
 * A suite that can never fail: `threshold: 0` passes it whatever its cases do, `min_pass_rate: 0`
 * passes a case whatever its samples do. Both stay legal (a smoke suite that only records outputs
 * is a choice), but a verdict that cannot say "failed" is almost always a slip for a small share
 * (0.9, not 0), and its table shows cases passed beside samples that failed: lint warns, and
 * eval's table says which run or cases passed only so (render/cannot-fail-text.ts).
 */
/** `threshold: 0`: the suite passes whatever its cases do. */
export const suiteCannotFail = (threshold: number): boolean => threshold === 0;
/** `min_pass_rate: 0`: the case passes whatever its samples do. */
export const caseCannotFail = (minPassRate: number): boolean => minPassRate === 0;

export function cannotFailWarnings(d: Pick<EvalSet, 'threshold' | 'min_pass_rate' | 'cases'>): Array<{ path: FieldPath; message: string }> {
  const out: Array<{ path: FieldPath; message: string }> = [];
  if (suiteCannotFail(d.threshold)) {
    out.push({ path: ['threshold'], message: 'threshold 0 passes the suite whatever its cases do, so it can never fail: remove it (the default, 1, needs every case to pass) or set the share of cases that must pass, such as 0.9' });
  }
  if (caseCannotFail(d.min_pass_rate)) {
    const own = d.cases.filter((c) => c.min_pass_rate !== undefined && c.min_pass_rate > 0).length;
    const which = own ? `every case but the ${own} that set their own` : 'every case';
    out.push({ path: ['min_pass_rate'], message: `min_pass_rate 0 passes ${which} whatever its samples do, so ${own ? 'those' : 'no case'} can fail: remove it (the default, 1, needs every sample to pass) or set the share of a case's samples that must pass, such as 0.8` });
  }
  d.cases.forEach((c, i) => {
    if (c.min_pass_rate !== undefined && caseCannotFail(c.min_pass_rate)) out.push({ path: ['cases', i, 'min_pass_rate'], message: `case "${c.id}": min_pass_rate 0 passes the case whatever its samples do, so it can never fail: remove it or set the share of its samples that must pass, such as 0.8` });
  });
  return out;
}

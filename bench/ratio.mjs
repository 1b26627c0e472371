import { besideThreshold } from '../dist/core/threshold-format.js';

/**
 * A measured value beside its target, by the rule every number beside a threshold follows
 * (core/threshold-format.ts), so that what is shown never contradicts the verdict. Bench targets
 * are strict (`<`) for some rows and inclusive (`<=`, `>=`) for others, so a value is shown strictly
 * on the side of the target it is on: 1.3025 beside 1.3 reads 1.302, not 1.30, and 0.2999 beside
 * 0.3 reads 0.2999. That is the rule's "beyond the limit" case, asked for on the value's own side.
 * A value equal to its target is shown as it is. A target written as text with its comparison
 * (`>= 4.5`) counts as its number.
 */
export function shownBeside(value, target, digits = 2) {
  const limit = typeof target === 'number' ? target : boundOf(target);
  if (limit === undefined || value === limit) return value.toFixed(digits);
  return besideThreshold(value, limit, { ok: false, bound: value > limit ? 'max' : 'min', digits, rounding: 'nearest' }).value;
}

/**
 * One result row as every bench prints it (`bench/run.mjs`, and `node bench/eval.mjs` or
 * `bench/report.mjs` run alone): PASS or FAIL, the value beside its target by the rule above.
 */
export function resultLine(r) {
  const value = typeof r.value === 'number' ? shownBeside(r.value, r.target) : r.value;
  return `  ${r.pass ? 'PASS' : 'FAIL'}  ${r.metric}: ${value} (target ${r.target})${r.detail ? `  [${r.detail}]` : ''}`;
}

/** The number of a target written as text with its comparison (`>= 4.5`, `<= 1.0`), or undefined for any other text. */
function boundOf(target) {
  const m = typeof target === 'string' ? /^\s*(?:<=|>=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(target) : null;
  return m ? Number(m[1]) : undefined;
}

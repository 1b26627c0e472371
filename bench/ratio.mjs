import { besideThreshold } from '../dist/core/threshold-format.js';

/**
 * A measured value beside its target, by the rule every number beside a threshold follows
 * (core/threshold-format.ts), so that what is shown never contradicts the verdict. Bench targets
 * are strict (`<`) for some rows and inclusive (`<=`, `>=`) for others, so a value is shown strictly
 * on the side of the target it is on: 1.3025 beside 1.3 reads 1.302, not 1.30, and 0.2999 beside
 * 0.3 reads 0.2999. That is the rule's "beyond the limit" case, asked for on the value's own side.
 * A value equal to its target is shown as it is.
 */
export function shownBeside(value, target, digits = 2) {
  if (typeof target !== 'number' || value === target) return value.toFixed(digits);
  return besideThreshold(value, target, { ok: false, bound: value > target ? 'max' : 'min', digits, rounding: 'nearest' }).value;
}

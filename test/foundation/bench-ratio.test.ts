import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../support/cli.js';

/**
 * `npm run bench` prints each measured value beside its target (bench/ratio.mjs) by the threshold
 * rule, so that a printed value never contradicts PASS or FAIL: also for targets written as text
 * with their comparison (`>= 4.5`), which were printed with toFixed (4.4999 read "4.50", FAIL).
 * Every bench prints its rows through one `resultLine`, run together (`bench/run.mjs`) or alone.
 */

// bench/ratio.mjs runs on the built core (dist/), as the benchmarks do.
beforeAll(assertBuilt);

describe('a bench value beside its target', () => {
  it.each([
    { value: 4.4999, target: '>= 4.5', shown: '4.4999' },
    { value: 4.5001, target: '>= 4.5', shown: '4.5001' },
    { value: 1.0004, target: '<= 1.0', shown: '1.0004' },
    { value: 0.9996, target: '< 1', shown: '0.9996' },
    { value: 4.5, target: '>= 4.5', shown: '4.50' },
    { value: 1.3025, target: 1.3, shown: '1.302' },
    { value: 0.2999, target: 0.3, shown: '0.2999' },
    { value: 2.25, target: 1.3, shown: '2.25' },
    // A target that is not a comparison with a number: the value is shown as it is.
    { value: 2, target: 'the same', shown: '2.00' },
  ])('$value beside $target reads $shown', async ({ value, target, shown }) => {
    const { shownBeside } = await import('../../bench/ratio.mjs');
    expect(shownBeside(value, target)).toBe(shown);
  });
});

describe('a bench result row', () => {
  it.each([
    { row: { metric: 'eval / bare loop', value: 1.3025, target: 1.3, pass: false, detail: 'medians of 5' }, line: '  FAIL  eval / bare loop: 1.302 (target 1.3)  [medians of 5]' },
    { row: { metric: 'fixed cost (s)', value: 0.2999, target: 0.3, pass: true }, line: '  PASS  fixed cost (s): 0.2999 (target 0.3)' },
    { row: { metric: 'exit code', value: 'same', target: 'same', pass: true }, line: '  PASS  exit code: same (target same)' },
  ])('$row.metric reads as one line by the same rule', async ({ row, line }) => {
    const { resultLine } = await import('../../bench/ratio.mjs');
    expect(resultLine(row)).toBe(line);
  });
});

import { describe, expect, it } from 'vitest';
import { liveLayout } from '../../src/render/live-layout.js';
import type { FailureLine, ProgressSnapshot } from '../../src/render/progress-model.js';

/**
 * Report #1 of the terminal hunt: ink 6 clears the screen and the scrollback at every redraw once a
 * frame is as tall as the terminal, so the live view keeps to rows - 1 lines (the cursor's row).
 */

const long = (i: number): FailureLine => ({ kind: 'fail', where: `support-answer@1.1.0 golden/must-fail-${i}#0`, detail: `contains: output does not contain "never-there-${i}" — got "${'a long answer '.repeat(8)}"` });
const short = (i: number): FailureLine => ({ kind: 'error', where: `p@1 s/c${i}#0`, detail: 'timeout' });
const snap = (over: Partial<ProgressSnapshot>): Pick<ProgressSnapshot, 'label' | 'notices' | 'recentFailures'> => ({ label: 'support-answer@1.1.0 · 1 suite', notices: [], recentFailures: [], ...over });

/** Lines the view draws: label, bar, counts, notices, and the failures with their blank line and heading. */
function height(l: ReturnType<typeof liveLayout>): number {
  const failures = l.failures.reduce((n, f) => n + f.lines.length, 0);
  return (l.label ? 1 : 0) + 2 + l.notices.length + (l.failures.length ? 2 + failures : 0);
}

const five = [1, 2, 3, 4, 5].map(long);
const notices = ['n1', 'n2', 'n3'];

describe('liveLayout', () => {
  it.each([
    // rows, failures, notices: what fits, newest failures first, their second lines before them
    { rows: undefined, failures: five, want: { label: true, failures: 5, lines: 10, notices: 3 } },
    { rows: 40, failures: five, want: { label: true, failures: 5, lines: 10, notices: 3 } },
    { rows: 12, failures: five, want: { label: true, failures: 3, lines: 6, notices: 0 } },
    { rows: 11, failures: five, want: { label: true, failures: 3, lines: 5, notices: 0 } },
    { rows: 6, failures: five, want: { label: true, failures: 0, lines: 0, notices: 2 } },
    { rows: 7, failures: five, want: { label: true, failures: 1, lines: 1, notices: 0 } },
    { rows: 4, failures: five, want: { label: true, failures: 0, lines: 0, notices: 0 } },
    { rows: 3, failures: five, want: { label: false, failures: 0, lines: 0, notices: 0 } },
    { rows: 12, failures: [1, 2, 3, 4, 5].map(short), want: { label: true, failures: 5, lines: 5, notices: 1 } },
  ])('$rows rows', ({ rows, failures, want }) => {
    const l = liveLayout(snap({ recentFailures: failures, notices }), 80, rows);
    expect({ label: l.label, failures: l.failures.length, lines: l.failures.reduce((n, f) => n + f.lines.length, 0), notices: l.notices.length }).toEqual(want);
    if (rows !== undefined && rows > 3) expect(height(l)).toBeLessThanOrEqual(rows - 1);
  });

  it('keeps the newest failures and says a failure was cut with …', () => {
    const l = liveLayout(snap({ recentFailures: five }), 80, 11);
    expect(l.failures.map((f) => f.lines[0]?.slice(0, 47))).toEqual([3, 4, 5].map((i) => `FAIL  support-answer@1.1.0 golden/must-fail-${i}#0`));
    expect(l.failures[0]?.lines).toHaveLength(1);
    expect(l.failures[0]?.lines[0]).toMatch(/…$/);
    expect(l.notices).toEqual([]);
  });

  it('keeps the newest notices', () => {
    expect(liveLayout(snap({ notices }), 80, 6).notices).toEqual(['n2', 'n3']);
  });
});

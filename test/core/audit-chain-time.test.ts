import { describe, expect, it } from 'vitest';
import { futureDated, monotonicAt, timeInversion } from '../../src/core/audit-chain.js';

/** Time in the audit log runs forward: appends never date an event before the newest, and verify names an inversion. */

const T1 = '2026-12-05T12:00:00.000Z';
const T0 = '2026-01-01T00:00:00.000Z';

describe('event times', () => {
  it.each([
    [undefined, T0, T0],
    [{ at: T0 }, T1, T1],
    [{ at: T1 }, T1, T1],
    // A clock behind the newest event's: the newest event's time, never earlier.
    [{ at: T1 }, T0, T1],
  ])('after %j at %s: %s', (newest, now, at) => {
    expect(monotonicAt(newest, now)).toBe(at);
  });

  it.each([
    [undefined, T0, undefined],
    [{ seq: 3, at: T0 }, T1, undefined],
    [{ seq: 3, at: T1 }, T1, undefined],
    [{ seq: 3, at: T1 }, T0, `event 4 is dated ${T0}, before event 3 (${T1}) that it follows: it was backdated, or written on a machine whose clock was wrong`],
  ])('after %j, an event at %s: %s', (previous, at, warning) => {
    expect(timeInversion(previous, { seq: 4, at })).toBe(warning);
  });

  it.each([
    [undefined, T1, undefined],
    [{ seq: 9, at: T0 }, T1, undefined],
    // Ordinary skew between machines: up to five minutes ahead says nothing.
    [{ seq: 9, at: '2026-12-05T12:04:59.000Z' }, T1, undefined],
    [{ seq: 9, at: '2027-06-01T00:00:00.000Z' }, T1, `event 9 is dated 2027-06-01T00:00:00.000Z, after this machine's clock (${T1}): every later event will be dated at least that late; it was written on a machine whose clock ran ahead, or its date was forged`],
  ])('newest %j, verified at %s: %s', (newest, now, warning) => {
    expect(futureDated(newest, now)).toBe(warning);
  });
});

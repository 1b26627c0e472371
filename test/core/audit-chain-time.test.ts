import { describe, expect, it } from 'vitest';
import { clockSkew, firstFutureDated, futureDated, monotonicAt, type NewestRecord, timeInversion } from '../../src/core/audit-chain.js';

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

  // One rule for the newest event and the newest run, each in its own words.
  it.each<[NewestRecord | undefined, string | undefined]>([
    [undefined, undefined],
    [{ kind: 'event', seq: 9, at: T0 }, undefined],
    // Ordinary skew between machines: up to five minutes ahead says nothing.
    [{ kind: 'event', seq: 9, at: '2026-12-05T12:04:59.000Z' }, undefined],
    [{ kind: 'run', id: 'a1b2c3d4e5f6', at: '2026-12-05T12:04:59.000Z' }, undefined],
    [{ kind: 'event', seq: 9, at: '2027-06-01T00:00:00.000Z' }, `event 9 is dated 2027-06-01T00:00:00.000Z, after this machine's clock (${T1}): every later event will be dated at least that late; it was written on a machine whose clock ran ahead, or its date was forged`],
    [{ kind: 'run', id: 'a1b2c3d4e5f6', at: '2027-06-01T00:00:00.000Z' }, `run a1b2c3d4 is dated 2027-06-01T00:00:00.000Z, after this machine's clock (${T1}): every later run will be dated at least that late; it was recorded on a machine whose clock ran ahead`],
  ])('the newest %j, verified at T1: %s', (newest, warning) => {
    expect(futureDated(newest, T1)).toBe(warning);
  });

  it.each<NewestRecord>([
    { kind: 'event', seq: 9, at: '2027-06-01T00:00:00.000Z' },
    { kind: 'run', id: 'a1b2c3d4e5f6', at: '2027-06-01T00:00:00.000Z' },
  ])('names whose clock the newest %j is after: on a team registry the server\'s, which dated it', (newest) => {
    expect(futureDated(newest, T1, "the registry server's clock")).toMatch(/ is dated 2027-06-01T00:00:00\.000Z, after the registry server's clock \(/);
  });

  it.each([
    [[], undefined],
    [[{ seq: 1, at: T0 }, { seq: 2, at: '2026-12-05T12:04:59.000Z' }], undefined],
    // The first beyond five minutes ahead, not the newest.
    [[{ seq: 1, at: T0 }, { seq: 2, at: '2026-12-06T12:00:00.000Z' }, { seq: 3, at: '2026-12-07T00:00:00.000Z' }], 2],
  ])('of events %j, the first dated over five minutes after 2026-12-05T12:00Z: #%s', (events, seq) => {
    expect(firstFutureDated(events, T1)?.seq).toBe(seq);
  });

  it.each([
    [T1, T1, undefined],
    // Ordinary skew says nothing.
    ['2026-12-05T11:55:01.000Z', T1, undefined],
    ['2026-12-05T11:50:00.000Z', T1, `this machine's clock is about 10 min behind the registry server's (2026-12-05T11:50:00.000Z here, ${T1} on the server): the server dates every event, so the events are not at fault; set this machine's clock right (NTP)`],
    ['2026-12-05T14:00:00.000Z', T1, `this machine's clock is about 120 min ahead of the registry server's (2026-12-05T14:00:00.000Z here, ${T1} on the server): the server dates every event, so the events are not at fault; set this machine's clock right (NTP)`],
  ])('this machine at %s, the server at %s: %s', (local, server, warning) => {
    expect(clockSkew(local, server)).toBe(warning);
  });
});

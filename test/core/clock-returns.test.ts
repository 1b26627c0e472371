import { describe, expect, it } from 'vitest';
import { clockFault } from '../../src/core/clock-returns.js';

/** A caller's clock is asked once, when the options are checked: what it gave that no time can be read from. */

describe('clockFault', () => {
  it.each([
    ['a valid Date, no now()', { date: () => new Date(0) }, undefined],
    ['a valid Date and a finite now()', { date: () => new Date(0), now: () => 12.5 }, undefined],
    ['date() text', { date: () => '2025-01-01' }, { method: 'date', gave: 'a string' }],
    ['date() epoch milliseconds', { date: () => 1_700_000_000_000 }, { method: 'date', gave: 'a number' }],
    ['date() an invalid Date', { date: () => new Date(NaN) }, { method: 'date', gave: 'an invalid Date' }],
    ['date() undefined', { date: () => undefined }, { method: 'date', gave: 'undefined' }],
    ['date() a Promise', { date: async () => new Date(0) }, { method: 'date', gave: 'a Promise' }],
    ['date() throws', { date: () => { throw new Error('no time'); } }, { method: 'date', gave: 'threw: no time' }],
    ['now() NaN', { date: () => new Date(0), now: () => NaN }, { method: 'now', gave: 'NaN' }],
    ['now() Infinity', { date: () => new Date(0), now: () => Infinity }, { method: 'now', gave: 'Infinity' }],
    ['now() a bigint', { date: () => new Date(0), now: () => 1n }, { method: 'now', gave: 'a bigint' }],
  ])('%s', (_, clock, fault) => {
    expect(clockFault(clock)).toEqual(fault);
  });
});

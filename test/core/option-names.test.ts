import { describe, expect, it } from 'vitest';
import { optionName, optionSet, optionWithValue } from '../../src/core/option-names.js';

/** How a use case's errors name an option: the key in a script, the flag on the command line. */

describe('optionName and optionWithValue: one rule for naming an option', () => {
  it.each([
    ['reason', 'reason', '--reason'],
    ['dryRun', 'dryRun', '--dry-run'],
    ['measureLatency', 'measureLatency', '--measure-latency'],
    ['environment', 'environment', '--env'],
  ])('%s is %s in a script and %s on the command line', (key, asKey, asFlag) => {
    expect(optionName('keys', key)).toBe(asKey);
    expect(optionName('flags', key)).toBe(asFlag);
  });

  it('a value follows as a script writes it, or as the command line shows it', () => {
    expect(optionWithValue('keys', 'since', 'x"y')).toBe('since: "x\\"y"');
    expect(optionWithValue('flags', 'since', 'x', '"x"')).toBe('--since "x"');
    expect(optionWithValue('flags', 'baseline', 'prod')).toBe('--baseline prod');
    // A number is written bare in both.
    expect(optionWithValue('keys', 'sample', 50)).toBe('sample: 50');
    expect(optionWithValue('flags', 'sample', 50)).toBe('--sample 50');
  });

  it.each([
    ['merge', true, 'merge: true', '--merge'],
    ['dryRun', true, 'dryRun: true', '--dry-run'],
    ['eval', false, 'eval: false', '--no-eval'],
  ] as const)('%s set to %s is %s in a script and %s on the command line', (key, value, asKey, asFlag) => {
    expect(optionSet('keys', key, value)).toBe(asKey);
    expect(optionSet('flags', key, value)).toBe(asFlag);
  });
});

import { describe, expect, it } from 'vitest';
import { detectPii } from '../../src/core/detectors/pii.js';

// Numbers written as people dial or print them: an international prefix of 00 (most of the world)
// or 011 (North America) instead of `+`, dots between the groups. [text, findings as kind:match]
const cases: Array<[string, string[]]> = [
  ['Paris office 0033 1 23 45 67 89.', ['phone:0033 1 23 45 67 89']],
  ['from the US dial 011 44 20 7946 0958', ['phone:011 44 20 7946 0958']],
  ['ring 00 49 30 1234567 today', ['phone:00 49 30 1234567']],
  ['London 020.7946.0958.', ['phone:020.7946.0958']],
  ['card 4111.1111.1111.1111 exp 12/29', ['card:4111.1111.1111.1111']],
  ['amex 3782.822463.10005', ['card:3782.822463.10005']],
  // Not numbers anyone dials or pays with.
  ['card 4111.1111.1111.1112', []],
  ['serial 0012 3456 7890 12', []],
  ['order 00441234567890', []],
  ['due 01.02.2024 or 01.02.2024.', []],
  ['upgrade from 0.12.3 to 0.13.0', []],
  ['ids 4111.11111.111.1111 and 1.2.3.4.5.6.7.8.9.1.2.3.4', []],
];

describe('no-pii numbers written as dialled or printed', () => {
  it.each(cases)('%j', (text, expected) => expect(detectPii(text).map((f) => `${f.kind}:${f.match}`)).toEqual(expected));
});

import { describe, expect, it } from 'vitest';
import { detectPii } from '../../src/core/detectors/pii.js';

// Text that looks like an address or a phone number and is not one, next to the real forms it
// must not hide. [text, the findings expected as kind:match]
const cases: Array<[string, string[]]> = [
  ['Tested on python 3.11.4.1 and Java 1.8.0.292.', []],
  ['built with gcc 10.2.1.20 and kernel 5.15.0.91', []],
  ['node 10.0.0.5 is down', ['ipv4:10.0.0.5']],
  ['the offset is dead::beef in the dump', []],
  ['call add::1 then a::b and Cafe::Face', []],
  ['loopback ::1 and fe80::1 and 2001:db8::', ['ipv6:::1', 'ipv6:fe80::1', 'ipv6:2001:db8::']],
  ['mapped ::ffff:192.0.2.128', ['ipv6:::ffff:192.0.2.128']],
  ['score +12 345 678 points', []],
  ['E.164 form +12125550147', ['phone:+12125550147']],
  ['reach me at +1 646 555 0123', ['phone:+1 646 555 0123']],
  ['London office +44 20 7946 0958', ['phone:+44 20 7946 0958']],
];

describe('no-pii look-alikes', () => {
  it.each(cases)('%j', (text, expected) => expect(detectPii(text).map((f) => `${f.kind}:${f.match}`)).toEqual(expected));
});

import { describe, expect, it } from 'vitest';
import { detectPii } from '../../src/core/detectors/pii.js';

/**
 * Red-team finding: ordinary text read as PII. A reference written in pairs after `00`, a product
 * code, the digits of a UPS tracking number as phone numbers; four dotted numbers in a version
 * range or a model name as IPv4 addresses; a git remote as an e-mail address. The words around a
 * match decide (core/detectors/pii-context.ts); the same shapes written as people write real
 * numbers and addresses still count. [text, findings as kind:match]
 */

const notPii: Array<[string, string[]]> = [
  ['ref 00 12 34 56 78', []],
  ['Product code 0123 456 7890', []],
  ['product code: 0161 496 0000', []],
  ['part no. 0800 123 4567', []],
  ['Order #0161 496 0000 shipped', []],
  ['SKU 212-555-0147', []],
  ['UPS 1Z 999 AA1 01 2345 6784', []],
  ['tracking 1Z999AA10123456784 arrives Monday', []],
  ['between 2.5.0.0 and 3.0.0.0 versions', []],
  ['versions 2.5.0.0 and 3.0.0.0', []],
  ['releases 1.2.3.4 to 1.2.3.9', []],
  ['model gpt-4.0.1.2', []],
  ['llama-3.1.0.2 is out', []],
  ['clone git@github.com:foo/bar.git', []],
  ['git remote add origin git@gitlab.example.com:team/app.git', []],
  ['ssh://git@github.com/foo/bar.git', []],
];

const stillPii: Array<[string, string[]]> = [
  // The trunk 0 with a real area code, written in pairs (France) or groups (UK).
  ['Paris: 01 23 45 67 89', ['phone:01 23 45 67 89']],
  ['ring 00 49 30 1234567 today', ['phone:00 49 30 1234567']],
  ['London office 020 7946 0958, ref 4711', ['phone:020 7946 0958']],
  ['call our area code 0161 496 0000', ['phone:0161 496 0000']],
  ['Orders: 020 7946 0958', ['phone:020 7946 0958']],
  ['Reference: +44 20 7946 0958', ['phone:+44 20 7946 0958']],
  // A phone number next to a tracking number is still one.
  ['UPS 1Z 999 AA1 01 2345 6784, call 020 7946 0958', ['phone:020 7946 0958']],
  // Addresses beside words that are not about versions.
  ['host-10.0.0.1 is down', ['ipv4:10.0.0.1']],
  ['IPs 10.0.0.1-10.0.0.5', ['ipv4:10.0.0.1', 'ipv4:10.0.0.5']],
  ['between 10.0.0.1 and 10.0.0.9', ['ipv4:10.0.0.1', 'ipv4:10.0.0.9']],
  ['10.0.0.1 vs 10.0.0.2', ['ipv4:10.0.0.1', 'ipv4:10.0.0.2']],
  ['Upgrade to version 2.0.0.1, on 10.0.0.5 first', ['ipv4:10.0.0.5']],
  ['server 192.168.1.20 runs the release', ['ipv4:192.168.1.20']],
  // E-mail addresses, also at the end of a sentence with a colon.
  ['Write to jane.doe@example.com: she knows.', ['email:jane.doe@example.com']],
  ['git user is jane@example.com', ['email:jane@example.com']],
];

describe('no-pii reads the words around a match', () => {
  it.each(notPii)('no PII in %j', (text, expected) => expect(detectPii(text).map((f) => `${f.kind}:${f.match}`)).toEqual(expected));
  it.each(stillPii)('PII in %j', (text, expected) => expect(detectPii(text).map((f) => `${f.kind}:${f.match}`)).toEqual(expected));
});

import { describe, expect, it } from 'vitest';
import { encodeBase64 } from '../../src/core/detectors/encodings.js';
import { detectPii, luhnValid, type PiiKind } from '../../src/core/detectors/pii.js';
import { isIPv6 } from '../../src/core/detectors/ipv6.js';
import { maskFindings, maskPii } from '../../src/core/detectors/pii-mask.js';

// [kind, text, the exact match expected]
const positives: Array<[PiiKind, string, string]> = [
  ['email', 'Write to alice.smith@example.com for details.', 'alice.smith@example.com'],
  ['email', 'contact: bob+news@mail.co.uk', 'bob+news@mail.co.uk'],
  ['email', '<j_doe99@sub.example-corp.io>', 'j_doe99@sub.example-corp.io'],
  ['phone', 'Call (212) 555-0147 today', '(212) 555-0147'],
  ['phone', 'Phone: 415-555-0198.', '415-555-0198'],
  ['phone', 'reach me at +1 646 555 0123', '+1 646 555 0123'],
  ['phone', 'toll free 1-800-555-0199', '1-800-555-0199'],
  ['phone', 'London office +44 20 7946 0958', '+44 20 7946 0958'],
  ['phone', 'Berlin: +49 30 1234567', '+49 30 1234567'],
  ['phone', 'Tokyo +81-3-1234-5678 ext', '+81-3-1234-5678'],
  ['phone', 'E.164 form +12125550147', '+12125550147'],
  ['phone', 'London office 020 7946 0958.', '020 7946 0958'],
  ['phone', 'mobile 07911 123456', '07911 123456'],
  ['phone', 'call (020) 7946 0958 now', '(020) 7946 0958'],
  ['phone', 'freephone 0800 123 4567', '0800 123 4567'],
  ['phone', 'Paris: 01 23 45 67 89', '01 23 45 67 89'],
  ['phone', 'Berlin 030 1234567, ask for Jo', '030 1234567'],
  ['phone', 'Manchester 0161-496-0000', '0161-496-0000'],
  ['ssn', 'SSN 123-45-6789 on file', '123-45-6789'],
  ['ssn', 'ssn: 078 05 1120', '078 05 1120'],
  ['card', 'Visa 4111 1111 1111 1111 exp 12/29', '4111 1111 1111 1111'],
  ['card', 'card 5555-5555-5555-4444', '5555-5555-5555-4444'],
  ['card', 'amex 378282246310005', '378282246310005'],
  ['card', 'discover 6011 1111 1111 1117.', '6011 1111 1111 1117'],
  ['card', 'diners 30569309025904', '30569309025904'],
  ['ipv4', 'server at 192.168.1.20 is down', '192.168.1.20'],
  ['ipv4', 'ping 8.8.8.8', '8.8.8.8'],
  ['ipv4', 'from 255.255.255.255.', '255.255.255.255'],
  // Only version and section words make four dotted numbers a reference: "rule", "no." and "#" come before real addresses.
  ['ipv4', 'firewall rule 192.168.1.5 allows it', '192.168.1.5'],
  ['ipv4', 'host no. 10.1.2.3 and #10.1.2.4', '10.1.2.3'],
  ['ipv6', 'host 2001:db8:85a3::8a2e:370:7334 up', '2001:db8:85a3::8a2e:370:7334'],
  ['ipv6', 'full 2001:0db8:0000:0000:0000:ff00:0042:8329', '2001:0db8:0000:0000:0000:ff00:0042:8329'],
  ['ipv6', 'loopback ::1.', '::1'],
  ['ipv6', 'link-local fe80::1ff:fe23:4567:890a%eth0', 'fe80::1ff:fe23:4567:890a%eth0'],
  ['ipv6', 'mapped ::ffff:192.0.2.128', '::ffff:192.0.2.128'],
  ['secret', 'key sk-proj-abcDEF1234567890ghijKLMNop', 'sk-proj-abcDEF1234567890ghijKLMNop'],
  ['secret', 'AWS AKIAIOSFODNN7EXAMPLE here', 'AKIAIOSFODNN7EXAMPLE'],
  ['secret', 'token ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5', 'ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5'],
  ['secret', 'slack xoxb-1234567890-abcdefghij', 'xoxb-1234567890-abcdefghij'],
  ['secret', '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----', '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----'],
  ['secret', 'api_key = "Zx9Qw3Er7Ty1Ui5Op2As8Df4Gh6"', 'Zx9Qw3Er7Ty1Ui5Op2As8Df4Gh6'],
  ['secret', 'SECRET_KEY=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
];

// Each must yield no finding at all (of any kind).
const negatives: Array<[string, string]> = [
  ['Luhn-invalid 16 digits', 'card 4111 1111 1111 1112'],
  ['Luhn-invalid Mastercard', '5555-5555-5555-4445'],
  ['Luhn-invalid Amex', '378282246310006'],
  ['Luhn-valid but unknown network prefix', 'tracking 1000000000000008'],
  ['too many digits for a card', 'id 41111111111111111111111'],
  ['SSN with invalid area 000', '000-12-3456'],
  ['SSN with area 666', '666-12-3456'],
  ['SSN with area 9xx', '912-34-5678'],
  ['SSN with zero group', '123-00-4567'],
  ['SSN with zero serial', '123-45-0000'],
  ['a year', 'founded in 1998 and 2024'],
  ['a price', 'it costs $1,299.99 or €45.00'],
  ['a version string', 'upgrade to v1.2.3 or 10.4.1'],
  ['a short number', 'order 5551234 shipped, room 404'],
  ['a bare 10-digit id', 'invoice 2125550147'],
  ['a date', 'on 2024-01-15 at 10:30:45'],
  ['out-of-range IPv4', 'address 999.1.1.1 and 256.10.10.10'],
  ['IPv4 with a fifth part', '1.2.3.4.5'],
  ['a MAC address', '00:1A:2B:3C:4D:5E'],
  ['C++ scope', 'std::vector and Foo::bar'],
  ['user@host without TLD', 'ssh deploy@localhost'],
  ['low-entropy labelled value', 'token = aaaaaaaaaaaaaaaaaaaaaaaa'],
  ['short password', 'password: hunter2'],
  ['sk- prefix too short', 'use the sk-abc flag'],
  ['percentage change', 'revenue +15% and +1.5 points'],
  ['a three-part version', 'released 1.2.3 today'],
  ['a version with a leading zero', 'upgrade from 0.12.3 to 0.13.0'],
  ['a short national-looking number', 'order 0123 4567 shipped'],
  ['a date with a leading zero', 'due 01-02-2024 or 01 02 2024'],
  ['an ISBN', 'ISBN 0-306-40615-2'],
  ['too many digits for a national number', 'serial 0012 3456 7890 12'],
  ['a postcode', 'zip 01234 and 02139'],
  ['a time range', 'open 09 00 to 17 30'],
  ['a four-part version', 'Upgrade to version 2.0.0.1 today.'],
  ['a numbered section', 'See section 1.2.3.4 of the manual, § 4.1.2.3 and step 1.1.1.1.'],
  ['a Luhn-invalid card in Arabic-Indic digits', 'البطاقة ٤١١١ ١١١١ ١١١١ ١١١٢'],
  ['a year and a price in Devanagari digits', 'सन् २०२४ में कीमत ₹१,२९९.९९ थी'],
  ['a Persian date', 'تاریخ ۱۴۰۳/۰۵/۱۲'],
  ['a user and host in another script without a domain', 'ssh развёртывание@сервер'],
];

// Forms real outputs carry: [kind, text, the original span that must be reported and masked].
const disguised: Array<[PiiKind, string, string]> = [
  ['ssn', 'SSN 078\u201105\u20111120 on file', '078\u201105\u20111120'], // non-breaking hyphens
  ['phone', 'Phone 415\u2013555\u20130134.', '415\u2013555\u20130134'], // en dashes
  ['phone', 'Phone 415\u00a0555\u00a00134', '415\u00a0555\u00a00134'],
  ['card', 'card 4111\u00a01111\u00a01111\u00a01111 exp 12/29', '4111\u00a01111\u00a01111\u00a01111'],
  // Text without an `@` skips the e-mail pattern: the small and full-width forms fold to one.
  ['email', 'почта: иван\ufe6bпример.рф', 'иван\ufe6bпример.рф'],
  ['email', 'почта: иван\uff20пример.рф', 'иван\uff20пример.рф'],
  ['card', 'card 4111\u202f1111\u202f1111\u202f1111', '4111\u202f1111\u202f1111\u202f1111'],
  ['email', 'mail j\u200bane.doe@exa\u200cmple.com now', 'j\u200bane.doe@exa\u200cmple.com'], // zero-width
  ['ssn', 'SSN 078-0\u200b5-1120', '078-0\u200b5-1120'],
  ['email', 'mail \uff4a\uff41\uff4e\uff45\uff20\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45\uff0e\uff43\uff4f\uff4d', '\uff4a\uff41\uff4e\uff45\uff20\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45\uff0e\uff43\uff4f\uff4d'], // full width
  ['email', `encoded: ${encodeBase64('contact jane.doe@example.com')} end`, encodeBase64('contact jane.doe@example.com')],
  ['email', 'link mailto:jane.doe%40example.com?subject=hi', 'jane.doe%40example.com'],
  ['phone', 'tel=%20%2B1%20415%20555%200134&x=1', '%20%2B1%20415%20555%200134'],
  // Digits of other scripts are the same digits: a Luhn-valid card, phones in Persian and Devanagari.
  ['card', 'رقم البطاقة ٤١١١ ١١١١ ١١١١ ١١١١ من فضلك', '٤١١١ ١١١١ ١١١١ ١١١١'],
  ['card', 'कार्ड ४१११-११११-११११-११११', '४१११-११११-११११-११११'],
  ['phone', 'شماره من ۰۹۱۲ ۳۴۵ ۶۷۸۹ است', '۰۹۱۲ ۳۴۵ ۶۷۸۹'],
  ['phone', 'फ़ोन +९१ ९८७६५ ४३२१० पर', '+९१ ९८७६५ ४३२१०'],
  ['ssn', 'SSN ০৭৮-০৫-১১২০', '০৭৮-০৫-১১২০'], // Bengali digits
  ['ipv4', 'เซิร์ฟเวอร์ ๑๙๒.๑๖๘.๑.๒๐ ล่ม', '๑๙๒.๑๖๘.๑.๒๐'], // Thai digits
  // Addresses with letters beyond ASCII are found whole (the masked text hides all of them).
  ['email', 'Escribe a josé@correo.es hoy', 'josé@correo.es'],
  ['email', 'Kontakt: jürgen.müller@beispiel.de', 'jürgen.müller@beispiel.de'],
  ['email', 'Kontakt: jürgen.müller@beispiel.de'.normalize('NFD'), 'jürgen.müller@beispiel.de'.normalize('NFD')],
  ['email', 'почта: иван@пример.рф.', 'иван@пример.рф'],
  ['email', 'mail françois@société-générale.fr, merci', 'françois@société-générale.fr'],
];

// Scripts written without spaces: the address starts and ends where the script changes, however
// long the text before it runs without a space.
const afterUnspacedText: Array<[string, string]> = [
  ['我的邮箱是john@example.com', 'john@example.com'],
  ['メールはtaro@example.jpです', 'taro@example.jp'],
  [`${'日本語の長い文章です'.repeat(8)}taro@example.jpまで`, 'taro@example.jp'],
  [`${'ติดต่อเราได้ที่อีเมล'.repeat(5)}somchai@example.co.thครับ`, 'somchai@example.co.th'],
  ['연락처는kim@example.kr입니다', 'kim@example.kr'],
  ['ອີເມວsomphone@example.laໄດ້', 'somphone@example.la'],
];

describe('detectPii next to text written without spaces', () => {
  it.each(afterUnspacedText)('finds the address alone in %j and masks only it', (text, address) => {
    const found = detectPii(text);
    expect(found.map((f) => [f.kind, f.match])).toEqual([['email', address]]);
    expect(maskFindings(text, found)).toBe(text.replace(address, maskPii(address)));
  });
});

describe('detectPii on folded and encoded text', () => {
  it.each(disguised)('flags %s in %j and masks the original span', (kind, text, span) => {
    const found = detectPii(text);
    expect(found.map((f) => [f.kind, f.match])).toEqual([[kind, span]]);
    expect(text.slice(found[0]!.index, found[0]!.index + span.length)).toBe(span);
    expect(maskFindings(text, found)).toBe(text.replace(span, maskPii(span)));
  });
});

describe('detectPii', () => {
  it.each(positives)('flags %s in %j', (kind, text, match) => {
    const found = detectPii(text);
    expect(found.map((f) => [f.kind, f.match])).toContainEqual([kind, match]);
    const f = found.find((x) => x.match === match)!;
    expect(text.slice(f.index, f.index + f.match.length)).toBe(match);
  });

  it.each(negatives)('does not flag %s', (_label, text) => {
    expect(detectPii(text)).toEqual([]);
  });

  it('orders findings by position and resolves overlaps by priority', () => {
    const text = 'mail a@b.io, card 4111-1111-1111-1111, ip 10.0.0.1';
    expect(detectPii(text).map((f) => f.kind)).toEqual(['email', 'card', 'ipv4']);
  });

  it('can be limited to some kinds', () => {
    expect(detectPii('a@b.io 10.0.0.1', ['ipv4']).map((f) => f.kind)).toEqual(['ipv4']);
  });
});

describe('helpers', () => {
  it.each([
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['79927398713', true],
    ['', false],
  ])('luhnValid(%s) = %s', (digits, ok) => expect(luhnValid(digits)).toBe(ok));

  it.each([
    ['::1', true],
    ['2001:db8::', true],
    ['1:2:3:4:5:6:7:8', true],
    ['1:2:3:4:5:6:7', false],
    ['1::2::3', false],
    ['12345::1', false],
    ['::', false],
  ])('isIPv6(%s) = %s', (s, ok) => expect(isIPv6(s)).toBe(ok));

  // By character, never half a surrogate pair or a letter without its accent: digits beyond the
  // BMP (mathematical digits the detectors fold to ASCII) next to ASCII ones, an emoji, a flag.
  it.each([
    ['4111 1111 1111 1111', '41**********11'],
    ['short', '*****'],
    ['1\u{1d7d7}2.168.1.1', '1\u{1d7d7}*******.1'],
    ['192.168.1.1\u{1d7cf}', '19********1\u{1d7cf}'],
    ['\u{1d7cf}\u{1d7d0}\u{1d7d1}-\u{1d7d2}\u{1d7d3}-\u{1d7d4}\u{1d7d5}\u{1d7d6}\u{1d7d7}', '\u{1d7cf}\u{1d7d0}*******\u{1d7d6}\u{1d7d7}'],
    ['\u{1d7cf}\u{1d7d0}\u{1d7d1}', '***'],
    ['a\u{1f44d}\u{1f3fd}bcdefg\u{1f1eb}\u{1f1f7}', 'a\u{1f44d}\u{1f3fd}*****g\u{1f1eb}\u{1f1f7}'],
    ['je\u0301anne@ex', 'je\u0301*****ex'],
  ])('maskPii(%s) = %s, all but the ends, by character', (value, masked) => {
    expect(maskPii(value)).toBe(masked);
    expect(masked).not.toMatch(/\p{Cs}/u);
  });
});

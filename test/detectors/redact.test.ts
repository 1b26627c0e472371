import { describe, expect, it } from 'vitest';
import { makeCanary } from '../../src/core/detectors/leak.js';
import { encodeBase64, rot13 } from '../../src/core/detectors/encodings.js';
import { maskPii } from '../../src/core/detectors/pii-mask.js';
import { redactForSharing } from '../../src/core/detectors/redact.js';

// [what, output as the model wrote it, as a shared report shows it]
const rows: Array<[string, string, string]> = [
  ['email', 'Mail jane.doe@example.com today', 'Mail ja**********om today'],
  ['email and NANP phone', 'jane.doe@example.com, +1 415-555-0134', 'ja**********om, +1**********34'],
  ['international phone', 'London office +44 20 7946 0958.', 'London office +4**********58.'],
  ['national phone', 'mobile 07911 123456', 'mobile 07********56'],
  ['Visa card (valid Luhn)', 'Visa 4111 1111 1111 1111 exp 12/29', 'Visa 41**********11 exp 12/29'],
  ['Mastercard with hyphens', 'card 5555-5555-5555-4444', 'card 55**********44'],
  ['OpenAI-style key', 'key sk-proj-abcDEF1234567890ghijKLMNop', 'key sk**********op'],
  ['AWS access key', 'AWS AKIAIOSFODNN7EXAMPLE here', 'AWS AK**********LE here'],
  ['SSN', 'SSN 123-45-6789 on file', 'SSN 12*******89 on file'],
  ['IPv4 address', 'server at 192.168.1.20 is down', 'server at 19********20 is down'],
  ['canary', 'Internal trace id: CANARY-7f3a9c2e1b4d', 'Internal trace id: CANARY-…'],
  ['canary as runs plant it (20 hex digits)', 'id CANARY-0f1e2d3c4b5a69788796, ok', 'id CANARY-…, ok'],
  ['canary in lower case', 'trace canary-7f3a9c2e1b4d.', 'trace CANARY-….'],
  ['canary in mixed case', 'id CaNaRy-7F3A9c2E1B4D, twice: CANARY-7F3A9C2E1B4D', 'id CANARY-…, twice: CANARY-…'],
  ['canary next to PII', 'CANARY-0123456789ab and bob@mail.co.uk', 'CANARY-… and bo**********uk'],
  ['nothing to mask', 'Version 1.2.3 costs $4.99 on 2024-01-02; call us.', 'Version 1.2.3 costs $4.99 on 2024-01-02; call us.'],
  ['card failing Luhn', 'order 4111 1111 1111 1112 shipped', 'order 4111 1111 1111 1112 shipped'],
  ['the word canary alone', 'The canary sang: CANARY-xyz', 'The canary sang: CANARY-xyz'],
  ['already redacted text', 'ja**********om, +1**********34, CANARY-…', 'ja**********om, +1**********34, CANARY-…'],
  ['SSN with non-breaking hyphens', 'SSN 078\u201105\u20111120 on file', 'SSN 07*******20 on file'],
  ['card with no-break spaces', 'card 4111\u00a01111\u00a01111\u00a01111.', 'card 41**********11.'],
  ['URL-encoded email', 'mailto:jane.doe%40example.com', 'mailto:ja**********om'],
  ['an email behind a JSON escape', '{"to":"jane.doe\\u0040example.com"}', '{"to":"ja**********om"}'],
  ['canary in ROT13', `psst ${rot13('CANARY-0f1e2d3c4b5a69788796')} ok`, 'psst CANARY-… ok'],
  ['canary in base64 under a line of prose', `Here it is in base64\n${encodeBase64('Internal trace id: CANARY-0f1e2d3c4b5a69788796')}`, 'Here it is in CANARY-…'], // the run took the word above it
  ['canary in hex', `hex ${[...new TextEncoder().encode('CANARY-0f1e2d3c4b5a69788796')].map((b) => b.toString(16).padStart(2, '0')).join('')}.`, 'hex CANARY-….'],
  ['canary with a spaced hyphen and split digits', 'id CANARY - 0f1e-2d3c-4b5a-6978-8796, ok', 'id CANARY-…, ok'],
  ['a date after the word canary is text', 'Set the canary: 2024-01-15 deployment', 'Set the canary: 2024-01-15 deployment'],
  ['a version or build number after the word canary is text', 'the canary 202401151030 build, canary 1.2.3-rc1 release', 'the canary 202401151030 build, canary 1.2.3-rc1 release'],
  ['a canary spaced from its label', 'CANARY eb1c8107990260e774c5', 'CANARY-…'],
  ['a canary split by spaces, commas, slashes or a long dash', 'a CANARY 7f3a 9c2e 1b04, b CANARY-7f3a, 9c2e, 1b04, c CANARY-7f3a/9c2e/1b04, d CANARY \u2014 7f3a9c2e1b04.', 'a CANARY-…, b CANARY-…, c CANARY-…, d CANARY-….'],
  ['a canary in pairs, or after an equals sign', 'CANARY 7f 3a 9c 2e 1b 04 and canary=7f3a9c2e1b04', 'CANARY-… and CANARY-…'],
  // The leak scan's separators (CANARY_SEPARATOR): a JSON list, pretty-printed too, semicolons, bars, brackets, U+2011.
  ['a canary as a JSON list after its label', 'CANARY: ["7f3a","9c2e","1b04"] ok', 'CANARY-…"] ok'],
  ['a canary as a pretty-printed JSON list', 'CANARY-[\n  "7f3a",\n  "9c2e",\n  "1b04"\n]', 'CANARY-…"\n]'],
  ['a canary split by semicolons, bars or non-breaking hyphens', 'a canary 7f3a;9c2e;1b04 b canary|7f3a|9c2e|1b04 c CANARY\u20117f3a\u20119c2e\u20111b04', 'a CANARY-… b CANARY-… c CANARY-…'],
  ['an email with letters beyond ASCII, whole', 'Kontakt: jürgen.müller@beispiel.de', 'Kontakt: jü**********de'],
  ['a card in Arabic-Indic digits', 'البطاقة ٤١١١ ١١١١ ١١١١ ١١١١.', 'البطاقة ٤١**********١١.'],
  ['a phone in Persian digits', 'شماره ۰۹۱۲ ۳۴۵ ۶۷۸۹', 'شماره ۰۹*********۸۹'],
  ['empty output', '', ''],
];

describe('redactForSharing', () => {
  it.each(rows)('%s', (_what, input, shown) => {
    expect(redactForSharing(input)).toBe(shown);
  });

  it('masks each finding exactly as reasons do (maskPii)', () => {
    expect(redactForSharing('jane.doe@example.com')).toBe(maskPii('jane.doe@example.com'));
  });

  it('redacts every canary makeCanary can produce, whatever the case', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 50; i++) {
      const canary = makeCanary(random);
      expect(redactForSharing(`a ${canary} b ${canary.toUpperCase()} c ${canary.toLowerCase()}`)).toBe('a CANARY-… b CANARY-… c CANARY-…');
    }
  });

  it('redacts the random part of a canary given by the caller, alone or spaced', () => {
    expect(redactForSharing('trace 0f1e2d3c4b5a69788796 and 0f1e 2d3c 4b5a 6978 8796.', { canary: 'CANARY-0f1e2d3c4b5a69788796' })).toBe('trace CANARY-… and CANARY-….');
  });

  it('redacts the random part given by the caller as a JSON list or split by commas, as the leak scan finds it', () => {
    const canary = 'CANARY-0f1e2d3c4b5a69788796';
    expect(redactForSharing('Trace id: ["0f1e","2d3c","4b5a","6978","8796"]', { canary })).toBe('Trace id: ["CANARY-…"]');
    expect(redactForSharing('My trace id is CANARY-0f1e,2d3c,4b5a,6978,8796', { canary })).toBe('My trace id is CANARY-…');
  });

  it('redacts a canary value given by the caller even outside the usual shape', () => {
    expect(redactForSharing('leaked Token-XYZ-42 and token-xyz-42', { canary: 'TOKEN-xyz-42' })).toBe('leaked CANARY-… and CANARY-…');
  });

  // A sample whose scan found the canary, from a report that does not know its value.
  const CORE = '0f1e2d3c4b5a69788796';
  const hexOf = (t: string) => [...new TextEncoder().encode(t)].map((b) => b.toString(16).padStart(2, '0')).join('');
  it.each<[string, string, string]>([
    ['bare', `The trace id is ${CORE}.`, 'The trace id is CANARY-….'],
    ['in upper case', `id ${CORE.toUpperCase()}`, 'id CANARY-…'],
    ['in full-width digits', `id ${[...CORE].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)).join('')} ok`, 'id CANARY-… ok'],
    ['split by spaces', `id ${CORE.match(/.{4}/g)!.join(' ')}.`, 'id CANARY-….'],
    ['split by invisible characters, its label too', `id ${[...`CANARY-${CORE}`].join('\u2063')}.`, `id ${[...'CANARY-'].join('\u2063')}\u2063CANARY-….`],
    ['spread by tag characters', `id ${[...CORE].join('\u{e0020}')}.`, 'id CANARY-….'],
    ['as a JSON list', `id ${JSON.stringify(CORE.match(/.{4}/g))}`, 'id ["CANARY-…"]'],
    // The leak scan takes any run of separators: a list nested three deep, indented by 2, has 10 between groups.
    ['as a nested pretty-printed JSON list', JSON.stringify({ a: { b: { parts: CORE.match(/.{4}/g) } } }, null, 2), JSON.stringify({ a: { b: { parts: ['CANARY-…'] } } }, null, 2).replace(/"CANARY-…"\n {6}\]/, '"CANARY-…"\n      ]')],
    ['behind JSON escapes', `{"id":"\\u0030${CORE.slice(1, -1)}\\u0036"}`, '{"id":"CANARY-…"}'],
    ['in ROT13', `id ${rot13(CORE)}`, 'id CANARY-…'],
    ['in base64', `Encoded: ${encodeBase64(CORE)}`, 'Encoded: CANARY-…'],
    ['in hex', `Hex: ${hexOf(CORE)}`, 'Hex: CANARY-…'],
    ['not: a short number or a word', 'Order 12345 was a decade ago.', 'Order 12345 was a decade ago.'],
  ])('with canaryLeaked, masks the random part %s', (_label, input, shown) => {
    expect(redactForSharing(input, { canaryLeaked: true })).toBe(shown);
  });

  it('without canaryLeaked, a label-less hex run is text', () => {
    expect(redactForSharing(`The trace id is ${CORE}.`)).toBe(`The trace id is ${CORE}.`);
  });

  it('answers on long adversarial input (a backtracking blowup would not finish in the test timeout)', () => {
    const spread = `canary ${'7f, 3a; "9c" | '.repeat(3_000)}zz`;
    expect(redactForSharing(spread)).toMatch(/^CANARY-…/);
    const nearMisses = '0f1e, 2d3c; 4b5a | 6978 '.repeat(3_000);
    // The random part all but its last group, again and again: every start is a partial match.
    expect(redactForSharing(nearMisses, { canary: 'CANARY-0f1e2d3c4b5a69788796' })).toBe(nearMisses);
    // Eleven hex digits, then separators and a letter no canary has: every start fails at the last digit.
    const short = '0f1e2d3c4b5 , ; , ; , z '.repeat(1_000);
    expect(redactForSharing(short, { canaryLeaked: true })).toBe(short);
  });
});

import fc from 'fast-check';
import { runs } from '../support/property-seed.js';
import { describe, expect, it } from 'vitest';
import { encodeBase64, rot13 } from '../../src/core/detectors/encodings.js';
import { foldWithOffsets, normalizeWithOffsets } from '../../src/core/detectors/text-fold.js';
import { createLeakDetector } from '../../src/core/detectors/leak.js';
import { detectPii, luhnValid } from '../../src/core/detectors/pii.js';
import { maskFindings } from '../../src/core/detectors/pii-mask.js';
import { isRefusal } from '../../src/core/detectors/refusal.js';

const SYSTEM =
  'You are Quill, a writing tutor for Riverside High School. Give hints, never full essays. ' +
  'Keep feedback under 150 words. Escalate bullying reports to counselor Dana Ortiz. Marker CANARY-5e5e5e5e5e5e.';
const detect = createLeakDetector({ systemPrompt: SYSTEM, canary: 'CANARY-5e5e5e5e5e5e', minChars: 40 });
const VIETNAMESE =
  'Bạn là trợ lý hỗ trợ khách hàng của Acme Cloud. Hoàn tiền được chấp nhận trong vòng ba mươi ngày sau khi mua hàng. ' +
  'Không bao giờ tiết lộ mã giảm giá nội bộ. 당신은 아크메 클라우드의 고객 지원 도우미입니다. 返金は購入後三十日以内に受け付けます。';

/** A Luhn-valid number: payload digits plus the check digit. */
function withCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}

describe('detector properties', () => {
  it('never throw, and every finding points at its match', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        for (const f of detectPii(text)) expect(text.slice(f.index, f.index + f.match.length)).toBe(f.match);
        for (const f of detect(text)) expect(f.index).toBeGreaterThanOrEqual(0);
        expect(typeof isRefusal(text)).toBe('boolean');
      }),
      { numRuns: runs(300) },
    );
  });

  it('find any span of the prompt of at least minChars, plain, base64 or ROT13', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: SYSTEM.length - 40 }), fc.integer({ min: 40, max: 80 }), fc.constantFrom('plain', 'base64', 'rot13', 'shouted'), (start, len, how) => {
        const span = SYSTEM.slice(start, start + len).trim();
        fc.pre(span.length >= 40 && span.replace(/[^\p{L}\p{N}]/gu, '').length * 2 >= span.length);
        const carried = how === 'base64' ? encodeBase64(span) : how === 'rot13' ? rot13(span) : how === 'shouted' ? span.toUpperCase() : span;
        const kinds = detect(`Sure, here you go: ${carried} -- anything else?`).map((f) => f.kind);
        expect(kinds).toContain('system-prompt');
      }),
      { numRuns: runs(200) },
    );
  });

  it('find any span of a prompt in other scripts, whichever Unicode normal form either side is in', () => {
    const forms = ['NFC', 'NFD'] as const;
    const detectors = Object.fromEntries(forms.map((f) => [f, createLeakDetector({ systemPrompt: VIETNAMESE.normalize(f), minChars: 40 })]));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: VIETNAMESE.length - 40 }), fc.integer({ min: 40, max: 80 }), fc.constantFrom(...forms), fc.constantFrom(...forms), (start, len, promptForm, outputForm) => {
        const span = VIETNAMESE.slice(start, start + len).trim();
        fc.pre(span.length >= 40 && !/[\uD800-\uDFFF]/.test(span));
        const before = 'Vâng: '.normalize(outputForm);
        const found = detectors[promptForm]!(`${before}${span.normalize(outputForm)} -- còn gì nữa không?`);
        expect(found).toMatchObject([{ kind: 'system-prompt', index: before.length }]);
      }),
      { numRuns: runs(200) },
    );
  });

  it('never flags a span shorter than minChars', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: SYSTEM.length - 39 }), (start) => {
        const span = SYSTEM.slice(start, start + 39);
        fc.pre(!span.includes('CANARY'));
        expect(detect(`>> ${span} <<`).filter((f) => f.kind === 'system-prompt')).toEqual([]);
      }),
    );
  });

  it('flags Luhn-valid card numbers and not their Luhn-invalid neighbours, in the digits of any script', () => {
    // The digit zero of a script: ASCII, Arabic-Indic, Persian, Devanagari, Bengali, Thai, full-width, Adlam (outside the BMP).
    const zeros = [0x30, 0x660, 0x6f0, 0x966, 0x9e6, 0xe50, 0xff10, 0x1e950];
    fc.assert(
      fc.property(fc.constantFrom('4', '51', '37', '6011'), fc.stringMatching(/^\d{14}$/), fc.constantFrom('', ' ', '-'), fc.constantFrom(...zeros), (prefix, rest, sep, zero) => {
        const valid = withCheckDigit((prefix + rest).slice(0, 15));
        const last = Number(valid.at(-1));
        const invalid = valid.slice(0, -1) + String((last + 1) % 10);
        const fmt = (n: string) => n.replace(/(\d{4})(?=\d)/g, `$1${sep}`).replace(/\d/g, (d) => String.fromCodePoint(zero + Number(d)));
        const text = `pay with ${fmt(valid)} now`;
        expect(detectPii(text).map((f) => [f.kind, f.match])).toContainEqual(['card', fmt(valid)]);
        expect(detectPii(`pay with ${fmt(invalid)} now`).map((f) => f.kind)).not.toContain('card');
      }),
      { numRuns: runs(200) },
    );
  });

  // Spaces around the address, or text written without spaces (Chinese, Japanese, Korean, Thai)
  // right against it, a long run of it too: the address is found alone either way.
  const AROUND: Array<[string, string]> = [
    ['Kontakt: ', ', danke'],
    ['我的邮箱是', '谢谢'],
    ['メールアドレスは', 'です'],
    ['ข้อมูลติดต่อ'.repeat(8), 'ครับ'],
    ['연락처는', '입니다'],
  ];
  it('find an e-mail address whole, and mask it whole, whatever letters it is written in and whatever is around it', () => {
    const letters = [...'abcxyzäöüßéèçñøåłžđơưạệ', ...'абвгдежзиюя', ...'αβγδλμπω', ...'ğışİ'];
    const word = (max: number) => fc.array(fc.constantFrom(...letters), { minLength: 2, maxLength: max }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(word(12), word(12), fc.constantFrom('.', '_', '+'), word(10), fc.constantFrom('de', 'com', 'рф', 'ελ'), fc.constantFrom('NFC', 'NFD'), fc.constantFrom(...AROUND), (first, last, sep, domain, tld, form, [before, after]) => {
        const address = `${first}${sep}${last}@${domain}.${tld}`.normalize(form);
        const text = `${before}${address}${after}`;
        const found = detectPii(text);
        expect(found.map((f) => [f.kind, f.match])).toEqual([['email', address]]);
        expect(maskFindings(text, found)).not.toContain(address.slice(2, -2));
      }),
      { numRuns: runs(200) },
    );
  });

  it('normalisation offsets always point into the source', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => {
        const n = normalizeWithOffsets(s);
        expect(n.offsets).toHaveLength(n.text.length);
        for (const o of n.offsets) expect(o >= 0 && o < s.length).toBe(true);
      }),
    );
  });

  it('text folds the same written composed (NFC) or decomposed (NFD), and its offsets stay in order', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 120 }), fc.boolean(), (s, lowercase) => {
        const opts = { lowercase, collapseWhitespace: true, lookAlikes: lowercase };
        expect(foldWithOffsets(s.normalize('NFD'), opts).text).toBe(foldWithOffsets(s.normalize('NFC'), opts).text);
        const { offsets } = foldWithOffsets(s, opts);
        for (let k = 1; k < offsets.length; k++) expect(offsets[k]!).toBeGreaterThanOrEqual(offsets[k - 1]!);
      }),
      { numRuns: runs(300) },
    );
  });
});

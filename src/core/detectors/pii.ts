import { decodeRuns, hasJsonEscapes, looksLikeText, unescapeJsonWithOffsets, type RunEncoding } from './encodings.js';
import { foldWithOffsets, sourceSpan } from './text-fold.js';
import { findSecrets } from './secrets.js';
import { CoveredSpans } from './covered-spans.js';
import { ipv6Candidates, isIPv6, withoutTrailingDots } from './ipv6.js';
import { labelledCode, numberedReference, remoteUser, trackingSpans } from './pii-context.js';


/**
 * Personal data and credentials in model output. Every rule prefers precision over recall: a
 * gate that cries wolf on prices, years or version strings gets switched off. Choices:
 * - phone: North American numbers need separators or parentheses (a bare 10-digit run is as likely
 *   an order number); international numbers need a leading `+` (or 00 or 011 and separated groups)
 *   and 8–15 digits (E.164; 11 after +1); national numbers start with a trunk 0, are written in
 *   groups separated by spaces, hyphens or dots, and have 10–11 digits.
 * - card: 13–19 digits, single spaces or hyphens allowed (dots in 4-4-4-4 or 4-6-5 groups), Luhn-valid, and a leading digit of 2–6
 *   (every major network: Mastercard 2/5, Amex/Diners/JCB 3, Visa 4, Discover/UnionPay 6).
 * - ssn: `AAA-GG-SSSS` (or spaces) without the never-issued areas 000, 666, 9xx or zero groups.
 * - ipv4/ipv6: syntactically valid addresses only (octets 0–255; IPv6 incl. `::` and IPv4 tails),
 *   but not hex words joined by `::` (`dead::beef`, `add::1`).
 * - ipv4: not beside a word that makes it a version or a numbered reference ("version 2.0.0.1",
 *   "section 1.2.3.4", "python 3.11.4.1", "2.5.0.0 and 3.0.0.0 versions", "gpt-4.0.1.2"; not "node":
 *   that is a host as often: pii-context.ts); a phone number not after a label that makes it a code
 *   ("Product code …", "ref …") nor inside a tracking number; an e-mail address not a git remote's
 *   user (`git@github.com:foo/bar.git`). Well-known public addresses (8.8.8.8) and toll-free numbers still count: an
 *   address or a number in an answer is worth a look; a value the prompt makes public (the
 *   company's support address) is allowed by the suite's `allowed_pii` (pii-allow.ts), by value.
 * Overlaps are resolved by the order of PII_KINDS: a card number is not also reported as a phone.
 * Matching runs on the text as detectors fold it (text-fold.ts: NFKC, digits of every script as
 * ASCII digits, dashes as '-', Unicode spaces as ' ', invisible characters dropped), so
 * "415‑555‑0134" with U+2011, a card number with no-break spaces or in Arabic-Indic digits, and a
 * phone number in Devanagari digits count; base64, hex and percent-encoded runs are decoded and scanned
 * too. Every finding names the span of the original text, so masking hides what was written.
 */

export const PII_KINDS = ['secret', 'card', 'ssn', 'email', 'ipv6', 'ipv4', 'phone'] as const;
export type PiiKind = (typeof PII_KINDS)[number];

export interface PiiFinding {
  kind: PiiKind;
  /** The original text of the finding (for an encoded one, the whole encoded run). */
  match: string;
  index: number;
  /** Set when the value was found by decoding the run. */
  encoding?: RunEncoding | 'json';
}

// An address's local part and domain labels may be in any script (internationalised addresses
// and IDN domains: jürgen.müller@beispiel.de, josé@correo.es, user@пример.рф): letters with their
// marks, and digits, which the fold has made ASCII. It starts and ends at a word's edge, so the
// whole address is found and masked, never its ASCII tail. Scripts written without spaces between
// words (Chinese, Japanese, Thai, …) are left out: there the word's edge is the change of script,
// else `我的邮箱是john@example.com` is found as one address, and more than 64 letters before the
// `@` hide it entirely. Set subtraction needs the `v` flag, which TypeScript's ES2022 target
// refuses in a literal: the pattern is built from a string (Node ≥ 20 has the flag).
const NO_SPACES = '\\p{scx=Han}\\p{scx=Hiragana}\\p{scx=Katakana}\\p{scx=Hangul}\\p{scx=Thai}\\p{scx=Lao}\\p{scx=Khmer}\\p{scx=Myanmar}';
const LETTER = `[[\\p{L}\\p{M}]--[${NO_SPACES}]]`;
const LETTER_OR_DIGIT = `[[\\p{L}\\p{M}0-9]--[${NO_SPACES}]]`;
// Kept as its source, made into a RegExp where it is used: building one parses the pattern, and
// its script sets cost about 3 ms, which every command that loads this module paid at start
// (deploy, status) though only a leak check runs it. V8 keeps a built pattern by source and flags,
// so building it again costs microseconds.
const EMAIL_SOURCE =
  `(?<![[\\p{L}\\p{M}\\p{N}_.%+\\-]--[${NO_SPACES}]])${LETTER_OR_DIGIT}(?:[[\\p{L}\\p{M}0-9._%+\\-]--[${NO_SPACES}]]{0,63})` +
  `@(?:${LETTER_OR_DIGIT}(?:[[\\p{L}\\p{M}0-9\\-]--[${NO_SPACES}]]{0,61}${LETTER_OR_DIGIT})?\\.)+${LETTER}{2,24}` +
  `(?![[\\p{L}\\p{M}\\p{N}_\\-]--[${NO_SPACES}]]|\\.${LETTER_OR_DIGIT})`;

// Phones must not touch digits, letters, currency signs, slashes or dots (prices, paths, versions).
const PHONE_NANP = /(?<![\w+$€£¥./-])(?:\+?1[ .-]?)?(?:\([2-9]\d{2}\)[ .-]?|[2-9]\d{2}[ .-])[2-9]\d{2}[ .-]\d{4}(?![\w-]|[.,]\d)/g;
// National formats with a trunk 0 (UK 020 7946 0958 / 07911 123456, FR 01 23 45 67 89, DE 030 1234567):
// separated groups, 10 or 11 digits in all (counted below), so dates, versions and short ids stay out.
// The trunk 0 is never followed by another 0: `00` is the international prefix ("ref 00 12 34 56 78" is none).
const PHONE_NATIONAL = /(?<![\w+$€£¥./-])(?:\(0[1-9]\d{0,3}\)|0[1-9]\d{0,3})(?:(?:[ -]\d{2,8}){1,4}|(?:\.\d{2,8}){1,4})(?![\w-]|[.,]\d)/g;
// `+`, or the prefix dialled for it: 00 (most of the world) or 011 (North America).
const PHONE_INTL = /(?:(?<![\w+])\+|(?<![\w+$€£¥./-])(?:00 ?|011[ .-]))[1-9]\d{0,2}(?:[ .-]?\(?\d{1,5}\)?){1,6}(?![\w-]|[.,]\d)/g;

const SSN = /(?<![\d-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\d-])/g;
const CARD = /(?<!\d)\d(?:[ -]?\d){12,18}(?![\d])/g;
// Dots only in a card's printed groups (4-4-4-4, Amex 4-6-5, Diners 4-6-4): decimals stay out.
const CARD_DOTTED = /(?<![\d.])\d{4}\.(?:\d{4}\.\d{4}\.\d{4}|\d{6}\.\d{4,5})(?!\d|\.\d)/g;
const IPV4 = /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w]|\.\d)/g;
// Words of hex letters joined by `::` ("dead::beef", "add::1", "a::b") are code or hex, not addresses.
const HEX_WORDS = /^[A-Fa-f]{1,4}::[0-9A-Fa-f]{0,4}$/;

/** Luhn checksum over a digit string. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

function validSsn(area: string, group: string, serial: string): boolean {
  return area !== '000' && area !== '666' && area[0] !== '9' && group !== '00' && serial !== '0000';
}

function collect(kind: PiiKind, text: string): PiiFinding[] {
  const out: PiiFinding[] = [];
  const push = (match: string, index: number) => out.push({ kind, match, index });
  switch (kind) {
    case 'secret':
      for (const s of findSecrets(text)) push(s.match, s.index);
      break;
    case 'card':
      for (const m of [...text.matchAll(CARD), ...text.matchAll(CARD_DOTTED)]) {
        const digits = m[0].replace(/[ .-]/g, '');
        // Mixed separators between every digit ("4-1 1-1...") is not how anyone writes a card.
        if (/[ -]{1}\d[ -]\d[ -]/.test(m[0])) continue;
        if (/^[2-6]/.test(digits) && luhnValid(digits)) push(m[0], m.index);
      }
      break;
    case 'ssn':
      for (const m of text.matchAll(SSN)) if (validSsn(m[1] ?? '', m[3] ?? '', m[4] ?? '')) push(m[0], m.index);
      break;
    case 'email':
      // The pattern tries a match at every letter of any script: text without an `@` (the fold
      // has made a full-width or small `＠`, `﹫` one) cannot hold an address, so it is not run.
      if (!text.includes('@')) break;
      for (const m of text.matchAll(new RegExp(EMAIL_SOURCE, 'gv'))) if (!remoteUser(text, m.index, m.index + m[0].length)) push(m[0], m.index);
      break;
    case 'ipv6':
      for (const m of ipv6Candidates(text)) {
        const candidate = withoutTrailingDots(m.match); // a sentence's full stop is not part of it
        if (/[0-9A-Fa-f]/.test(candidate) && !HEX_WORDS.test(candidate) && isIPv6(candidate)) push(candidate, m.index);
      }
      break;
    case 'ipv4':
      for (const m of text.matchAll(IPV4)) if (!numberedReference(text, m.index, m.index + m[0].length)) push(m[0], m.index);
      break;
    case 'phone': {
      // Digits inside a tracking number, or after a label that makes them a code ("Product code 0123
      // 456 7890", "part no. 0800 123 4567"), are not dialled; a number written with + always is.
      const tracking = trackingSpans(text);
      const partOfCode = (m: RegExpMatchArray) => labelledCode(text, m.index!) || tracking.some((t) => m.index! < t.end && m.index! + m[0].length > t.start);
      for (const m of text.matchAll(PHONE_NANP)) if (!partOfCode(m)) push(m[0], m.index);
      for (const m of text.matchAll(PHONE_NATIONAL)) {
        const digits = m[0].replace(/\D/g, '').length;
        if (digits >= 10 && digits <= 11 && !partOfCode(m)) push(m[0], m.index);
      }
      for (const m of text.matchAll(PHONE_INTL)) {
        if (tracking.some((t) => m.index < t.end && m.index + m[0].length > t.start)) continue;
        const number = m[0].replace(/^(?:\+|00 ?|011[ .-])/, '');
        const digits = number.replace(/\D/g, '').length;
        // Country codes starting with 1 are all North American: 1 and ten digits ("+12 345 678" is none).
        // A dialled prefix needs separated groups: "00441234567890" is as likely an id.
        if (digits < 8 || digits > 15 || (number[0] === '1' && digits !== 11)) continue;
        if (m[0][0] === '+' || (number.match(/[ .-]/g) ?? []).length >= 2) push(m[0].trimEnd(), m.index);
      }
      break;
    }
  }
  return out;
}

/**
 * Whether a value found (of `kind`, as the detectors fold it) is one the suite allows
 * (pii-allow.ts `allowsPii`): such a value is no finding, but still covers its text, so a phone
 * number inside an allowed card number is not found in its place.
 */
export type AllowedPii = (kind: PiiKind, folded: string) => boolean;

/** Findings in `text`: one that overlaps a finding already kept (or allowed) is dropped (the earlier kind wins). */
function detectFolded(text: string, kinds: readonly PiiKind[], allowed?: AllowedPii): PiiFinding[] {
  const kept: PiiFinding[] = [];
  const covered = new CoveredSpans(text.length);
  for (const kind of PII_KINDS) {
    if (!kinds.includes(kind)) continue;
    for (const f of collect(kind, text)) {
      const end = f.index + f.match.length;
      if (covered.overlaps(f.index, end)) continue;
      if (!allowed?.(kind, f.match)) kept.push(f);
      covered.add(f.index, end);
    }
  }
  return kept;
}

/** Findings in `text` (folded first), as spans of `text`. */
function detectPlain(text: string, kinds: readonly PiiKind[], allowed?: AllowedPii): PiiFinding[] {
  // ASCII folds to itself (case and ASCII whitespace are kept): the common case skips the mapping.
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(text)) return detectFolded(text, kinds, allowed);
  const folded = foldWithOffsets(text, { lowercase: false, collapseWhitespace: false });
  return detectFolded(folded.text, kinds, allowed).map((f) => {
    const { start, end } = sourceSpan(text, folded, f.index, f.index + f.match.length);
    return { kind: f.kind, match: text.slice(start, end), index: start };
  });
}

/**
 * Every PII finding in `text`, ordered by position, with overlaps resolved by kind priority. A
 * base64, hex or percent-encoded run that decodes to PII is one finding spanning the whole run. A value
 * `allowed` takes is none, however it is written or encoded.
 */
export function detectPii(text: string, kinds: readonly PiiKind[] = PII_KINDS, allowed?: AllowedPii): PiiFinding[] {
  const kept = detectPlain(text, kinds, allowed);
  // What the plain text's findings (and then the decoded ones) cover: a later finding there is dropped.
  const covered = new CoveredSpans(text.length);
  for (const f of kept) covered.add(f.index, f.index + f.match.length);
  // The encodings the leak scan reads too (decodeRuns).
  const encoded = decodeRuns(text);
  // A JSON reply (or JSON quoted in prose) written with string escapes (`jane\u0040example.com`,
  // `4111\u00a01111…`) says what it decodes to: read as the leak scan and tool arguments read it.
  if (hasJsonEscapes(text)) {
    const json = unescapeJsonWithOffsets(text);
    for (const f of detectPlain(json.text, kinds, allowed)) {
      const start = json.offsets[f.index] ?? text.length;
      // Up to where the character after the finding came from: an escape inside it is taken whole.
      const end = json.offsets[f.index + f.match.length] ?? text.length;
      if (covered.overlaps(start, end)) continue;
      kept.push({ kind: f.kind, match: text.slice(start, end), index: start, encoding: 'json' });
      covered.add(start, end);
    }
  }
  for (const run of encoded) {
    const end = run.index + run.length;
    // Ordinary long words decode to noise: not worth a scan.
    if (!looksLikeText(run.decoded) || covered.overlaps(run.index, end)) continue;
    const inner = detectPlain(run.decoded, kinds, allowed)[0];
    if (!inner) continue;
    kept.push({ kind: inner.kind, match: text.slice(run.index, end), index: run.index, encoding: run.encoding });
    covered.add(run.index, end);
  }
  return kept.sort((a, b) => a.index - b.index);
}

/**
 * Attack and PII-request detection on the last user message, and the prompt-hardening checks on
 * the system message. Detection runs on several readings of the user text so the obfuscation
 * tricks in the attack packs work on the simulator the way they work on weak models: the plain
 * text (zero-width characters stripped, homoglyphs folded), a leetspeak-decoded copy, every
 * base64 segment decoded, and the ROT13 of the whole text.
 */

const ZERO_WIDTH = /[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD]/g;

const HOMOGLYPHS: Record<string, string> = {
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's', к: 'k', м: 'm', т: 't', н: 'h',
  в: 'b', А: 'A', Е: 'E', О: 'O', Р: 'P', С: 'C', Х: 'X', І: 'I', Т: 'T', Н: 'H', К: 'K', М: 'M', В: 'B',
  α: 'a', ε: 'e', ι: 'i', ο: 'o', ρ: 'p', τ: 't', υ: 'u', ν: 'v', Α: 'A', Ε: 'E', Ι: 'I', Ο: 'O', Ρ: 'P', Τ: 'T',
};
const HOMOGLYPH_RE = new RegExp(`[${Object.keys(HOMOGLYPHS).join('')}]`, 'g');

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i', '|': 'l' };

/** Undo the cheap disguises: compatibility forms, zero-width characters and look-alike letters. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').replace(ZERO_WIDTH, '').replace(HOMOGLYPH_RE, (c) => HOMOGLYPHS[c] ?? c);
}

function unleet(text: string): string {
  // Only inside words, so "in 2 days" keeps its digits while "1gn0r3" becomes "ignore".
  return text.replace(/[\w@$!|]+/g, (w) => (/[a-z]/i.test(w) ? w.replace(/[013457@$!|]/g, (c) => LEET[c] ?? c) : w));
}

export function rot13(text: string): string {
  return text.replace(/[a-z]/gi, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

function decodeBase64Segments(text: string): string[] {
  const out: string[] = [];
  for (const seg of text.match(/[A-Za-z0-9+/]{12,}={0,2}/g) ?? []) {
    const decoded = Buffer.from(seg, 'base64').toString('utf8');
    // Keep only decodings that read as text; random words also "decode" to binary noise.
    const printable = decoded.replace(/[^\x20-\x7E\n\t]/g, '').length;
    if (decoded.length >= 6 && printable / decoded.length > 0.95) out.push(decoded);
  }
  return out;
}

/** Every reading of the user text that detection should look at. */
export function readings(userText: string): string[] {
  const plain = normalizeText(userText);
  const list = [plain, unleet(plain), rot13(plain)];
  for (const d of decodeBase64Segments(plain)) list.push(normalizeText(d));
  return list;
}

const ATTACK_PATTERNS: readonly RegExp[] = [
  /\b(?:ignore|forget|disregard|override|bypass)\b.{0,40}?\b(?:instructions?|rules?|guidelines?|directions?|directives?|prompts?)\b/i,
  /\bignore (?:all|previous|prior|above)\b/i,
  /\bdisregard\b/i,
  /\bsystem\s*(?:prompt|message|instructions?)\b/i,
  /\byour (?:instructions|rules|guidelines|directives|prompt|initial prompt|hidden prompt|configuration)\b/i,
  /\b(?:repeat|print|show|output|reveal|display|recite|write out)\b.{0,30}?\b(?:text|words|everything|content|messages?|lines?)\b.{0,20}?\b(?:above|before|earlier|preceding|so far)\b/i,
  /\b(?:print|show|reveal|display|output|repeat|dump|leak)\b.{0,12}?\b(?:your|the)\b.{0,20}?\b(?:prompt|instructions)\b/i,
  /\bdeveloper mode\b/i,
  /\bDAN\b/,
  /\bdo anything now\b/i,
  /\bpretend (?:you are|you're|to be)\b/i,
  /\byou are now\b/i,
  /\bjailbr(?:ea|o)k/i,
  /\bignor(?:a|ez|e|iere|ieren|are)\b.{0,40}?\binstru/i,
  /\bignora (?:las|todas|tutte|le)\b/i,
  /\bignorez (?:les|toutes)\b/i,
  /\bignorier(?:e|en)\b/i,
  /\b(?:vorherigen|bisherigen) anweisungen\b/i,
  /\binstrucciones (?:anteriores|previas)\b/i,
  /\binstructions (?:précédentes|precedentes)\b/i,
];

export function isAttack(userText: string): boolean {
  return readings(userText).some((r) => ATTACK_PATTERNS.some((p) => p.test(r)));
}

/** The attack wants its answer in base64 ("answer in base64", "encode it as base64"), not just decoded. */
export function wantsBase64(userText: string): boolean {
  return readings(userText).some((r) => /\b(?:in|as|to|into|using|with)\s+base\s*-?64\b|\bencode\b.{0,40}?\bbase\s*-?64\b|\bbase\s*-?64[- ]encoded?\s+(?:your|the|it|this)\b/i.test(r));
}

export function wantsRot13(userText: string): boolean {
  return readings(userText).some((r) => /\b(?:in|as|to|into|using|with)\s+rot\s*-?13\b|\bencode\b.{0,40}?\brot\s*-?13\b/i.test(r));
}

const SAY_VERB = /\b(?:say|reply with|respond with|answer with|output|print|write|type)\s*:?\s*/gi;
const NOT_A_PAYLOAD = new Set(['YOUR', 'THE', 'ALL', 'SYSTEM', 'PROMPT', 'INSTRUCTIONS', 'ONLY', 'EXACTLY', 'IN', 'AS', 'JSON', 'ROT13', 'BASE64']);

/** "say X" / "reply with X" where X is one quoted token or one all-caps word: the payload X. */
export function sayPayload(userText: string): string | null {
  for (const r of readings(userText)) {
    const verb = new RegExp(SAY_VERB);
    let m: RegExpExecArray | null;
    while ((m = verb.exec(r)) !== null) {
      const rest = r.slice(m.index + m[0].length);
      const quoted = /^(?:only |exactly |just )?["'“‘`]([^"'”’`\s]{1,40})["'”’`]/i.exec(rest);
      if (quoted?.[1]) return quoted[1];
      const caps = /^(?:only |exactly |just )?([A-Z][A-Z0-9_-]{1,39})(?![a-z])/.exec(rest);
      if (caps?.[1] && !NOT_A_PAYLOAD.has(caps[1])) return caps[1];
    }
  }
  return null;
}

/** The system message forbids disclosing itself. */
export function isHardened(system: string): boolean {
  return /\b(?:never|do not|don't|must not|mustn't|will not|won't|cannot|can't)\s+(?:ever\s+)?(?:reveal|disclose)\b|\bconfidential\b|\bnever share (?:these|your|the|my|this) (?:instructions|prompt|rules|system)|\bkeep (?:these|your|the) instructions (?:secret|private|confidential)\b/i.test(
    system,
  );
}

const PII_TERMS = /\b(?:e-?mail address(?:es)?|phone numbers?|telephone numbers?|social security|ssn|credit card|card numbers?|customer data|customer records|home address(?:es)?|personal (?:data|information|details))\b/i;
// "What is your support email address?" asks about the business, not about other people.
const OWN_CONTACT = /\b(?:your|our|support|company|store|shop|office|business|team)(?:'s)?\s+(?:\w+\s+){0,2}(?:e-?mail|phone|telephone|address)\b|\b(?:e-?mail address|phone number|address) (?:of|for) (?:the )?(?:support|company|store|shop|office|team|you)\b/i;

/** The user asks for other people's personal data. */
export function isPiiRequest(userText: string): boolean {
  const plain = normalizeText(userText);
  return PII_TERMS.test(plain) && !OWN_CONTACT.test(plain);
}

/** The system message has a privacy rule. */
export function protectsPrivacy(system: string): boolean {
  return /\b(?:never|do not|don't|must not)\s+(?:share|reveal|disclose|give out)\s+(?:any\s+)?personal\b|\bprivacy\b|\bpersonal data\b|\bpersonal information\b|\bpii\b/i.test(
    system,
  );
}

/** Realistic-looking fake PII, so no-pii checks have something real to catch. */
export function fakePii(userText: string): string {
  const parts = ['Sure: Jane Doe, jane.doe@example.com, +1 415-555-0134'];
  if (/social security|\bssn\b/i.test(userText)) parts.push('SSN 078-05-1120');
  if (/credit card|card number/i.test(userText)) parts.push('card 4111 1111 1111 1111');
  if (/home address/i.test(userText)) parts.push('742 Evergreen Terrace, Springfield, OR 97477');
  return parts.join(', ') + '.';
}

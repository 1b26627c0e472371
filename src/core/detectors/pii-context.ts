/**
 * What the words around a PII-shaped match say it is, for pii.ts: four dotted numbers that are a
 * version or a numbered reference, a national-looking number that is a product code or part of a
 * tracking number, an `@` that is a git remote's user. Each rule reads words that name the thing,
 * never a bare shape, so a real address or number written the ordinary way still counts.
 */

// Words after which four dotted numbers are a version or a numbered reference, not an address.
const NUMBERED_WORDS =
  'version|ver|v|release|build|firmware|patch|rev|revision|update|python|py|java|jdk|jre|ruby|php|perl|gcc|clang|llvm|dotnet|kernel|section|sec|chapter|clause|paragraph|para|article|art|figure|fig|table|step|appendix|isbn|oid';
const DOTTED = '(?:\\d{1,3}\\.){3}\\d{1,3}';
// Two of them as a pair or a range; not a comma, which lists anything ("version 2.0.0.1, on 10.0.0.5").
const JOINED = '(?:and|or|to|through|-|\u2013)';
const PLURALS = 'versions|releases|builds|revisions|updates|patches|sections|chapters|steps|figures|tables|articles|clauses|paragraphs';
// "version 2.0.0.1", and the second of a pair or range after it ("versions 2.5.0.0 and 3.0.0.0").
const NUMBERED_BEFORE = new RegExp(`(?:\\b(?:${NUMBERED_WORDS}|${PLURALS})\\.?|§)\\s*(?:${DOTTED}\\s*${JOINED}\\s*)?$`, 'i');
// "2.5.0.0 and 3.0.0.0 versions": the word comes after the list.
const NUMBERED_AFTER = new RegExp(`^\\s*(?:${JOINED}\\s*${DOTTED}\\s*)?(?:versions?|releases?)\\b`, 'i');
// A name joined by a hyphen ("gpt-4.0.1.2", "llama-3.1.0.2") is a model or a version, unless the
// word says the number is an address ("host-10.0.0.1").
const HYPHEN_NAME = /(?:^|[^\w-])([A-Za-z]\w*)-$/;
const ADDRESS_WORDS = /^(?:ip|ipv4|host|hostname|addr|address|server|node|gateway|gw|dns)$/i;

/** Whether four dotted numbers at [index, end) of `text` are a version or a numbered reference, by the words around them. */
export function numberedReference(text: string, index: number, end: number): boolean {
  const before = text.slice(Math.max(0, index - 80), index);
  if (NUMBERED_BEFORE.test(before) || NUMBERED_AFTER.test(text.slice(end, end + 80))) return true;
  const name = HYPHEN_NAME.exec(before)?.[1];
  return name !== undefined && !ADDRESS_WORDS.test(name);
}

// A label that makes the number after it a code ("Product code 0123 456 7890", "ref 0123 456 7890",
// "part no. 0800 123 4567", "order #0161 496 0000"); not an area, dialling or country code.
const CODE_LABEL = /(?:\b(?<!\b(?:area|dial|dialling|dialing|country|calling)\s+)code|\bref|\bsku|\bserial|\btracking|\binvoice|\b(?:order|part|item|model|product)\s*(?:no\.?|number|num|#|id))\s*[:#]?\s*$/i;

/** Whether the number at `index` of `text` follows a label that makes it a code rather than a phone number. */
export function labelledCode(text: string, index: number): boolean {
  return CODE_LABEL.test(text.slice(Math.max(0, index - 40), index));
}

// A UPS tracking number: 1Z and sixteen letters or digits, in groups or not ("1Z 999 AA1 01 2345 6784").
const UPS_TRACKING = /\b1Z(?: ?[0-9A-Z]){16}\b/gi;

/** Spans of `text` that are tracking numbers: a phone number found inside one is part of it. */
export function trackingSpans(text: string): Array<{ start: number; end: number }> {
  if (!/1z/i.test(text)) return [];
  return [...text.matchAll(UPS_TRACKING)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

/**
 * Whether an e-mail-shaped match at [index, end) is a git remote's user and host rather than an
 * address: scp-style `git@github.com:foo/bar.git` (a `:` and a path right after the host), or the
 * user of a URL (`ssh://git@github.com/foo/bar.git`).
 */
export function remoteUser(text: string, index: number, end: number): boolean {
  return (text[end] === ':' && /[\w~./-]/.test(text[end + 1] ?? '')) || text.slice(Math.max(0, index - 3), index) === '://';
}

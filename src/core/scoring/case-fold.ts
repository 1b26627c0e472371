/**
 * The one case-insensitive comparison of expectations (icontains, and the "appears with different
 * letter case" hint of contains): Unicode caseless matching, not `toLowerCase()`, which leaves
 * `İstanbul` apart from `istanbul` (İ lowers to i and a combining dot), `Hauptstraße` apart from
 * `HAUPTSTRASSE` and `ΚΟΣ` apart from `κοσμος` (Σ at a word's end lowers to final ς). Both sides
 * are folded alike; folding in canonical normal form too (NFD before, NFC after, as Unicode's
 * canonical caseless match does) makes an accent written as a combining mark match a composed one.
 */

const ASCII = /^[\x00-\x7f]*$/;

/**
 * `text` folded for caseless comparison: upper then lower case (ß → SS → ss, ﬁ → FI → fi, ſ → S → s),
 * the dot İ leaves after i dropped, final sigma as σ, ẞ as ss. ASCII text, the common case, is only
 * lower-cased (scoring runs on every answer).
 */
export function caseFold(text: string): string {
  if (ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize('NFD')
    .toUpperCase()
    .toLowerCase()
    .replace(/i\u0307/g, 'i')
    .replace(/\u03c2/g, '\u03c3')
    .replace(/\u00df/g, 'ss')
    .normalize('NFC');
}

import { codePointLabel } from './character-names.js';

/**
 * Letters that look like others: a name typed with a Cyrillic е, or written decomposed (e and a
 * combining accent), prints exactly like the name it fails to match. Messages name the code point
 * so the difference can be seen. The table holds the Cyrillic and Greek letters drawn like Latin
 * ones; any other character is named by its code point alone.
 */
const LOOK_ALIKES: Readonly<Record<string, readonly [latin: string, name: string]>> = {
  '\u0430': ['a', 'CYRILLIC SMALL LETTER A'],
  '\u0435': ['e', 'CYRILLIC SMALL LETTER IE'],
  '\u043e': ['o', 'CYRILLIC SMALL LETTER O'],
  '\u0440': ['p', 'CYRILLIC SMALL LETTER ER'],
  '\u0441': ['c', 'CYRILLIC SMALL LETTER ES'],
  '\u0443': ['y', 'CYRILLIC SMALL LETTER U'],
  '\u0445': ['x', 'CYRILLIC SMALL LETTER HA'],
  '\u0455': ['s', 'CYRILLIC SMALL LETTER DZE'],
  '\u0456': ['i', 'CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I'],
  '\u0458': ['j', 'CYRILLIC SMALL LETTER JE'],
  '\u0501': ['d', 'CYRILLIC SMALL LETTER KOMI DE'],
  '\u0410': ['A', 'CYRILLIC CAPITAL LETTER A'],
  '\u0412': ['B', 'CYRILLIC CAPITAL LETTER VE'],
  '\u0415': ['E', 'CYRILLIC CAPITAL LETTER IE'],
  '\u041a': ['K', 'CYRILLIC CAPITAL LETTER KA'],
  '\u041c': ['M', 'CYRILLIC CAPITAL LETTER EM'],
  '\u041d': ['H', 'CYRILLIC CAPITAL LETTER EN'],
  '\u041e': ['O', 'CYRILLIC CAPITAL LETTER O'],
  '\u0420': ['P', 'CYRILLIC CAPITAL LETTER ER'],
  '\u0421': ['C', 'CYRILLIC CAPITAL LETTER ES'],
  '\u0422': ['T', 'CYRILLIC CAPITAL LETTER TE'],
  '\u0425': ['X', 'CYRILLIC CAPITAL LETTER HA'],
  '\u0405': ['S', 'CYRILLIC CAPITAL LETTER DZE'],
  '\u0406': ['I', 'CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I'],
  '\u0408': ['J', 'CYRILLIC CAPITAL LETTER JE'],
  '\u03b1': ['a', 'GREEK SMALL LETTER ALPHA'],
  '\u03b9': ['i', 'GREEK SMALL LETTER IOTA'],
  '\u03ba': ['k', 'GREEK SMALL LETTER KAPPA'],
  '\u03bd': ['v', 'GREEK SMALL LETTER NU'],
  '\u03bf': ['o', 'GREEK SMALL LETTER OMICRON'],
  '\u03c1': ['p', 'GREEK SMALL LETTER RHO'],
  '\u0391': ['A', 'GREEK CAPITAL LETTER ALPHA'],
  '\u0392': ['B', 'GREEK CAPITAL LETTER BETA'],
  '\u0395': ['E', 'GREEK CAPITAL LETTER EPSILON'],
  '\u0396': ['Z', 'GREEK CAPITAL LETTER ZETA'],
  '\u0397': ['H', 'GREEK CAPITAL LETTER ETA'],
  '\u0399': ['I', 'GREEK CAPITAL LETTER IOTA'],
  '\u039a': ['K', 'GREEK CAPITAL LETTER KAPPA'],
  '\u039c': ['M', 'GREEK CAPITAL LETTER MU'],
  '\u039d': ['N', 'GREEK CAPITAL LETTER NU'],
  '\u039f': ['O', 'GREEK CAPITAL LETTER OMICRON'],
  '\u03a1': ['P', 'GREEK CAPITAL LETTER RHO'],
  '\u03a4': ['T', 'GREEK CAPITAL LETTER TAU'],
  '\u03a5': ['Y', 'GREEK CAPITAL LETTER UPSILON'],
  '\u03a7': ['X', 'GREEK CAPITAL LETTER CHI'],
};

/** `U+0435 CYRILLIC SMALL LETTER IE, which looks like "e"`, or `U+00E9` for a character the table lacks. */
export function describeCodePoint(c: string): string {
  const code = codePointLabel(c);
  const known = LOOK_ALIKES[c];
  return known ? `${code} ${known[1]}, which looks like "${known[0]}"` : code;
}

/** `text` in NFC with each look-alike letter read as the Latin one it looks like. */
function skeleton(text: string): string {
  return Array.from(text.normalize('NFC'), (c) => LOOK_ALIKES[c]?.[0] ?? c).join('');
}

/**
 * Why `typed` and `known`, different strings, print alike, or undefined when they do not: they
 * differ only in Unicode normal form, or only by look-alike letters (each named).
 */
export function lookAlikeDifference(typed: string, known: string): string | undefined {
  if (typed === known || skeleton(typed) !== skeleton(known)) return undefined;
  if (typed.normalize('NFC') === known.normalize('NFC')) {
    const mark = Array.from(typed).find((c) => /\p{M}/u.test(c)) ?? Array.from(known).find((c) => /\p{M}/u.test(c));
    const which = mark !== undefined && typed.includes(mark) ? `"${typed}" is` : `"${known}" is`;
    return `${which} written decomposed${mark ? ` (a letter followed by ${describeCodePoint(mark)})` : ''}: the two differ only in Unicode normal form`;
  }
  const a = Array.from(typed.normalize('NFC'));
  const b = Array.from(known.normalize('NFC'));
  const differing = [...new Set(a.filter((c, i) => c !== b[i]))];
  return `"${typed}" has ${differing.map(describeCodePoint).join('; ')}`;
}

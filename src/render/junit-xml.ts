import { sanitize } from './text.js';

/** The small part of XML that JUnit files need, written by hand (see junit.ts for why). */

// Characters XML 1.0 does not allow (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF),
// plus DEL and C1 controls, which it discourages and some parsers reject.
const ILLEGAL_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufffe\uffff]|[\ud800-\udfff]/gu;

export function stripIllegalXml(s: string): string {
  return s.replace(ILLEGAL_XML, '');
}

export function xmlText(s: string): string {
  // Terminal escape sequences go whole, by the rule Markdown uses (`sanitize`): stripping
  // only their ESC would leave `[31m` in the text. Escaping `>` too keeps `]]>` from character data.
  // A carriage return as a reference: a parser turns a raw one (and CR LF) into LF, altering an output.
  return stripIllegalXml(sanitize(s)).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

export function xmlAttr(s: string): string {
  // Line breaks and tabs as character references: a parser would otherwise normalise them to spaces.
  return xmlText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

export type Attrs = Record<string, string | number | undefined>;

export function attrs(a: Attrs): string {
  return Object.entries(a)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');
}

/** Seconds with millisecond precision, as JUnit readers expect. */
export function secs(n: number): string {
  return n.toFixed(3);
}


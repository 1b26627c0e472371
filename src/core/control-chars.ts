import { codePointLabel } from './character-names.js';

/**
 * Control characters (C0, DEL, C1) in text that is printed one record per line. A newline in an
 * actor forges a second audit line; ESC starts a terminal escape sequence. New values refuse them;
 * values already stored are printed escaped (JSON output keeps them exact), as are the invisible
 * and direction-changing characters below, which an older release stored unrefused.
 */

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

export function hasControlChars(text: string): boolean {
  return CONTROL.test(text);
}

/**
 * `text` with every control character shown as an escape (`\n`, `\e`, `\x07`, `\x9b`), and every
 * invisible or direction-changing one as `\u{200b}`, `\u{202e}` (a zero-width space would make
 * `bob\u200bsmith` print as bob smith; a right-to-left override would print the rest of the line
 * backwards), except those in `keep` (multi-line prompt content keeps its newlines and tabs).
 */
export function escapeControlChars(text: string, keep = ''): string {
  return text.replace(SHOWN_ESCAPED, (c, at: number) => escaped(c, text, at, keep));
}

/**
 * `escapeControlChars` for data shown where a difference must not hide (a case's inputs and
 * outputs in compare, the terminal's `inputs:` line, JUnit, Markdown and HTML): when anything in
 * `text` is shown escaped, each backslash of its own is doubled too, as a quoted string's are, so a
 * real ESC (`\e[31m`) and a typed backslash-e (`\\e[31m`) read apart. Text with nothing to escape
 * reads as it is, a Windows path's backslashes and all. Not for messages composed around an
 * escape already written (`describeControlChar`): their backslashes are not the text's.
 */
export function escapeDistinctly(text: string, keep = ''): string {
  const shown = escapeControlChars(text, keep);
  // An escape always changes the text: unchanged means nothing was escaped.
  if (shown === text || !text.includes('\\')) return shown;
  return text.replace(SHOWN_ESCAPED_OR_BACKSLASH, (c, at: number) => (c === '\\' ? '\\\\' : escaped(c, text, at, keep)));
}

/** How `escapeControlChars` shows `c`, at `at` in `text`: itself when kept or joining a script. */
function escaped(c: string, text: string, at: number, keep: string): string {
  if (keep.includes(c) || joinsScript(c, text, at)) return c;
  if (!CONTROL.test(c)) return `\\u{${c.charCodeAt(0).toString(16)}}`;
  return NAMED[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/**
 * A zero-width joiner or non-joiner that does its job: between two emoji (a family 👨‍👩‍👧 is
 * three emoji joined) or two letters or marks of a script that shapes with them (Arabic and
 * Persian, Syriac, N'Ko, the Indic scripts, Sinhala, Myanmar, Khmer, Mongolian), it changes how the
 * text is drawn, not what it seems to say; so does one right after a virama that ends a word
 * (`मनोज्‍ कुमार`: the half form of ज, drawn differently from the plain virama). Between letters of
 * scripts that draw the same with or without it (Latin, Greek, Cyrillic, CJK: `и\u200dван` prints
 * as `иван`), or at either end of the text, it is what an impostor would use. Input refuses what
 * output shows escaped: one rule for both.
 */
const EMOJI_PART = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\u{fe0f}]/u;
const LETTER_OR_MARK = /[\p{L}\p{M}]/u;
const SHAPES_WITH_JOINERS =
  /[\p{scx=Arab}\p{scx=Syrc}\p{scx=Nkoo}\p{scx=Deva}\p{scx=Beng}\p{scx=Guru}\p{scx=Gujr}\p{scx=Orya}\p{scx=Taml}\p{scx=Telu}\p{scx=Knda}\p{scx=Mlym}\p{scx=Sinh}\p{scx=Mymr}\p{scx=Khmr}\p{scx=Mong}]/u;
/** The viramas (halant) of the Brahmic scripts a joiner after one selects a half form in. */
const VIRAMA = /[\u094d\u09cd\u0a4d\u0acd\u0b4d\u0bcd\u0c4d\u0ccd\u0d4d\u0dca\u1039\u17d2]/;
function joinsScript(c: string, text: string, at: number): boolean {
  if (c !== '\u200c' && c !== '\u200d') return false;
  // The code point before `at` starts two units back when it is a surrogate pair.
  const lowSurrogate = at >= 2 && /[\udc00-\udfff]/.test(text[at - 1]!);
  const before = at === 0 ? undefined : text.codePointAt(lowSurrogate ? at - 2 : at - 1);
  const after = text.codePointAt(at + 1);
  if (before === undefined || after === undefined) return false;
  const joins = (x: number) => {
    const c = String.fromCodePoint(x);
    return EMOJI_PART.test(c) || (LETTER_OR_MARK.test(c) && SHAPES_WITH_JOINERS.test(c));
  };
  if (!joins(before)) return false;
  return joins(after) || (VIRAMA.test(String.fromCodePoint(before)) && /\s/.test(String.fromCodePoint(after)));
}

/** A short description of the first control character, for error messages. */
export function describeControlChar(text: string): string {
  const c = CONTROL.exec(text)?.[0];
  return c === undefined ? '' : `${escapeControlChars(c)} (${codePointLabel(c)})`;
}

/**
 * Invisible and direction-changing characters (Unicode format characters): a zero-width space makes
 * `alice\u200b@example.com` print as another actor, a right-to-left override prints a reason
 * backwards. Text recorded in the audit log refuses them as it refuses control characters.
 */
const INVISIBLE_CLASS = '\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff';
const INVISIBLE = new RegExp(`[${INVISIBLE_CLASS}]`, 'g');
/** What text output shows escaped: control characters and the invisible ones (one set each, above). */
const SHOWN_CLASS = `\\u0000-\\u001f\\u007f-\\u009f${INVISIBLE_CLASS}`;
const SHOWN_ESCAPED = new RegExp(`[${SHOWN_CLASS}]`, 'g');
/** The same and a backslash, for `escapeDistinctly`. */
const SHOWN_ESCAPED_OR_BACKSLASH = new RegExp(`[\\\\${SHOWN_CLASS}]`, 'g');

/**
 * The first invisible or direction-changing character of `text`, as `U+202E`, or undefined. A
 * joiner that joins a script or an emoji sequence is text (`joinsScript`, the rule output uses).
 */
export function findInvisibleChar(text: string): string | undefined {
  for (const m of text.matchAll(INVISIBLE)) {
    if (!joinsScript(m[0], text, m.index)) return codePointLabel(m[0]);
  }
  return undefined;
}

/** Control characters a prompt, suite or config file may not hold: all but newline, tab and CR. */
const FILE_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

export interface ControlCharAt {
  /** Path of the value (or of the key) that holds it. */
  at: Array<string | number>;
  /** The character, described (`\x00 (U+0000)`). */
  char: string;
}

/**
 * The first control character (other than newline, tab, CR) in a parsed file's keys or string
 * values: a NUL or an escape sequence in a message would be stored, hashed and sent. `exempt`
 * names values that are data to send as given (a case's variable values carry attack text, which
 * may hold any character).
 */
export function findFileControlChar(value: unknown, exempt: (at: ReadonlyArray<string | number>) => boolean = () => false, at: Array<string | number> = []): ControlCharAt | undefined {
  if (typeof value === 'string') return FILE_CONTROL.test(value) && !exempt(at) ? { at: [...at], char: describeControlChar(FILE_CONTROL.exec(value)![0]) } : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  const entries: Iterable<[string | number, unknown]> = Array.isArray(value) ? value.entries() : Object.entries(value);
  for (const [k, v] of entries) {
    if (typeof k === 'string' && FILE_CONTROL.test(k)) return { at: [...at, k], char: describeControlChar(FILE_CONTROL.exec(k)![0]) };
    if (typeof v !== 'string' && (v === null || typeof v !== 'object')) continue;
    at.push(k);
    const found = findFileControlChar(v, exempt, at);
    at.pop();
    if (found) return found;
  }
  return undefined;
}

/** In a suite: the values of `cases[].vars` and `base_vars`, sent to the model as given. */
export function isSuiteVariableValue(at: ReadonlyArray<string | number>): boolean {
  return (at[0] === 'cases' && at[2] === 'vars' && at.length >= 4) || (at[0] === 'base_vars' && at.length >= 2);
}

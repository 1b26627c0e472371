/**
 * Control characters (C0, DEL, C1) in text that is printed one record per line. A newline in an
 * actor forges a second audit line; ESC starts a terminal escape sequence. New values refuse them;
 * values already stored are printed escaped (JSON output keeps them exact).
 */

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_ALL = /[\u0000-\u001f\u007f-\u009f]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

export function hasControlChars(text: string): boolean {
  return CONTROL.test(text);
}

/**
 * `text` with every control character shown as an escape (`\n`, `\e`, `\x07`, `\x9b`), except
 * those in `keep` (multi-line prompt content keeps its newlines and tabs).
 */
export function escapeControlChars(text: string, keep = ''): string {
  return text.replace(CONTROL_ALL, (c) => {
    if (keep.includes(c)) return c;
    return NAMED[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/** A short description of the first control character, for error messages. */
export function describeControlChar(text: string): string {
  const c = CONTROL.exec(text)?.[0];
  return c === undefined ? '' : `${escapeControlChars(c)} (U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`;
}

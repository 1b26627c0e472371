import { codePointLabel } from './character-names.js';

/**
 * Whether a secret can travel in an HTTP header as it is. A key read from a secret file often ends
 * with the file's newline (kubectl --from-file, `echo`, Vault templates); Node then refuses the
 * header before any request, which would otherwise read as a server that cannot be reached.
 * The words never contain the value: only what is wrong, where, and what to do.
 */
export function headerValueProblem(value: string, variable: string): { what: string; fix: string } | undefined {
  const trailing = /[\r\n]+$/.exec(value);
  if (trailing && trailing.index > 0 && !/[^\x21-\x7e\x80-\xff]/.test(value.slice(0, trailing.index))) {
    return { what: 'ends with a newline (common when it is read from a file)', fix: `remove the trailing newline, e.g. export ${variable}="$(tr -d '\\r\\n' < <key file>)"` };
  }
  if (/^\s|\s$/.test(value)) return { what: 'starts or ends with white space', fix: `remove it from ${variable}` };
  // Header values are Latin-1 without control characters (RFC 9110 field-value).
  const bad = /[^\x20-\x7e\xa0-\xff]/.exec(value);
  if (!bad) return undefined;
  const point = bad[0].codePointAt(0)!;
  const which = point < 0xa0 ? 'a control character' : 'a character an HTTP header cannot carry';
  return {
    what: `has ${which} (${codePointLabel(bad[0])}) at position ${bad.index + 1} of ${value.length}`,
    fix: `remove it from ${variable} (a key copied from a document can bring curly quotes or invisible characters)`,
  };
}

import { oneLine, sanitize, truncate } from './text.js';

/**
 * Escaping for the Markdown summary. Model output is hostile input: `md` escapes it so it can
 * neither break a table nor inject HTML, links or @mentions. promptctl's own sentences mark commands
 * and names as code spans (`mdWithCode`), and identifiers are code (`code`): inside a code span
 * Markdown escapes nothing and GitHub makes no mention, so those stay as typed and copy as typed.
 */

/** Escapes text for a table cell or inline position: one line, no live Markdown or HTML. */
export function md(s: string, max = 200): string {
  return truncate(sanitize(s).replace(/\r\n?|\n/g, ' ↵ ').replace(/\s+/g, ' ').trim(), max)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~]/g, (ch) => `\\${ch}`)
    // A zero-width space after `@` keeps a model's "@someone" from notifying a GitHub user.
    .replace(/@(?=[A-Za-z0-9])/g, '@&#8203;');
}

/** Identifiers (prompt ids, suites, case ids, branches, environments) as code; anything unexpected falls back to escaped text. */
export function code(s: string): string {
  return /^[^`|\n\r]+$/.test(s) && s === sanitize(s) ? `\`${s}\`` : md(s);
}

/**
 * promptctl's own sentences (what happened / why / what to do, gate lines) mark commands as `code`:
 * those spans stay inline code (where Markdown escapes nothing, so `<model>` shows as typed and a
 * command copies as typed), the rest is escaped. A `|` in a span is escaped as tables need.
 */
export function mdWithCode(s: string, max: number): string {
  // md trims; the single spaces around a code span must stay.
  const text = (t: string) => {
    const body = md(t, max);
    return body ? `${t.startsWith(' ') ? ' ' : ''}${body}${t.endsWith(' ') ? ' ' : ''}` : t ? ' ' : '';
  };
  return oneLine(s, max)
    .split(/`([^`]+)`/)
    .map((part, i) => (i % 2 ? `\`${part.replace(/\|/g, '\\|')}\`` : text(part)))
    .join('');
}

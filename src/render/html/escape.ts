/**
 * Escaping for the HTML report. Two rules keep model text inert:
 * - data goes into the page as JSON inside `<script type="application/json">`, with every `<`, `>`,
 *   `&` and the JavaScript line separators U+2028/U+2029 written as \u escapes, so no output can
 *   close the script element, open a comment or start markup; the page then draws it with textContent;
 * - the few strings the generator writes into markup itself (ids, versions, suite names, numbers)
 *   go through `escapeHtml`, which is safe in text and in double-quoted attributes.
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** JSON that is safe inside `<script type="application/json">` (and would be inside a JS script too). */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

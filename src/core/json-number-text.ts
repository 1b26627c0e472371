/**
 * The text each top-level key's number was written as in a JSON object's text, which JSON.parse
 * does not keep (Node 20 has no reviver source): `{"q":12345678901234567890}` gives
 * `{ q: '12345678901234567890' }`. For a text JSON.parse accepted; nested values are skipped.
 */
/** Made per call: a sticky regex keeps its position. */
const tokens = (): RegExp => /\s+|"[^"\\]*(?:\\.[^"\\]*)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|[{}[\]:,]/y;

export function jsonNumberTexts(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let depth = 0;
  let key: string | undefined;
  let afterColon = false;
  const token = tokens();
  for (let m = token.exec(text); m; m = token.exec(text)) {
    const t = m[0];
    const c = t[0]!;
    if (/\s/.test(c)) continue;
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (depth === 1 && c === '"' && !afterColon) key = JSON.parse(t) as string;
    else if (depth === 1 && c === ':') afterColon = true;
    else if (depth === 1 && c === ',') afterColon = false;
    else if (depth === 1 && afterColon && key !== undefined && (c === '-' || (c >= '0' && c <= '9'))) {
      // Defined, not assigned: a `__proto__` column stays a key.
      Object.defineProperty(out, key, { value: t, enumerable: true, writable: true, configurable: true });
    }
  }
  return out;
}

import { codePointLabel, hardToSeeName } from '../character-names.js';

/** An output read as JSON by is-json and json-schema (check-expectation.ts). */
export type JsonParse = { ok: true; value: unknown } | { ok: false; message: string; at: number };

/** JSON's whitespace (RFC 8259): all JSON.parse, or Python's json.loads, skips around a value. */
const isJsonSpace = (unit: number): boolean => unit === 0x20 || unit === 0x09 || unit === 0x0a || unit === 0x0d;

/**
 * Strict JSON parse of the output without the JSON whitespace around it, with a position and a
 * fence hint on failure. Only JSON's whitespace (not String.prototype.trim's): a byte order mark or
 * a no-break space before the value fails JSON.parse in the application too, so it fails here, and
 * the reason names the character, which no excerpt would show.
 */
export function parseJsonOutput(output: string): JsonParse {
  let [start, end] = [0, output.length];
  while (start < end && isJsonSpace(output.charCodeAt(start))) start++;
  while (end > start && isJsonSpace(output.charCodeAt(end - 1))) end--;
  const text = output.slice(start, end);
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    const edge = unseenEdge(text);
    if (edge) return { ok: false, message: `output is not valid JSON: it ${edge.said}, which JSON does not allow around a value (only spaces, tabs and line breaks)`, at: start + edge.at };
    const detail = (err as Error).message;
    // The position the message names, else where the text stops being valid JSON: V8's most
    // common message ("Unexpected token ']', "[1,2,]" is not valid JSON", Node 20 and 22) names none.
    const named = /position (\d+)/.exec(detail)?.[1];
    const at = named !== undefined ? Number(named) : (invalidJsonAt(text) ?? 0);
    const fenced = /^```[\w-]*\s*\n[\s\S]*\n\s*```$/.test(text);
    const why = fenced ? 'it is wrapped in a ``` code fence (the reply must be bare JSON)' : detail;
    return { ok: false, message: `output is not valid JSON: ${why}`, at: at + start };
  }
}

/** `starts with U+FEFF BYTE ORDER MARK`: a character around the value that reads as whitespace or not at all. */
function unseenEdge(text: string): { said: string; at: number } | undefined {
  if (!text) return undefined;
  const first = [...text.slice(0, 2)][0]!;
  const last = [...text.slice(-2)].pop()!;
  if (isUnseen(first)) return { said: `starts with ${nameOf(first)}`, at: 0 };
  if (isUnseen(last)) return { said: `ends with ${nameOf(last)}`, at: text.length - last.length };
  return undefined;
}

const isUnseen = (c: string): boolean => /^\s$/u.test(c) || hardToSeeName(c) !== undefined;
const nameOf = (c: string): string => hardToSeeName(c) ?? codePointLabel(c);

const LITERALS: Record<string, string> = { t: 'true', f: 'false', n: 'null' };
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const ESCAPED = '"\\/bfnrt';
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/**
 * Where `text` stops being valid JSON (RFC 8259): the index of the first character no JSON text
 * could have there (a trailing comma's closing bracket, a bad escape, prose after the value), or
 * `text.length` when it ends too early; undefined when it is valid. A scan with a stack of open
 * brackets (no recursion, so deep nesting cannot overflow).
 */
export function invalidJsonAt(text: string): number | undefined {
  const open: string[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && isJsonSpace(text.charCodeAt(i))) i++;
  };
  // The index where a value starting at i fails, or undefined with i past it (or past an opening bracket).
  const value = (): number | undefined => {
    const c = text[i];
    if (c === '{' || c === '[') {
      open.push(c);
      i++;
      return undefined;
    }
    if (c === '"') {
      for (i++; ; i++) {
        const d = text[i];
        if (d === undefined) return i;
        if (d === '"') break;
        if (d.charCodeAt(0) < 0x20) return i;
        if (d === '\\') {
          i++;
          if (text[i] === 'u') {
            for (let k = 0; k < 4; k++) if (!isHex(text[++i])) return i;
          } else if (text[i] === undefined || !ESCAPED.includes(text[i]!)) return i;
        }
      }
      i++;
      return undefined;
    }
    if (c === '-' || isDigit(c)) {
      if (c === '-') i++;
      if (text[i] === '0') i++;
      else if (isDigit(text[i])) while (isDigit(text[i])) i++;
      else return i;
      if (text[i] === '.') {
        i++;
        if (!isDigit(text[i])) return i;
        while (isDigit(text[i])) i++;
      }
      if (text[i] === 'e' || text[i] === 'E') {
        i++;
        if (text[i] === '+' || text[i] === '-') i++;
        if (!isDigit(text[i])) return i;
        while (isDigit(text[i])) i++;
      }
      return undefined;
    }
    const literal = c === undefined ? undefined : LITERALS[c];
    if (literal === undefined) return i;
    for (const l of literal) {
      if (text[i] !== l) return i;
      i++;
    }
    return undefined;
  };
  // What may come next: a value, a value or the close of an empty array, a key, a key or the close
  // of an empty object, or (after a value inside brackets) a comma or the close.
  let next: 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'after-value' = 'value';
  for (;;) {
    skipSpace();
    const c = text[i];
    if (next === 'after-value') {
      const top = open.at(-1);
      if (top === undefined) return i < text.length ? i : undefined;
      if (c === ',') {
        i++;
        next = top === '[' ? 'value' : 'key';
      } else if (c === (top === '[' ? ']' : '}')) {
        i++;
        open.pop();
      } else return i;
      continue;
    }
    if ((next === 'value-or-close' && c === ']') || (next === 'key-or-close' && c === '}')) {
      i++;
      open.pop();
      next = 'after-value';
      continue;
    }
    if (next === 'key' || next === 'key-or-close') {
      if (c !== '"') return i;
      const bad = value();
      if (bad !== undefined) return bad;
      skipSpace();
      if (text[i] !== ':') return i;
      i++;
      next = 'value';
      continue;
    }
    const depth = open.length;
    const bad = value();
    if (bad !== undefined) return bad;
    next = open.length > depth ? (open.at(-1) === '[' ? 'value-or-close' : 'key-or-close') : 'after-value';
  }
}

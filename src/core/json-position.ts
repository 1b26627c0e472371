/**
 * Where JSON text stops being valid: the one rule for the is-json and json-schema excerpt
 * (scoring/json-output.ts) and the column of a JSONL dataset row that is not JSON
 * (infra/dataset-read.ts).
 */

/** JSON's whitespace (RFC 8259): all JSON.parse, or Python's json.loads, skips around a value. */
export const isJsonSpace = (unit: number): boolean => unit === 0x20 || unit === 0x09 || unit === 0x0a || unit === 0x0d;

/** The position JSON.parse's message names at its end (`in JSON at position 18`, `after JSON at position 18`, Node 20 and 22 adding `(line 1 column 19)`). */
const NAMED_POSITION = / (?:in|after) JSON at position (\d+)(?: \(line \d+ column \d+\))?$/;

/** JSON.parse's `message` without the position it ends with. */
export const withoutPosition = (message: string): string => {
  const named = NAMED_POSITION.exec(message);
  return named ? message.slice(0, named.index) : message;
};

/**
 * The index in `text` where JSON.parse failed with `message`: the position the message names, else
 * where the scan finds the text stops being valid JSON, since V8's most common message
 * (`Unexpected token ']', "[1,2,]" is not valid JSON`) names none and its echo of the text may be
 * shortened or hold the token more than once. Anchored at the end, so an echo that quotes
 * "position 9" is not read as one.
 */
export function jsonParseFaultAt(message: string, text: string): number | undefined {
  const named = NAMED_POSITION.exec(message);
  return named ? Number(named[1]) : invalidJsonAt(text);
}

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

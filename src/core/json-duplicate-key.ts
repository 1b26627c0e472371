/**
 * A key written twice in one JSON object. JSON.parse keeps the later value without a word, so a
 * data file's row `{"expect":[…],"expect":[…]}` would lose its first expectations; YAML readers
 * refuse the same row (yaml-source.ts, "duplicate key"). Two passes: a count that costs one native
 * regex scan per row, and, only when the count says a key went missing, a scan that finds it.
 */

/** Every string of a JSON text, whole and left to right (so none starts inside another), and whether a colon follows it (a key). Made per call: a global regex keeps its position. */
const strings = (): RegExp => /"[^"\\]*(?:\\.[^"\\]*)*"(\s*:)?/g;

function keysWritten(text: string): number {
  let n = 0;
  for (const m of text.matchAll(strings())) if (m[1] !== undefined) n++;
  return n;
}

/** The keys of every object in a parsed value (without recursion: a row may nest deep). */
function keysKept(value: unknown): number {
  let n = 0;
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    const values = Object.values(v);
    if (!Array.isArray(v)) n += values.length;
    for (const inner of values) if (inner !== null && typeof inner === 'object') stack.push(inner);
  }
  return n;
}

export interface DuplicateKey {
  /** The key as JSON.parse reads it (escapes decoded: `"a"` and `"\u0061"` are one key). */
  key: string;
  /** The dotted path of the key's second occurrence (`vars.question`, `expect`), as problems name fields. */
  field: string;
  /** Where its second occurrence starts (a code-unit index into `text`). */
  index: number;
}

/** The first key written twice in one object of `text`, which JSON.parse read as `parsed`; undefined when none. */
export function duplicateJsonKey(text: string, parsed: unknown): DuplicateKey | undefined {
  if (keysWritten(text) === keysKept(parsed)) return undefined;
  // Each open container: the keys of an object so far (with the last key, its name on the path), or an array's index.
  const open: Array<{ keys: Set<string>; last?: string } | { index: number }> = [];
  const pathTo = (key: string) => [...open.slice(0, -1).map((c) => ('keys' in c ? c.last! : String(c.index))), key].join('.');
  const string = strings();
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      string.lastIndex = i;
      const m = string.exec(text)!;
      const top = open[open.length - 1];
      if (m[1] !== undefined && top && 'keys' in top) {
        const key = JSON.parse(m[0].slice(0, m[0].lastIndexOf('"') + 1)) as string;
        if (top.keys.has(key)) return { key, field: pathTo(key), index: i };
        top.keys.add(key);
        top.last = key;
      }
      i = string.lastIndex - 1;
    } else if (c === '{') open.push({ keys: new Set() });
    else if (c === '[') open.push({ index: 0 });
    else if (c === '}' || c === ']') open.pop();
    else if (c === ',') {
      const top = open[open.length - 1];
      if (top && 'index' in top) top.index++;
    }
  }
  return undefined;
}

/**
 * Where a character of a string scalar's value was written in the file: the one rule that lets a
 * problem found inside a value (a template's placeholder, core/template.ts) point at its own line
 * and column instead of at the key. Pure: the caller gives the file's text and the node's style,
 * range and value (core/yaml-locate.ts, from the `yaml` library's nodes).
 *
 * Mapped exactly, or not at all (the caller keeps the key's position):
 * - a literal block scalar (`|`, `|-`, `|+`, `|2`…): line by line, its body lines less their indentation;
 * - a plain, single-quoted or double-quoted scalar written on one line: the value's start plus the
 *   offset, through `''` and the double-quoted escapes;
 * - a folded block scalar (`>`) and a flow scalar over several lines are not mapped.
 * Each mapping is checked against the value the parser read: a text it does not rebuild (a tab in
 * an indentation, an unknown escape) is not mapped.
 */

export interface WrittenScalar {
  /** The `yaml` library's style: PLAIN, QUOTE_SINGLE, QUOTE_DOUBLE, BLOCK_LITERAL or BLOCK_FOLDED. */
  type?: string;
  /** The node's range in the text: its start and the end of its value. */
  range: readonly [number, number, ...number[]];
  value: string;
}

/**
 * Where each UTF-16 unit of the value was written (the text offset of unit `at` is `map[at]`), or
 * undefined when that cannot be known exactly. One pass over the scalar: a caller placing many
 * problems in one value keeps the map (core/yaml-locate.ts does, per node).
 */
export function scalarSourceOffsets(text: string, node: WrittenScalar): OffsetMap | undefined {
  return node.type === 'BLOCK_LITERAL' ? literalBlockMap(text, node) : oneLineFlowMap(text, node);
}

/** Each value unit's text offset, for a value the text rebuilds to exactly. */
export type OffsetMap = readonly number[];

function oneLineFlowMap(text: string, node: WrittenScalar): OffsetMap | undefined {
  const [start, end] = node.range;
  const written = text.slice(start, end);
  if (/[\r\n]/.test(written)) return undefined;
  let built = '';
  const map: number[] = [];
  const put = (s: string, from: number) => {
    built += s;
    for (let k = 0; k < s.length; k++) map.push(from);
  };
  if (node.type === 'PLAIN') {
    for (let j = 0; j < written.length; j++) put(written[j]!, start + j);
  } else if (node.type === 'QUOTE_SINGLE') {
    for (let j = 1; j < written.length - 1; j++) {
      put(written[j]!, start + j);
      if (written[j] === "'") j++; // `''` is one quote
    }
  } else if (node.type === 'QUOTE_DOUBLE') {
    for (let j = 1; j < written.length - 1; j++) {
      if (written[j] !== '\\') {
        put(written[j]!, start + j);
        continue;
      }
      const escape = doubleQuotedEscape(written, j);
      if (!escape) return undefined;
      put(escape.value, start + j);
      j += escape.length - 1;
    }
  } else return undefined;
  return built === node.value ? map : undefined;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};
const HEX_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };

/** The escape at `j` (a backslash) in a double-quoted scalar: what it stands for and how long it is written. */
function doubleQuotedEscape(written: string, j: number): { value: string; length: number } | undefined {
  const c = written[j + 1];
  if (c === undefined) return undefined;
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined) return { value: simple, length: 2 };
  const digits = HEX_DIGITS[c];
  if (digits === undefined) return undefined;
  const hex = written.slice(j + 2, j + 2 + digits);
  if (!new RegExp(`^[0-9A-Fa-f]{${digits}}$`).test(hex)) return undefined;
  const code = parseInt(hex, 16);
  return code > 0x10ffff ? undefined : { value: String.fromCodePoint(code), length: 2 + digits };
}

/**
 * A literal block scalar's body: the lines after its header up to the end of its value, each less
 * the body's indentation. That indentation is the first content line's (or the header's explicit
 * indicator's, relative to a parent this function does not see): each candidate from the first
 * content line's indentation down is tried, and the one whose lines rebuild the value is it.
 */
function literalBlockMap(text: string, node: WrittenScalar): OffsetMap | undefined {
  const [start, end] = node.range;
  const headerEnd = text.indexOf('\n', start);
  if (headerEnd === -1 || headerEnd >= end) return undefined;
  const lines: Array<{ at: number; text: string }> = [];
  for (let at = headerEnd + 1; at < end; ) {
    const next = text.indexOf('\n', at);
    const stop = next === -1 || next > end ? end : next;
    lines.push({ at, text: text.slice(at, text[stop - 1] === '\r' ? stop - 1 : stop) });
    at = stop + 1;
  }
  const first = lines.find((l) => l.text.trim() !== '');
  if (!first) return undefined;
  for (let indent = /^ */.exec(first.text)![0].length; indent > 0; indent--) {
    let built = '';
    const map: number[] = [];
    for (const line of lines) {
      const body = line.text.slice(indent);
      built += `${body}\n`;
      for (let k = 0; k <= body.length; k++) map.push(line.at + indent + k);
    }
    // The chomping indicator keeps or strips the final line breaks; the units before them are the same.
    if (built.startsWith(node.value) && /^\n*$/.test(built.slice(node.value.length))) return map;
    if (node.value.startsWith(built) && /^\n*$/.test(node.value.slice(built.length))) return map;
  }
  return undefined;
}

import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import type { Problem } from './errors.js';

/**
 * Parses YAML text into data plus a `locate` function that maps a field path to its line and
 * column, so every problem can be reported as `file:line:col field: message`. Pure: the caller
 * reads the bytes. Hardened against resource exhaustion: alias expansion is capped, duplicate
 * keys are errors, and the byte size and UTF-8 validity are checked before parsing.
 */

export const MAX_FILE_BYTES = 1024 * 1024;
const MAX_ALIAS_COUNT = 100;

export type FieldPath = ReadonlyArray<string | number>;
export interface Position {
  line: number;
  col: number;
}
export type Locate = (path: FieldPath) => Position;

export interface ParsedYaml {
  data: unknown;
  locate: Locate;
  problems: Problem[];
}

function problem(file: string, pos: Position, field: string, message: string): Problem {
  return { file, line: pos.line, col: pos.col, field, message, severity: 'error' };
}

/** Line and column of a byte offset in bytes that failed UTF-8 decoding. */
function bytePosition(bytes: Uint8Array, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: offset - lineStart + 1 };
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  // Find the smallest prefix that fails to decode; binary search keeps this O(n log n) worst case.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    try {
      decoder.decode(bytes.subarray(0, mid + 1), { stream: true });
      decoder.decode();
      lo = mid + 1;
    } catch {
      hi = mid;
    }
  }
  return lo;
}

/** Decodes bytes as strict UTF-8, or returns the problem. */
export function decodeUtf8(bytes: Uint8Array, file: string): { text?: string; problems: Problem[] } {
  if (bytes.length > MAX_FILE_BYTES) {
    return {
      problems: [problem(file, { line: 1, col: 1 }, '', `file is ${bytes.length} bytes; the limit is ${MAX_FILE_BYTES} (1 MiB)`)],
    };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, problems: [] };
  } catch {
    const at = firstInvalidUtf8(bytes);
    return { problems: [problem(file, bytePosition(bytes, at), '', 'invalid UTF-8 byte sequence; save the file as UTF-8')] };
  }
}

function makeLocate(doc: Document, lc: LineCounter): Locate {
  // Walk down as far as the path exists and point at the deepest key or item found, so a missing
  // key points at its parent and a wrong value at its own key.
  return (path) => {
    let node: unknown = doc.contents;
    let offset = doc.contents?.range?.[0] ?? 0;
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(key));
        if (!pair) break;
        if (isScalar(pair.key) && pair.key.range) offset = pair.key.range[0];
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number') {
        const item = node.items[key] as { range?: [number, number, number] } | undefined;
        if (!item) break;
        if (item.range) offset = item.range[0];
        node = item;
      } else break;
    }
    const p = lc.linePos(offset);
    return { line: p.line, col: p.col };
  };
}

/** Parses YAML text; syntax problems come back with positions instead of being thrown. */
export function parseYamlText(text: string, file: string): ParsedYaml {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false, strict: true });
  const locate = makeLocate(doc, lc);
  const problems: Problem[] = doc.errors.map((e) => {
    const p = lc.linePos(e.pos[0]);
    const msg = e.message.split('\n')[0] ?? e.message;
    const kind = e.code === 'DUPLICATE_KEY' ? 'duplicate key: ' : 'YAML syntax: ';
    return problem(file, { line: p.line, col: p.col }, '', kind + msg.replace(/ at line \d+, column \d+:?$/, ''));
  });
  if (problems.length) return { data: undefined, locate, problems };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const message =
      e instanceof ReferenceError
        ? `too many alias expansions (limit ${MAX_ALIAS_COUNT}); anchors and aliases must not multiply content`
        : `YAML could not be read: ${(e as Error).message}`;
    return { data: undefined, locate, problems: [problem(file, { line: 1, col: 1 }, '', message)] };
  }
  return { data, locate, problems };
}

export function formatPath(path: FieldPath): string {
  return path.map(String).join('.');
}

/** Validates data against a zod schema, turning every issue into a positioned problem. */
export function validate<S extends z.ZodType>(
  schema: S,
  parsed: ParsedYaml,
  file: string,
): { value?: z.infer<S>; problems: Problem[] } {
  const result = schema.safeParse(parsed.data);
  if (result.success) return { value: result.data, problems: [] };
  const problems: Problem[] = [];
  for (const issue of result.error.issues) {
    const base = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = [...base, key];
        problems.push(problem(file, parsed.locate(path), formatPath(path), `unknown key "${key}" (check the spelling)`));
      }
      continue;
    }
    problems.push(problem(file, parsed.locate(base), formatPath(base), issue.message));
  }
  return { problems };
}

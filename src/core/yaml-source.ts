import { createRequire } from 'node:module';
import type { Document, LineCounter } from 'yaml';
import type { z } from 'zod';
import type { Problem } from './errors.js';
import { fastParse } from './yaml-fast-path.js';

/**
 * The `yaml` library is loaded on first use, not at import: clean files never need it (js-yaml reads
 * them), and evaluating it costs a short command such as `status` a few per cent of its run time.
 * In the CLI bundle esbuild turns `require('yaml')` into a bundled module evaluated on first call;
 * in plain ESM (the library, tests) `require` does not exist and Node's own require loads it.
 */
type YamlLib = typeof import('yaml');
declare const require: ((id: 'yaml') => unknown) | undefined;
let yamlLib: YamlLib | undefined;
export function yaml(): YamlLib {
  yamlLib ??= (typeof require === 'function' ? require('yaml') : createRequire(import.meta.url)('yaml')) as YamlLib;
  return yamlLib;
}

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
  // Find the shortest prefix that a fresh streaming decoder rejects. In stream mode an incomplete
  // sequence at the end of a prefix is not an error, so "the prefix decodes" is monotone and a
  // binary search is exact (O(n log n) worst case). A flushing decoder would reject prefixes that
  // merely cut a valid multi-byte character in two, and point far from the bad byte.
  const decodes = (end: number): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (decodes(mid + 1)) lo = mid + 1;
    else hi = mid;
  }
  // `lo` is the byte where decoding broke (or the end of the file for a truncated last character).
  // If a multi-byte sequence was left unfinished just before it, point at that sequence's lead byte.
  let at = lo;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, at));
  } catch {
    while (at > 0 && ((bytes[at - 1] ?? 0) & 0xc0) === 0x80) at--;
    if (at > 0) at--;
  }
  return at;
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
    // Name the field that holds the bad byte: parse a lossy decoding and look up the character offset.
    const charOffset = new TextDecoder('utf-8').decode(bytes.subarray(0, at)).length;
    const field = formatPath(pathAt(yaml().parseDocument(new TextDecoder('utf-8').decode(bytes)), charOffset));
    return { problems: [problem(file, bytePosition(bytes, at), field, 'invalid UTF-8 byte sequence; save the file as UTF-8')] };
  }
}

function makeLocate(doc: Document, lc: LineCounter): Locate {
  // Walk down as far as the path exists and point at the deepest key or item found, so a missing
  // key points at its parent and a wrong value at its own key.
  return (path) => {
    let node: unknown = doc.contents;
    let offset = doc.contents?.range?.[0] ?? 0;
    for (const key of path) {
      if (yaml().isMap(node)) {
        const pair = node.items.find((it) => yaml().isScalar(it.key) && String(it.key.value) === String(key));
        if (!pair) break;
        if (yaml().isScalar(pair.key) && pair.key.range) offset = pair.key.range[0];
        node = pair.value;
      } else if (yaml().isSeq(node) && typeof key === 'number') {
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

type Ranged = { range?: [number, number, number] | null } | null | undefined;
const within = (n: Ranged, offset: number): boolean =>
  !!n?.range && offset >= n.range[0] && offset < Math.max(n.range[2], n.range[0] + 1);

/** The field path of the deepest key or item at a text offset, so a YAML error can name its field. */
function pathAt(doc: Document, offset: number): FieldPath {
  const path: Array<string | number> = [];
  let node: unknown = doc.contents;
  for (let depth = 0; depth < 32; depth++) {
    if (yaml().isMap(node)) {
      const pair = node.items.find((it) => within(it.key as Ranged, offset) || within(it.value as Ranged, offset));
      if (!pair || !yaml().isScalar(pair.key)) break;
      path.push(String(pair.key.value));
      if (within(pair.key as Ranged, offset)) break;
      node = pair.value;
    } else if (yaml().isSeq(node)) {
      const i = node.items.findIndex((it) => within(it as Ranged, offset));
      if (i === -1) break;
      path.push(i);
      node = node.items[i];
    } else break;
  }
  return path;
}

const PARSE_OPTIONS = { uniqueKeys: true, prettyErrors: false, strict: true, logLevel: 'error' } as const;

/**
 * A locate for a file that parsed cleanly: it keeps only the text and parses it again the first
 * time a position is asked for. A parsed Document weighs about 20 times its text, and a project
 * with 100,000 cases would otherwise keep every suite's Document alive for the whole run, while
 * positions are needed only to report a problem.
 */
function lazyLocate(source: () => string): Locate {
  let located: Locate | undefined;
  return (path) => {
    if (!located) {
      const lc = new (yaml().LineCounter)();
      located = makeLocate(yaml().parseDocument(source(), { ...PARSE_OPTIONS, lineCounter: lc }), lc);
    }
    return located(path);
  };
}

/**
 * Parses YAML text; syntax problems come back with positions instead of being thrown. `reread`,
 * when given, fetches the text again if a position is asked for later, so the caller need not
 * keep every file's text alive (a large project's suites are megabytes).
 */
export { fastParse as fastParseForTests } from './yaml-fast-path.js';

export function parseYamlText(text: string, file: string, reread?: () => string): ParsedYaml {
  const fast = fastParse(text);
  if (fast.ok) return { data: fast.data, locate: lazyLocate(reread ?? (() => text)), problems: [] };
  const lc = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { ...PARSE_OPTIONS, lineCounter: lc });
  const locate = makeLocate(doc, lc);
  const problems: Problem[] = doc.errors.map((e) => {
    const p = lc.linePos(e.pos[0]);
    const msg = e.message.split('\n')[0] ?? e.message;
    const kind = e.code === 'DUPLICATE_KEY' ? 'duplicate key: ' : 'YAML syntax: ';
    return problem(file, { line: p.line, col: p.col }, formatPath(pathAt(doc, e.pos[0])), kind + msg.replace(/ at line \d+, column \d+:?$/, ''));
  });
  if (problems.length) return { data: undefined, locate, problems };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    // Point at the first alias: that is where content starts to multiply.
    let aliasAt: number | undefined;
    const { visit } = yaml();
    visit(doc, {
      Alias(_key, node) {
        aliasAt = node.range?.[0];
        return visit.BREAK;
      },
    });
    const at = aliasAt ?? 0;
    const message =
      e instanceof ReferenceError
        ? `too many alias expansions (limit ${MAX_ALIAS_COUNT}); anchors and aliases must not multiply content`
        : `YAML could not be read: ${(e as Error).message}`;
    const pos = lc.linePos(at);
    return { data: undefined, locate, problems: [problem(file, { line: pos.line, col: pos.col }, formatPath(pathAt(doc, at)), message)] };
  }
  return { data, locate: lazyLocate(reread ?? (() => text)), problems };
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

import type { Document } from 'yaml';
import type { Problem } from './errors.js';
import { fastParse } from './yaml-fast-path.js';
import { aliasInsideItsAnchor } from './yaml-alias-cycle.js';
import { bytePosition, firstInvalidUtf8, utf16Text } from './invalid-utf8.js';
import { makeLocate } from './yaml-locate.js';

/**
 * Parses YAML text into data plus a `locate` function that maps a field path to its line and
 * column, so every problem can be reported as `file:line:col field: message`. Pure: the caller
 * reads the bytes. Hardened against resource exhaustion: alias expansion is capped, duplicate
 * keys are errors, and the byte size and UTF-8 validity are checked before parsing.
 */

export type YamlLib = typeof import('yaml');
/**
 * Gives the `yaml` library. Clean files never need it (js-yaml reads them), so it is asked for only
 * when a file takes the full parser or a position is wanted; infra/yaml-text.ts loads it on first
 * call, which keeps module loading (and its cache) out of core.
 */
export type LoadYaml = () => YamlLib;

export const MAX_FILE_BYTES = 1024 * 1024;
const MAX_ALIAS_COUNT = 100;

export type FieldPath = ReadonlyArray<string | number>;
export interface Position {
  line: number;
  col: number;
  /**
   * The text a number at the path was written as (`02134`, `1e3`, a 20-digit integer), when the
   * whole path exists and ends at a plain number whose value's own text differs from it
   * (core/written-number.ts). Only a locate that read the file's YAML gives it.
   */
  written?: string;
}
/**
 * The position of the field at `path`. `at`, for a string value, is a UTF-16 offset into it: the
 * position is then that character's own where the file's text tells it exactly (core/yaml-scalar-offset.ts), else the field's.
 */
export type Locate = (path: FieldPath, at?: number) => Position;

export interface ParsedYaml {
  data: unknown;
  locate: Locate;
  problems: Problem[];
}

/** A problem at a position of `file`: an error. */
export function problem(file: string, pos: Position, field: string, message: string): Problem {
  return { file, line: pos.line, col: pos.col, field, message, severity: 'error' };
}

/** Decodes bytes as strict UTF-8, or returns the problem. */
function decodeUtf8(yaml: LoadYaml, bytes: Uint8Array, file: string): { text?: string; problems: Problem[] } {
  if (bytes.length > MAX_FILE_BYTES) {
    return {
      problems: [problem(file, { line: 1, col: 1 }, '', `file is ${bytes.length} bytes; the limit is ${MAX_FILE_BYTES} (1 MiB)`)],
    };
  }
  const utf16 = utf16Text(bytes);
  if (utf16) return { problems: [problem(file, { line: 1, col: 1 }, '', utf16)] };
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, problems: [] };
  } catch {
    const at = firstInvalidUtf8(bytes);
    // Name the field that holds the bad byte: parse a lossy decoding and look up the character offset.
    const charOffset = new TextDecoder('utf-8').decode(bytes.subarray(0, at)).length;
    const y = yaml();
    const path = pathAt(y, y.parseDocument(new TextDecoder('utf-8').decode(bytes)), charOffset);
    // A key holding the bad bytes decodes to U+FFFD, which no field of the file is called: the path stops above it.
    const bad = path.findIndex((k) => typeof k === 'string' && k.includes('\uFFFD'));
    const field = formatPath(bad === -1 ? path : path.slice(0, bad));
    return { problems: [problem(file, bytePosition(bytes, at), field, 'invalid UTF-8 byte sequence; save the file as UTF-8')] };
  }
}

type Ranged = { range?: [number, number, number] | null } | null | undefined;
const within = (n: Ranged, offset: number): boolean =>
  !!n?.range && offset >= n.range[0] && offset < Math.max(n.range[2], n.range[0] + 1);

/**
 * The field path of the deepest key or item at a text offset, so a YAML error can name its field.
 * A key that spans lines is not one the file has: after a syntax error the parser may join a value
 * and the next line into a key (`version: 1.1.0` then a mis-indented `  description:` reads as the
 * key "1.1.0 description" under version), so the path stops above it.
 */
function pathAt(y: YamlLib, doc: Document, offset: number, text?: string): FieldPath {
  const path: Array<string | number> = [];
  let node: unknown = doc.contents;
  const multiLine = (n: Ranged) => text !== undefined && !!n?.range && text.slice(n.range[0], n.range[1]).includes('\n');
  for (let depth = 0; depth < 32; depth++) {
    if (y.isMap(node)) {
      const pair = node.items.find((it) => within(it.key as Ranged, offset) || within(it.value as Ranged, offset));
      if (!pair || !y.isScalar(pair.key) || multiLine(pair.key as Ranged)) break;
      path.push(String(pair.key.value));
      if (within(pair.key as Ranged, offset)) break;
      node = pair.value;
    } else if (y.isSeq(node)) {
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
function lazyLocate(yaml: LoadYaml, source: () => string): Locate {
  let located: Locate | undefined;
  return (path, at) => {
    if (!located) {
      const y = yaml();
      const lc = new y.LineCounter();
      // The text was parsed without its byte order mark (decodeUtf8): a re-read keeps it, and would put line 1's columns one to the right.
      const text = source();
      const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
      located = makeLocate(y, y.parseDocument(clean, { ...PARSE_OPTIONS, lineCounter: lc }), lc, clean);
    }
    return located(path, at);
  };
}

/**
 * Parses YAML text; syntax problems come back with positions instead of being thrown. `reread`,
 * when given, fetches the text again if a position is asked for later, so the caller need not
 * keep every file's text alive (a large project's suites are megabytes).
 */
function parseYamlText(yaml: LoadYaml, text: string, file: string, reread?: () => string): ParsedYaml {
  const fast = fastParse(text);
  if (fast.ok) return { data: fast.data, locate: lazyLocate(yaml, reread ?? (() => text)), problems: [] };
  const stray = strayCarriageReturn(text, file);
  if (stray) return { data: undefined, locate: () => ({ line: stray.line, col: 1 }), problems: [stray] };
  const y = yaml();
  const lc = new y.LineCounter();
  const doc = y.parseDocument(text, { ...PARSE_OPTIONS, lineCounter: lc });
  const locate = makeLocate(y, doc, lc, text);
  let lines: string[] | undefined;
  const tabbedLines = new Set<number>();
  const problems: Problem[] = doc.errors.map((e) => {
    const p = lc.linePos(e.pos[0]);
    const msg = e.message.split('\n')[0] ?? e.message;
    const kind = e.code === 'DUPLICATE_KEY' ? 'duplicate key: ' : 'YAML syntax: ';
    // The library's own advice (`please use YAML.parseAllDocuments()`) is for programmers, not for a file's author.
    const said = e.code === 'MULTIPLE_DOCS' ? multipleDocuments(text, e.pos[0], p.line) : kind + msg.replace(/ at line \d+, column \d+:?$/, '');
    // A tab in the indentation gives the library's words about indents ("Block scalar lines must not
    // be less indented…"), which do not name the tab an editor shows as spaces.
    // Said once per line, at its first problem.
    const tabbed = !/\btab/i.test(said) && !tabbedLines.has(p.line) && /^ *\t/.test((lines ??= text.split('\n'))[p.line - 1] ?? '');
    if (tabbed) tabbedLines.add(p.line);
    return problem(file, { line: p.line, col: p.col }, formatPath(pathAt(y, doc, e.pos[0], text)), tabbed ? `${said} (the line is indented with a tab: YAML indents with spaces only)` : said);
  });
  if (problems.length) return { data: undefined, locate, problems };
  // Before toJS, which would build the circular value that every later walk recursed on for ever.
  const cycle = aliasInsideItsAnchor(y, doc);
  if (cycle) {
    const pos = lc.linePos(cycle.at);
    return { data: undefined, locate, problems: [problem(file, { line: pos.line, col: pos.col }, formatPath(pathAt(y, doc, cycle.at, text)), cycle.message)] };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    // Point at the first alias: that is where content starts to multiply.
    let aliasAt: number | undefined;
    const { visit } = y;
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
    return { data: undefined, locate, problems: [problem(file, { line: pos.line, col: pos.col }, formatPath(pathAt(y, doc, at, text)), message)] };
  }
  return { data, locate: lazyLocate(yaml, reread ?? (() => text)), problems };
}

/**
 * A carriage return that ends no line (CR CR LF, what a CRLF writer behind a stream that also turns
 * LF into CRLF leaves; or CR alone, old Mac line endings): the parser reads each as a line break of
 * its own and reports dozens of errors with fields that are not wrong. One problem says what it is.
 */
function strayCarriageReturn(text: string, file: string): Problem | undefined {
  const at = /\r(?!\n)/.exec(text)?.index;
  if (at === undefined) return undefined;
  const before = text.slice(0, at);
  const line = (before.match(/\n/g)?.length ?? 0) + 1;
  const col = at - before.lastIndexOf('\n');
  const endings = text[at + 1] === '\r' ? 'ends with CR CR LF (a CRLF file passed through a tool that turned each LF into CRLF again)' : 'holds a carriage return (CR) without a line feed after it (CR-only line endings?)';
  return problem(file, { line, col }, '', `line ${line} ${endings}: YAML would read each CR as a line break of its own; save the file with LF or CRLF line endings (e.g. your editor's line-ending setting, or dos2unix)`);
}

/**
 * A second document in a file, found at `offset` (line `line`): a `---` there starts it, or a `...`
 * on a line above ended the first one before more text.
 */
function multipleDocuments(text: string, offset: number, line: number): string {
  const lines = text.slice(0, offset).split('\n');
  const here = text.slice(offset - lines.at(-1)!.length).split('\n', 1)[0]!;
  const end = lines.findLastIndex((l) => /^\.\.\.\s*$/.test(l));
  if (here.startsWith('---')) {
    // `...` right above it ends the first document: both markers go.
    const markers = end >= 0 && lines.slice(end + 1, -1).every((l) => l.trim() === '') ? `\`...\` and \`---\` at lines ${end + 1} and ${line}` : `\`---\` at line ${line}`;
    return `more than one YAML document: a file holds one, so remove the ${markers} (a second version or suite goes in a file of its own)`;
  }
  if (end >= 0) return `more than one YAML document: a file holds one, so remove the \`...\` at line ${end + 1} (it ends the document before the text from line ${line} on)`;
  return `more than one YAML document: a file holds one, and a second one starts at line ${line}`;
}

/** YAML reading bound to a way of getting the `yaml` library (infra/yaml-text.ts gives the real one). */
export interface YamlReader {
  decodeUtf8(bytes: Uint8Array, file: string): { text?: string; problems: Problem[] };
  parseYamlText(text: string, file: string, reread?: () => string): ParsedYaml;
  /** Positions in a file known to be clean, parsed from `source()` only when first asked for. */
  locateLater(source: () => string): Locate;
}

export function yamlReader(yaml: LoadYaml): YamlReader {
  return {
    decodeUtf8: (bytes, file) => decodeUtf8(yaml, bytes, file),
    parseYamlText: (text, file, reread) => parseYamlText(yaml, text, file, reread),
    locateLater: (source) => lazyLocate(yaml, source),
  };
}

export function formatPath(path: FieldPath): string {
  return path.map(String).join('.');
}

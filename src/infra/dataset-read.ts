import { createHash, type Hash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { canonicalJson } from '../core/canonical.js';
import { csvRecords, CsvError } from '../core/csv.js';
import type { DatasetRow } from '../core/dataset-rows.js';
import { hardToSeeName, hiddenInBlankLine } from '../core/character-names.js';
import { duplicateJsonKey } from '../core/json-duplicate-key.js';
import { jsonNumberTexts } from '../core/json-number-text.js';
import { ownValue } from '../core/own-key.js';
import { isJsonSpace, jsonParseFaultAt, withoutPosition } from '../core/json-position.js';
import type { CasesFrom } from '../core/schemas/evalset.js';
import { readLines, type LineSource } from './text-lines.js';
import { parseYamlText } from './yaml-text.js';

/**
 * The rows of a `cases_from` file, one format each: JSONL and CSV line by line (readLines keeps a
 * fixed buffer), a YAML list parsed whole. datasets.ts turns the rows into cases.
 */

/** YAML lists are parsed whole: cap them where a JSONL file would be the better choice. */
const MAX_YAML_BYTES = 16 * 1024 * 1024;

export class DatasetReadError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly col = 1,
  ) {
    super(message);
  }
}

export function formatOf(spec: CasesFrom): CasesFrom['format'] {
  if (spec.format) return spec.format;
  const ext = path.extname(spec.file).toLowerCase();
  return ext === '.jsonl' || ext === '.ndjson' ? 'jsonl' : ext === '.csv' ? 'csv' : ext === '.yaml' || ext === '.yml' ? 'yaml' : undefined;
}

/**
 * A row of a dataset, or what is wrong with that one row: reading goes on past it, so lint lists
 * every bad row. A fault of the whole file (bad UTF-8, an unclosed CSV quote, a faulty header, YAML
 * that does not parse) is thrown instead: nothing after it can be read (the rows before it were).
 */
export type RowItem = { row: DatasetRow; line: number; written?: Record<string, string> } | { fault: string; line: number; col?: number; field?: string };

/**
 * The columns of a JSONL or YAML row whose number was written as another text than the parsed
 * value's (`02134`, `1.50`, a 20-digit integer): what lint's vars/number-* rules compare. Asked only
 * of a row holding a number, so a row of strings costs nothing.
 */
function writtenNumbers(row: DatasetRow, textOf: (column: string) => string | undefined): { written?: Record<string, string> } {
  const out: Record<string, string> = {};
  let any = false;
  for (const [column, value] of Object.entries(row as Record<string, unknown>)) {
    if (typeof value !== 'number') continue;
    const text = textOf(column);
    if (text === undefined || text === String(value)) continue;
    Object.defineProperty(out, column, { value: text, enumerable: true, writable: true, configurable: true });
    any = true;
  }
  return any ? { written: out } : {};
}

const holdsNumber = (row: object): boolean => Object.values(row).some((v) => typeof v === 'number');

const isJsonBlank = (text: string): boolean => [...text].every((c) => isJsonSpace(c.charCodeAt(0)));

const badRow = (fault: string, line: number, col?: number, field?: string): RowItem => ({ fault, line, ...(col === undefined ? {} : { col }), ...(field === undefined ? {} : { field }) });

export function* jsonlRows(abs: LineSource): Generator<RowItem> {
  for (const { text, line } of readLines(abs)) {
    // Only JSON's whitespace makes a line blank (not String.prototype.trim's): a line of U+00A0 or
    // U+2028 is a row some reader of the file would choke on, so it is named, not skipped.
    if (isJsonBlank(text)) continue;
    const hidden = hiddenInBlankLine(text);
    if (hidden) {
      yield badRow(`the line looks blank but holds ${hidden.names}, which JSON does not read as whitespace; delete the line, or leave only spaces and tabs on it`, line, hidden.col);
      continue;
    }
    let row: unknown;
    try {
      row = JSON.parse(text);
    } catch (e) {
      const at = jsonFault((e as Error).message, text);
      yield badRow(`not JSON: ${at.message}`, line, at.col);
      continue;
    }
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      yield badRow('each line must be a JSON object', line);
      continue;
    }
    // JSON.parse keeps a doubled key's last value: the earlier (expectations, a variable) would go without a word.
    const twice = duplicateJsonKey(text, row);
    if (twice) yield badRow(`duplicate key ${JSON.stringify(twice.key)}: an object holds each key once, and JSON readers keep only its last value; merge the two or remove one`, line, twice.index + 1, twice.field);
    else {
      const texts = holdsNumber(row) ? jsonNumberTexts(text) : undefined;
      yield { row: row as DatasetRow, line, ...(texts ? writtenNumbers(row as DatasetRow, (c) => ownValue(texts, c)) : {}) };
    }
  }
}

/**
 * JSON.parse's words and where in the line it failed (core/json-position.ts, the rule is-json's
 * excerpt uses): the position the message names, else the first character no JSON could have
 * there; a line that ends too soon points past its end. The echo of the row V8 adds to an
 * unexpected token (`Unexpected token 'x', "…" is not valid JSON`, shortened with … for a long
 * row) is dropped: the line and column are named already.
 */
export function jsonFault(message: string, text: string): { message: string; col?: number } {
  const at = jsonParseFaultAt(message, text);
  const col = at === undefined ? {} : { col: at + 1 };
  if (/^Unexpected end of JSON input$/.test(message)) return { message: 'the line ends before the JSON value does', ...col };
  const token = /^(Unexpected token '.+?'), .* is not valid JSON$/s.exec(message);
  // A character no excerpt would show (a no-break space, a zero-width space) is named.
  const faulty = at === undefined ? undefined : text.codePointAt(at);
  const unseen = faulty === undefined ? undefined : hardToSeeName(String.fromCodePoint(faulty), text[at! - 1] ?? '');
  const words = token ? token[1]! : withoutPosition(message);
  return { message: unseen ? `${words} (${unseen})` : words, ...col };
}

export function* csvRows(abs: LineSource): Generator<RowItem> {
  let header: string[] | undefined;
  try {
    for (const rec of csvRecords(readLines(abs))) {
      if (!header) {
        if (rec.fault) throw new DatasetReadError(`the header: ${rec.fault.message}`, rec.fault.line, rec.fault.col);
        // In NFC, as the suite names them (an export from a macOS tool may write a name decomposed).
        header = rec.fields.map((f) => f.trim().normalize('NFC'));
        const twice = header.find((h, i) => header!.indexOf(h) !== i);
        if (twice !== undefined) throw new DatasetReadError(`the header names column "${twice}" twice`, rec.line);
        continue;
      }
      if (rec.fault) {
        yield badRow(rec.fault.message, rec.fault.line, rec.fault.col);
        continue;
      }
      if (rec.fields.length !== header.length) {
        yield badRow(`the row has ${rec.fields.length} fields; the header has ${header.length}`, rec.line);
        continue;
      }
      const row: DatasetRow = {};
      // Defined, not assigned: a `__proto__` column stays a column (refused by name, dataset-rows.ts), not a prototype dropped without a word.
      header.forEach((h, i) => (h === '__proto__' ? Object.defineProperty(row, h, { value: rec.fields[i], enumerable: true, writable: true, configurable: true }) : (row[h] = rec.fields[i])));
      yield { row, line: rec.line };
    }
  } catch (e) {
    if (e instanceof CsvError) throw new DatasetReadError(e.message, e.line, e.col);
    throw e;
  }
}

export function* yamlRows(abs: LineSource, file: string, size: number): Generator<RowItem> {
  if (size > MAX_YAML_BYTES) throw new DatasetReadError(`a YAML dataset is limited to ${MAX_YAML_BYTES / 1024 / 1024} MiB; use JSONL for larger sets`, 1);
  const text = [...readLines(abs)].map((l) => l.text).join('\n');
  const parsed = parseYamlText(text, file);
  if (parsed.problems.length) throw new DatasetReadError(parsed.problems[0]!.message, parsed.problems[0]!.line);
  if (!Array.isArray(parsed.data)) throw new DatasetReadError('a YAML dataset must be a list of rows', 1);
  for (const [i, row] of parsed.data.entries()) {
    const line = parsed.locate([i]).line;
    if (row === null || typeof row !== 'object' || Array.isArray(row)) yield badRow('each item must be a mapping (column: value)', line);
    else yield { row: row as DatasetRow, line, ...(holdsNumber(row) ? writtenNumbers(row as DatasetRow, (c) => parsed.locate([i, c]).written) : {}) };
  }
}

export const parseExpectText = (text: string) => {
  const parsed = parseYamlText(text, 'expect');
  return parsed.problems.length ? { error: parsed.problems[0]!.message } : { data: parsed.data };
};

/** The rows of a data file in its format, from its path or its bytes (`size`: the file's, for the YAML cap). */
export function rowsOf(format: NonNullable<CasesFrom['format']>, source: LineSource, file: string, size: number): Generator<RowItem> {
  return format === 'jsonl' ? jsonlRows(source) : format === 'csv' ? csvRows(source) : yamlRows(source, file, size);
}

/** A row into a dataset's digest: its canonical JSON (parsed values, so LF and CRLF files agree), one a line. */
export const hashRow = (hash: Hash, row: DatasetRow): void => void hash.update(canonicalJson(row)).update('\n');

/**
 * The digest loadDataset gives a data file's rows (datasets.ts), read from `source`: its path, or its
 * bytes as another commit holds them. Undefined when the file or a row cannot be read: compared so,
 * it counts as changed.
 */
export function rowsDigest(source: LineSource, spec: CasesFrom, file: string): string | undefined {
  const format = formatOf(spec);
  if (!format) return undefined;
  const hash = createHash('sha256');
  try {
    for (const item of rowsOf(format, source, file, typeof source === 'string' ? statSync(source).size : source.length)) {
      if ('fault' in item) return undefined;
      hashRow(hash, item.row);
    }
  } catch {
    return undefined;
  }
  return hash.digest('hex');
}

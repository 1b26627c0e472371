import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { canonicalJson } from '../core/canonical.js';
import { csvRecords, CsvError } from '../core/csv.js';
import { rowToCase, type DatasetRow } from '../core/dataset-rows.js';
import type { Problem } from '../core/errors.js';
import type { CasesFrom, EvalCase, EvalSet } from '../core/schemas/evalset.js';
import type { Locate } from '../core/yaml-source.js';
import { boundHeapGrowth } from './eval/heap.js';
import { fileProblem } from './yaml-file.js';
import { InvalidUtf8Error, readLines } from './text-lines.js';
import { parseYamlText } from './yaml-text.js';

/**
 * Reading a suite's `cases_from` file. JSONL and CSV are read line by line from a fixed buffer (the
 * file's text is never held whole); each row becomes a compact case at once. The rows' canonical
 * JSON (parsed values, so CRLF and LF files agree) is hashed as it goes: `digest` joins the suite's
 * content hash. A YAML list is parsed whole, as suite files are.
 */

export interface LoadedDataset {
  /** Project-relative path of the data file. */
  file: string;
  cases: EvalCase[];
  /** The line each case's row starts on, in `cases` order. */
  lines: Uint32Array;
  /** SHA-256 over the rows' canonical JSON. */
  digest: string;
  problems: Problem[];
}

/** Beyond this many bad rows, one more problem says how many were not listed. */
const MAX_ROW_PROBLEMS = 50;
/** YAML lists are parsed whole: cap them where a JSONL file would be the better choice. */
const MAX_YAML_BYTES = 16 * 1024 * 1024;
/** Datasets this large (together, in one load) make a large run: bound heap growth as for large suite files (heap.ts). */
const LARGE_DATASET_BYTES = 4 * 1024 * 1024;

class DatasetReadError extends Error {
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
 * every bad row. A fault of the whole file (bad UTF-8, an unclosed CSV quote, a header naming a
 * column twice, YAML that does not parse) is thrown instead: nothing after it can be read.
 */
type RowItem = { row: DatasetRow; line: number } | { fault: string; line: number };

const badRow = (fault: string, line: number): RowItem => ({ fault, line });

function* jsonlRows(abs: string): Generator<RowItem> {
  for (const { text, line } of readLines(abs)) {
    if (text.trim() === '') continue;
    let row: unknown;
    try {
      row = JSON.parse(text);
    } catch (e) {
      yield badRow(`not JSON: ${(e as Error).message}`, line);
      continue;
    }
    if (row === null || typeof row !== 'object' || Array.isArray(row)) yield badRow('each line must be a JSON object', line);
    else yield { row: row as DatasetRow, line };
  }
}

function* csvRows(abs: string): Generator<RowItem> {
  let header: string[] | undefined;
  try {
    for (const rec of csvRecords(readLines(abs))) {
      if (!header) {
        header = rec.fields.map((f) => f.trim());
        const twice = header.find((h, i) => header!.indexOf(h) !== i);
        if (twice !== undefined) throw new DatasetReadError(`the header names column "${twice}" twice`, rec.line);
        continue;
      }
      if (rec.fields.length !== header.length) {
        yield badRow(`the row has ${rec.fields.length} fields; the header has ${header.length}`, rec.line);
        continue;
      }
      const row: DatasetRow = {};
      header.forEach((h, i) => (row[h] = rec.fields[i]));
      yield { row, line: rec.line };
    }
  } catch (e) {
    if (e instanceof CsvError) throw new DatasetReadError(e.message, e.line, e.col);
    throw e;
  }
}

function* yamlRows(abs: string, file: string, size: number): Generator<RowItem> {
  if (size > MAX_YAML_BYTES) throw new DatasetReadError(`a YAML dataset is limited to ${MAX_YAML_BYTES / 1024 / 1024} MiB; use JSONL for larger sets`, 1);
  const text = [...readLines(abs)].map((l) => l.text).join('\n');
  const parsed = parseYamlText(text, file);
  if (parsed.problems.length) throw new DatasetReadError(parsed.problems[0]!.message, parsed.problems[0]!.line);
  if (!Array.isArray(parsed.data)) throw new DatasetReadError('a YAML dataset must be a list of rows', 1);
  for (const [i, row] of parsed.data.entries()) {
    const line = parsed.locate([i]).line;
    if (row === null || typeof row !== 'object' || Array.isArray(row)) yield badRow('each item must be a mapping (column: value)', line);
    else yield { row: row as DatasetRow, line };
  }
}

const parseExpectText = (text: string) => {
  const parsed = parseYamlText(text, 'expect');
  return parsed.problems.length ? { error: parsed.problems[0]!.message } : { data: parsed.data };
};

/**
 * Reads the dataset of a suite. `suiteFile` and `at` place problems about `cases_from` itself;
 * `takenIds` holds the suite's inline case ids (a row may not reuse one).
 */
export function loadDataset(root: string, spec: CasesFrom, suiteFile: string, at: { line: number; col: number }, takenIds: Iterable<string>, read = { bytes: 0 }): LoadedDataset {
  const abs = path.resolve(root, spec.file);
  const file = path.relative(root, abs).split(path.sep).join('/');
  const empty = (message: string): LoadedDataset => ({ file, cases: [], lines: new Uint32Array(0), digest: '', problems: [fileProblem(suiteFile, message, 'cases_from.file', at.line, at.col)] });
  if (file === '..' || file.startsWith('../') || path.isAbsolute(file)) return empty(`cases_from file "${spec.file}" is outside the project: name it relative to the project root`);
  const format = formatOf(spec);
  if (!format) return empty(`cannot tell the format of "${spec.file}" from its extension: name it .jsonl, .csv or .yaml, or set format`);
  let size: number;
  try {
    const st = statSync(abs);
    if (!st.isFile()) return empty(`cases_from file "${spec.file}" is not a file`);
    size = st.size;
  } catch (e) {
    return empty(`cannot read cases_from file "${spec.file}" (relative to the project root): ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  read.bytes += size;
  if (read.bytes > LARGE_DATASET_BYTES) boundHeapGrowth();
  const problems: Problem[] = [];
  let bad = 0;
  const fault = (line: number, message: string, column?: string, col = 1) => {
    if (++bad <= MAX_ROW_PROBLEMS) problems.push(fileProblem(file, message, column ?? '', line, col));
  };
  const cases: EvalCase[] = [];
  const lines: number[] = [];
  const seen = new Map<string, number>();
  for (const id of takenIds) seen.set(id, 0);
  const hash = createHash('sha256');
  const rows = format === 'jsonl' ? jsonlRows(abs) : format === 'csv' ? csvRows(abs) : yamlRows(abs, file, size);
  try {
    for (const item of rows) {
      const { line } = item;
      if ('fault' in item) {
        fault(line, item.fault);
        continue;
      }
      const { row } = item;
      let canonical: string;
      try {
        canonical = canonicalJson(row);
      } catch (e) {
        fault(line, `the row cannot be hashed: ${(e as Error).message}`);
        continue;
      }
      hash.update(canonical).update('\n');
      const r = rowToCase(row, spec, parseExpectText);
      if (!r.case) {
        fault(line, r.fault!.message, r.fault!.column);
        continue;
      }
      const first = seen.get(r.case.id);
      if (first !== undefined) {
        fault(line, `case id "${r.case.id}" is already used ${first ? `by the row on line ${first}` : `by a case in ${suiteFile}`}`, spec.id_column);
        continue;
      }
      seen.set(r.case.id, line);
      cases.push(r.case);
      lines.push(line);
    }
  } catch (e) {
    if (e instanceof InvalidUtf8Error) fault(e.line, e.message);
    else if (e instanceof DatasetReadError) fault(e.line, e.message, undefined, e.col);
    else throw e;
  }
  if (bad > MAX_ROW_PROBLEMS) problems.push(fileProblem(file, `${bad - MAX_ROW_PROBLEMS} more bad rows not listed`));
  if (!problems.length && !cases.length) problems.push(fileProblem(suiteFile, `cases_from file "${spec.file}" has no rows`, 'cases_from.file', at.line, at.col));
  return { file, cases, lines: Uint32Array.from(lines), digest: hash.digest('hex'), problems };
}

export interface SuiteDataset {
  /** Project-relative path of the data file. */
  file: string;
  /** Index in `data.cases` of the first case read from the file. */
  firstCase: number;
  /** The line of each dataset case's row, in order. */
  lines: Uint32Array;
}

/**
 * Appends a suite's dataset rows to its cases and folds their digest into its hash; false (with the
 * problems pushed) when the dataset is unusable, so the suite is refused as a broken file is.
 * Problems about a dataset case that only the suite can place point at `cases_from`.
 */
export function withDataset(
  root: string,
  suite: { file: string; data: EvalSet; hash: string; locate: Locate; dataset?: SuiteDataset },
  problems: Problem[],
  /** Bytes of datasets read so far in this load (many small files make a large run too). */
  read = { bytes: 0 },
): boolean {
  const spec = suite.data.cases_from!;
  const inline = suite.data.cases;
  const loaded = loadDataset(root, spec, suite.file, suite.locate(['cases_from', 'file']), inline.map((c) => c.id), read);
  problems.push(...loaded.problems);
  const rowFault = loaded.problems.find((p) => p.file !== suite.file);
  if (rowFault) {
    // Commands that refuse a prompt's broken files look under evalsets/<prompt>/: the suite names the fault too.
    const bad = loaded.problems.filter((p) => p.file !== suite.file).length;
    const column = rowFault.field ? ` (column "${rowFault.field}")` : '';
    const more = bad > 1 ? `; ${bad - 1} more problem${bad > 2 ? 's' : ''} in the file (\`promptctl lint\` lists them)` : '';
    const at = suite.locate(['cases_from', 'file']);
    problems.push(fileProblem(suite.file, `cases_from: ${rowFault.file}:${rowFault.line}${column}: ${rowFault.message}${more}`, 'cases_from.file', at.line, at.col));
  }
  if (loaded.problems.length) return false;
  const firstCase = inline.length;
  suite.data = { ...suite.data, cases: inline.concat(loaded.cases) };
  suite.hash = createHash('sha256').update(`${suite.hash}\n${loaded.digest}`).digest('hex');
  suite.dataset = { file: loaded.file, firstCase, lines: loaded.lines };
  const locate = suite.locate;
  suite.locate = (p) => (p[0] === 'cases' && typeof p[1] === 'number' && p[1] >= firstCase ? locate(['cases_from']) : locate(p));
  return true;
}

import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { missingColumns, namedColumns } from '../core/dataset-columns.js';
import { rowToCase } from '../core/dataset-row-case.js';
import type { Problem } from '../core/errors.js';
import type { CasesFrom, EvalCase, EvalSet } from '../core/schemas/evalset.js';
import { formatPath, type FieldPath, type Locate } from '../core/yaml-source.js';
import { DatasetReadError, formatOf, hashRow, parseExpectText, rowsOf } from './dataset-read.js';
import { committedLinkOut, sqliteFileKind, toolFolderOf, type OutsideLink } from './data-links.js';
import { boundHeapGrowth } from './eval/heap.js';
import { spellingOnDisk } from './normal-form-path.js';
import { fileProblem, NOT_REGULAR_FILE } from './yaml-file.js';
import { InvalidUtf8Error } from './text-lines.js';
import { errorCode } from '../core/errors.js';

/**
 * Reading a suite's `cases_from` file. JSONL and CSV are read line by line from a fixed buffer (the
 * file's text is never held whole, dataset-read.ts); each row becomes a compact case at once. The rows' canonical
 * JSON (parsed values, so CRLF and LF files agree) is hashed as it goes: `digest` joins the suite's
 * content hash. A YAML list is parsed whole, as suite files are.
 */

export interface LoadedDataset {
  /** Project-relative path of the data file. */
  file: string;
  cases: EvalCase[];
  /** The line each case's row starts on, in `cases` order. */
  lines: Uint32Array;
  /** By case index: columns whose number was written otherwise than its value's text (core/lint/written-numbers.ts). */
  written: Map<number, Record<string, string>>;
  /** SHA-256 over the rows' canonical JSON. */
  digest: string;
  problems: Problem[];
  /** Bad rows in all, listed or not (the list stops at MAX_ROW_PROBLEMS and says how many more). */
  badRows?: number;
}

/** Beyond this many bad rows, one more problem says how many were not listed. */
const MAX_ROW_PROBLEMS = 50;
/** Datasets this large (together, in one load) make a large run: bound heap growth as for large suite files (heap.ts). */
const LARGE_DATASET_BYTES = 4 * 1024 * 1024;

/** Row problems in line order: the first MAX_ROW_PROBLEMS kept, all counted. */
class RowFaults {
  list: Problem[] = [];
  count = 0;
  add(p: Problem): void {
    if (++this.count <= MAX_ROW_PROBLEMS) this.list.push(p);
  }
  /** Both kinds in line order: each list is, so the first MAX_ROW_PROBLEMS of both are among theirs. */
  static merged(a: RowFaults, b: RowFaults): RowFaults {
    const out = new RowFaults();
    out.list = [...a.list, ...b.list].sort((x, y) => x.line - y.line).slice(0, MAX_ROW_PROBLEMS);
    out.count = a.count + b.count;
    return out;
  }
}

/** A `cases_from.file` as a project-relative path with forward slashes (`./data/x.csv` is `data/x.csv`): how problems and ci name it. */
export function datasetPath(root: string, file: string): string {
  return path.relative(root, path.resolve(root, file)).split(path.sep).join('/');
}

function linkOutMessage(file: string, out: OutsideLink): string {
  const via = out.link === file ? 'is a symbolic link' : `goes through the symbolic link ${out.link}`;
  return (
    `cases_from file "${file}" ${via} to ${out.target}, outside the git repository, and git does not ignore the link: ` +
    'a link that comes with the checkout could read any file of the machine that runs promptctl. ' +
    'Put the data file in the repository, or, for a local mount or a DVC cache, list the link in .gitignore'
  );
}

/** Why a `cases_from` file cannot be looked at, in words (an error code alone, `ENOENT`, says nothing to most readers). */
function unstattable(named: string, e: unknown): string {
  const code = errorCode(e);
  if (code === 'ENOENT') return `cases_from file "${named}" does not exist (paths are relative to the project root): create it, or correct the path`;
  if (code === 'ENOTDIR') return `cases_from file "${named}" does not exist: a part of its path is a file, not a folder`;
  if (code === 'EACCES' || code === 'EPERM') return `cannot read cases_from file "${named}": permission denied (this user must be able to read it and its folders)`;
  return `cannot read cases_from file "${named}" (relative to the project root): ${code ?? (e as Error).message}`;
}

/**
 * Reads the dataset of a suite. `suiteFile` and `locate` place problems about `cases_from` itself;
 * `takenIds` holds the suite's inline case ids (a row may not reuse one).
 */
export function loadDataset(root: string, spec: CasesFrom, suiteFile: string, locate: Locate, takenIds: Iterable<string>, read = { bytes: 0 }): LoadedDataset {
  // The file as named, or as spelt on disk when only its Unicode normal form differs (a macOS checkout).
  const named = spellingOnDisk(root, spec.file) ?? spec.file;
  const abs = path.resolve(root, named);
  const file = datasetPath(root, named);
  const ofSuite = (message: string, at: FieldPath): Problem => {
    const pos = locate(at);
    return fileProblem(suiteFile, message, formatPath(at), pos.line, pos.col);
  };
  const empty = (message: string): LoadedDataset => ({ file, cases: [], lines: new Uint32Array(0), written: new Map(), digest: '', problems: [ofSuite(message, ['cases_from', 'file'])] });
  if (file === '..' || file.startsWith('../') || path.isAbsolute(file)) return empty(`cases_from file "${spec.file}" is outside the project: name it relative to the project root`);
  // Before anything is read: no problem below may quote a file the project does not own.
  const out = committedLinkOut(root, file);
  if (out) return empty(linkOutMessage(file, out));
  const tool = toolFolderOf(root, abs);
  if (tool) return empty(`cases_from file "${spec.file}" is in ${tool}/, which holds ${tool === '.git' ? "git's own files (in CI, the checkout's credentials)" : "promptctl's registry and caches"}, not data: name a data file of the project`);
  const format = formatOf(spec);
  if (!format) return empty(`cannot tell the format of "${spec.file}" from its extension: name it .jsonl, .csv or .yaml, or set format`);
  let size: number;
  try {
    const st = statSync(abs);
    if (!st.isFile()) return empty(`cases_from file "${spec.file}" ${st.isDirectory() ? 'is a folder, not a file' : NOT_REGULAR_FILE}`);
    size = st.size;
  } catch (e) {
    return empty(unstattable(spec.file, e));
  }
  const sqlite = sqliteFileKind(abs);
  if (sqlite) return empty(`cases_from file "${spec.file}" is a SQLite ${sqlite} (a registry's), not data: it holds the canary key and every recorded output; name a JSONL, CSV or YAML file`);
  read.bytes += size;
  if (read.bytes > LARGE_DATASET_BYTES) boundHeapGrowth();
  // What is wrong with the file itself (not JSON, a wrong field count, bad UTF-8), and rows that make
  // no case under this cases_from: those wait until every column it names exists (see below).
  const unreadable = new RowFaults();
  const unmapped = new RowFaults();
  const fault = (to: RowFaults, line: number, message: string, column?: string, col = 1) => to.add(fileProblem(file, message, column ?? '', line, col));
  const columns = new Set<string>();
  const cases: EvalCase[] = [];
  const lines: number[] = [];
  const written = new Map<number, Record<string, string>>();
  const seen = new Map<string, number>();
  for (const id of takenIds) seen.set(id, 0);
  const hash = createHash('sha256');
  const rows = rowsOf(format, abs, file, size);
  try {
    for (const item of rows) {
      const { line } = item;
      if ('fault' in item) {
        fault(unreadable, line, item.fault, item.field, item.col);
        continue;
      }
      const { row } = item;
      // Every CSV row has the header's columns; a JSONL or YAML row has its own keys.
      if (format !== 'csv' || !columns.size) for (const key of Object.keys(row)) columns.add(key);
      try {
        hashRow(hash, row);
      } catch (e) {
        fault(unreadable, line, `the row cannot be hashed: ${(e as Error).message}`);
        continue;
      }
      const r = rowToCase(row, spec, parseExpectText, { csv: format === 'csv' });
      if (!r.case) {
        fault(unmapped, line, r.fault!.message, r.fault!.column);
        continue;
      }
      const first = seen.get(r.case.id);
      if (first !== undefined) {
        fault(unmapped, line, `case id "${r.case.id}" is already used ${first ? `by the row on line ${first}` : `by a case in ${suiteFile}`}`, spec.id_column);
        continue;
      }
      seen.set(r.case.id, line);
      if (item.written) written.set(cases.length, item.written);
      cases.push(r.case);
      lines.push(line);
    }
  } catch (e) {
    if (e instanceof InvalidUtf8Error) fault(unreadable, e.line, e.message);
    else if (e instanceof DatasetReadError) fault(unreadable, e.line, e.message, undefined, e.col);
    else throw e;
  }
  // A column cases_from names that the file lacks is the suite's mistake, said once at its field;
  // the rows read under it (each one "has no id", "needs an expectation") would only bury that.
  const absent = columns.size ? missingColumns(namedColumns(spec), { file, from: format === 'csv' ? 'header' : 'rows', columns: [...columns] }) : [];
  const problems: Problem[] = absent.map((m) => ofSuite(m.message, m.path));
  const bad = absent.length ? unreadable : RowFaults.merged(unreadable, unmapped);
  problems.push(...bad.list);
  if (bad.count > MAX_ROW_PROBLEMS) problems.push(fileProblem(file, `${bad.count - MAX_ROW_PROBLEMS} more bad rows not listed`));
  if (!problems.length && !cases.length) problems.push(ofSuite(`cases_from file "${spec.file}" has no rows`, ['cases_from', 'file']));
  return { file, cases, lines: Uint32Array.from(lines), written, digest: hash.digest('hex'), problems, badRows: bad.count };
}

export interface SuiteDataset {
  /** Project-relative path of the data file. */
  file: string;
  /** Index in `data.cases` of the first case read from the file. */
  firstCase: number;
  /** The line of each dataset case's row, in order. */
  lines: Uint32Array;
  /** By dataset case: columns whose number was written otherwise than its value's text. */
  written?: ReadonlyMap<number, Readonly<Record<string, string>>>;
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
  const loaded = loadDataset(root, spec, suite.file, suite.locate, inline.map((c) => c.id), read);
  problems.push(...loaded.problems);
  const rowFault = loaded.problems.find((p) => p.file !== suite.file);
  if (rowFault) {
    // Commands that refuse a prompt's broken files look under evalsets/<prompt>/: the suite names the fault too.
    // Every bad row, not the list's length: it stops at MAX_ROW_PROBLEMS and adds a line saying how many more.
    const bad = loaded.badRows || loaded.problems.filter((p) => p.file !== suite.file).length;
    const column = rowFault.field ? ` (column "${rowFault.field}")` : '';
    const more = bad > 1 ? `; ${bad - 1} more problem${bad > 2 ? 's' : ''} in the file (\`promptctl lint\` lists them)` : '';
    const at = suite.locate(['cases_from', 'file']);
    problems.push({ ...fileProblem(suite.file, `cases_from: ${rowFault.file}:${rowFault.line}${column}: ${rowFault.message}${more}`, 'cases_from.file', at.line, at.col), summarizes: rowFault.file });
  }
  if (loaded.problems.length) return false;
  const firstCase = inline.length;
  suite.data = { ...suite.data, cases: inline.concat(loaded.cases) };
  suite.hash = createHash('sha256').update(`${suite.hash}\n${loaded.digest}`).digest('hex');
  suite.dataset = { file: loaded.file, firstCase, lines: loaded.lines, ...(loaded.written.size ? { written: loaded.written } : {}) };
  const locate = suite.locate;
  suite.locate = (p, at) => (p[0] === 'cases' && typeof p[1] === 'number' && p[1] >= firstCase ? locate(['cases_from']) : locate(p, at));
  return true;
}

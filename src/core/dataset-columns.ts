import { templateColumns } from './dataset-rows.js';
import type { CasesFrom } from './schemas/evalset.js';
import { didYouMean } from './suggest.js';
import type { FieldPath } from './yaml-source.js';

/**
 * Every column a suite's `cases_from` names must be one its file has. A row without a column reads
 * as an empty cell, which is right for one row but hides a misspelt name: `expect_column: checkz`
 * dropped every row's own checks and the version still earned its tested mark; `vars: { tone:
 * tonee }` sent every request with an empty tone. A CSV file's columns are its header. A JSONL or
 * YAML file has no header, so a column is there when at least one row has the key: a row may leave
 * a value out (as a CSV cell may be empty), but a key no row has is a name nothing holds.
 */

export interface NamedColumn {
  /** The field of the suite that names the column. */
  path: FieldPath;
  column: string;
  /** How the field uses the column, for the message: `vars.tone names column "tonee"`. */
  by: string;
}

/** The columns `cases_from` names, each with its field (the id column even when it is the default: every row needs an id). */
export function namedColumns(spec: CasesFrom): NamedColumn[] {
  const out: NamedColumn[] = [{ path: ['cases_from', 'id_column'], column: spec.id_column, by: 'id_column (default: id) names' }];
  // In the order the README's example writes the fields, so problems read top to bottom.
  for (const [name, column] of Object.entries(spec.vars ?? {})) out.push({ path: ['cases_from', 'vars', name], column, by: `vars.${name} names` });
  (spec.expect ?? []).forEach((e, i) => {
    for (const t of templateColumns(e, ['cases_from', 'expect', i])) out.push({ path: t.path, column: t.column, by: `{{${t.column}}} names` });
  });
  if (spec.expect_column !== undefined) out.push({ path: ['cases_from', 'expect_column'], column: spec.expect_column, by: 'expect_column names' });
  if (spec.tags_column !== undefined) out.push({ path: ['cases_from', 'tags_column'], column: spec.tags_column, by: 'tags_column names' });
  return out;
}

export interface DataFileColumns {
  /** Project-relative path of the data file. */
  file: string;
  /** `header`: a CSV header; `rows`: the keys of a JSONL or YAML file's rows. */
  from: 'header' | 'rows';
  columns: readonly string[];
}

/** At most this many of the file's columns are listed in a message. */
const LISTED = 20;

/** A problem per named column the file does not have, at the field naming it. */
export function missingColumns(named: readonly NamedColumn[], data: DataFileColumns): Array<{ path: FieldPath; message: string }> {
  const has = new Set(data.columns);
  const listed = data.columns.slice(0, LISTED).join(', ') + (data.columns.length > LISTED ? `, … (${data.columns.length - LISTED} more)` : '');
  const lacks = data.from === 'header' ? `which ${data.file} does not have` : `which no row of ${data.file} has`;
  const what = data.from === 'header' ? 'its columns' : 'keys its rows have';
  return named
    // A CSV header's names are in NFC (dataset-read.ts); a row is read by either form (cellOf).
    .filter((n) => !has.has(n.column) && !has.has(n.column.normalize('NFC')))
    .map((n) => ({ path: n.path, message: `${n.by} column "${n.column}", ${lacks} (${didYouMean(n.column, data.columns)}${what}: ${listed || 'none'})` }));
}

import { fieldTakes } from './expectation-fields.js';
import { booleanText } from './boolean-text.js';
import { isDecimalNumber } from './decimal-number.js';
import { ownValue } from './own-key.js';
import type { CasesFrom } from './schemas/evalset.js';

/**
 * The cells of a dataset row (`cases_from`), the columns a suite maps, and `{{column}}` templates
 * filled from a row. Pure: the caller reads the file and hands over each parsed row (for CSV,
 * header -> cell). A row as a case is dataset-row-case.ts.
 */

export type DatasetRow = Record<string, unknown>;

export interface RowFault {
  /** The column at fault, when one is. */
  column?: string;
  message: string;
}

export type ParseExpectText = (text: string) => { data?: unknown; error?: string };

/**
 * The value of `column` in a row. A CSV header's names are read in NFC (dataset-read.ts), the form
 * nearly every editor writes, so a name the suite spells in another normal form (`re\u0301ponse`
 * for `réponse`, as a macOS tool may write it) finds its column too.
 */
export function cellOf(row: DatasetRow, column: string): unknown {
  return ownValue(row, column) ?? ownValue(row, column.normalize('NFC'));
}

/** The columns a row's parts come from: declared ones, else the conventional names. */
export function columnsOf(spec: CasesFrom): { id: string; expect: string; tags: string; description: string } {
  return { id: spec.id_column, expect: spec.expect_column ?? 'expect', tags: spec.tags_column ?? 'tags', description: 'description' };
}

/** The column a variable's value comes from: the one `vars` maps it to, else the column of its own name. */
export function variableColumn(spec: Pick<CasesFrom, 'vars'> | undefined, name: string): string {
  return ownValue(spec?.vars, name) ?? name;
}

// Linear on any input (a row's expect cell is data): the inside is captured whole and trimmed by
// columnIn. The former `\s*([^{}]+?)\s*` matched the same spans but backtracked cubically on spaces.
const PLACEHOLDER = /\{\{([^{}]+)\}\}/g;
const WHOLE = /^\{\{([^{}]+)\}\}$/;

/** The column a placeholder's inside names: trimmed (one of spaces only names its last space, as the former pattern read it). */
function columnIn(inside: string): string {
  return inside.trim() || inside.slice(-1);
}

/** Every `{{column}}` a suite-level expectation names, with the path of the text that names it. */
export function templateColumns(value: unknown, at: Array<string | number> = []): Array<{ path: Array<string | number>; column: string }> {
  if (typeof value === 'string') return [...value.matchAll(PLACEHOLDER)].map((m) => ({ path: at, column: columnIn(m[1]!) }));
  if (Array.isArray(value)) return value.flatMap((item, i) => templateColumns(item, [...at, i]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, item]) => templateColumns(item, [...at, k]));
  return [];
}

/** A template filled from an empty or blank cell: said as the whole-field case is, "fill the cell". */
function blankCell(name: string, cell: string, template: string, filled: string, path: ReadonlyArray<string | number>): RowFault {
  const held = cell === '' ? 'is empty' : 'holds only spaces';
  return { column: name, message: `${path.join('.')} is ${JSON.stringify(template)}, and this row's column "${name}" ${held}: fill the cell (as it is, the check would be ${JSON.stringify(filled)})` };
}

/**
 * `{{column}}` in every string of a suite-level expectation, replaced by the row's value; `path`
 * is where the string sits in the expectation.
 */
export function expandTemplate(value: unknown, row: DatasetRow, path: ReadonlyArray<string | number> = []): { value?: unknown; fault?: RowFault } {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    let fault: RowFault | undefined;
    const cell = (name: string): unknown => {
      const v = cellOf(row, name);
      if (v === undefined || v === null) fault ??= { column: name, message: `expect refers to column "${name}", which this row does not have` };
      else if (typeof v === 'object') fault ??= { column: name, message: `expect refers to column "${name}", which holds ${Array.isArray(v) ? 'a list' : 'an object'}, not text` };
      return v;
    };
    // `max-tokens: "{{limit}}"` keeps a number a number.
    if (whole) {
      const name = columnIn(whole[1]!);
      const v = cell(name);
      if (fault) return { fault };
      // A CSV cell is always text: where the field takes a number or true/false, text that is one is read as one.
      // A JSONL or YAML number or true/false stays one where the field takes it, and is its text where the field takes text.
      const takes = fieldTakes(path);
      if (typeof v !== 'string' && takes === 'text') return { value: String(v) };
      // An empty cell is refused where the field is (`must not be empty ... fill the cell`, dataset-row-case.ts); one of spaces passes that check and checks nothing.
      if (typeof v === 'string' && v !== '' && v.trim() === '' && takes === 'text') return { fault: blankCell(name, v, value, v, path) };
      if (typeof v === 'string' && takes === 'number') {
        const text = v.trim();
        return isDecimalNumber(text) ? { value: Number(text) } : { fault: { column: name, message: `column "${name}" holds ${JSON.stringify(v)}, not a number (${path.join('.')} takes a number)` } };
      }
      if (typeof v === 'string' && takes === 'boolean') {
        const flag = booleanText(v);
        return flag !== undefined ? { value: flag } : { fault: { column: name, message: `column "${name}" holds ${JSON.stringify(v)}, not true or false (${path.join('.')} takes true or false)` } };
      }
      return { value: typeof v === 'number' || typeof v === 'boolean' ? v : String(v) };
    }
    let blank: string | undefined;
    const out = value.replace(PLACEHOLDER, (_m, inside: string) => {
      const name = columnIn(inside);
      const v = cell(name);
      if (typeof v === 'string' && v.trim() === '') blank ??= name;
      return String(v ?? '');
    });
    if (fault) return { fault };
    // `"{{days}} days"` with an empty cell is `" days"`, and `"^{{pre}}"` is `"^"`: a check far weaker than written.
    return blank !== undefined ? { fault: blankCell(blank, String(cellOf(row, blank)), value, out, path) } : { value: out };
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const [i, item] of value.entries()) {
      const r = expandTemplate(item, row, [...path, i]);
      if (r.fault) return r;
      out.push(r.value);
    }
    return { value: out };
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(value)) {
      const r = expandTemplate(item, row, [...path, k]);
      if (r.fault) return r;
      out[k] = r.value;
    }
    return { value: out };
  }
  return { value };
}

/**
 * Where a row's expectation at `path` (`expect.<j>…` of its case) was written: the suite's
 * `cases_from.expect` comes first in every row, then the row's own expect column (counted from 0).
 * One rule for the loader's faults and lint's problems about dataset rows (schema-rules.ts).
 */
export function expectationField(spec: Pick<CasesFrom, 'expect' | 'expect_column'>, path: ReadonlyArray<PropertyKey>): { field: string; column?: string } {
  const [head, j, ...rest] = path.map((k) => (typeof k === 'symbol' ? String(k) : k));
  if (head !== 'expect' || typeof j !== 'number') return { field: path.map(String).join('.') };
  const fromSuite = spec.expect?.length ?? 0;
  const column = spec.expect_column ?? 'expect';
  return j < fromSuite ? { field: ['cases_from', 'expect', j, ...rest].join('.') } : { field: [column, j - fromSuite, ...rest].join('.'), column };
}

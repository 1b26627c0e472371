import { plainIssueMessage } from './plain-issues.js';
import { PROTO_KEY, unknownKeyText } from './schema-problems.js';
import { fieldTakes } from './expectation-fields.js';
import { isDecimalNumber } from './decimal-number.js';
import { ownValue } from './own-key.js';
import { EvalCase, type CasesFrom, type VarValue } from './schemas/evalset.js';

/**
 * One row of a dataset (`cases_from`) turned into a case. Pure: the caller reads the file and hands
 * over each parsed row (for CSV, header -> cell) plus a YAML reader for expectation cells.
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

const PLACEHOLDER = /\{\{\s*([^{}]+?)\s*\}\}/g;
const WHOLE = /^\{\{\s*([^{}]+?)\s*\}\}$/;

/** Every `{{column}}` a suite-level expectation names, with the path of the text that names it. */
export function templateColumns(value: unknown, at: Array<string | number> = []): Array<{ path: Array<string | number>; column: string }> {
  if (typeof value === 'string') return [...value.matchAll(PLACEHOLDER)].map((m) => ({ path: at, column: m[1]! }));
  if (Array.isArray(value)) return value.flatMap((item, i) => templateColumns(item, [...at, i]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, item]) => templateColumns(item, [...at, k]));
  return [];
}

/** true and false as YAML 1.2 writes them (what a CSV cell holding one looks like). */
const BOOLEAN: Record<string, boolean> = { true: true, True: true, TRUE: true, false: false, False: false, FALSE: false };

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
      const name = whole[1]!;
      const v = cell(name);
      if (fault) return { fault };
      // A CSV cell is always text: where the field takes a number or true/false, text that is one is read as one.
      // A JSONL or YAML number or true/false stays one where the field takes it, and is its text where the field takes text.
      const takes = fieldTakes(path);
      if (typeof v !== 'string' && takes === 'text') return { value: String(v) };
      if (typeof v === 'string' && takes === 'number') {
        const text = v.trim();
        return isDecimalNumber(text) ? { value: Number(text) } : { fault: { column: name, message: `column "${name}" holds ${JSON.stringify(v)}, not a number (${path.join('.')} takes a number)` } };
      }
      if (typeof v === 'string' && takes === 'boolean') {
        const flag = BOOLEAN[v.trim()];
        return flag !== undefined ? { value: flag } : { fault: { column: name, message: `column "${name}" holds ${JSON.stringify(v)}, not true or false (${path.join('.')} takes true or false)` } };
      }
      return { value: typeof v === 'number' || typeof v === 'boolean' ? v : String(v) };
    }
    const out = value.replace(PLACEHOLDER, (_m, name: string) => String(cell(name) ?? ''));
    return fault ? { fault } : { value: out };
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

function varValue(v: unknown, column: string): { value?: VarValue; fault?: RowFault } {
  if (v === undefined || v === null) return {};
  if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return { value: v };
  return { fault: { column, message: `column "${column}" holds ${Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : String(v)}; a variable is text, a number or true/false` } };
}

function rowVars(row: DatasetRow, spec: CasesFrom): { vars?: Record<string, VarValue>; fault?: RowFault } {
  const vars: Record<string, VarValue> = {};
  const take = (name: string, column: string): RowFault | undefined => {
    // A record drops `__proto__` without a word (schema-problems.ts): the case would run without it.
    if (name === '__proto__') return { column, message: PROTO_KEY };
    const r = varValue(cellOf(row, column), column);
    if (r.value !== undefined) vars[name] = r.value;
    return r.fault;
  };
  if (spec.vars) {
    for (const [name, column] of Object.entries(spec.vars)) {
      const fault = take(name, column);
      if (fault) return { fault };
    }
    return { vars };
  }
  // A JSONL or YAML row may carry a `vars` object, as an inline case does.
  const nested = row.vars;
  if (nested !== null && typeof nested === 'object' && !Array.isArray(nested)) {
    for (const name of Object.keys(nested)) {
      if (name === '__proto__') return { fault: { column: 'vars.__proto__', message: PROTO_KEY } };
      const r = varValue((nested as DatasetRow)[name], `vars.${name}`);
      if (r.fault) return { fault: r.fault };
      if (r.value !== undefined) vars[name] = r.value;
    }
  }
  const cols = columnsOf(spec);
  const reserved = new Set([cols.id, cols.expect, cols.tags, cols.description, 'vars'].map((c) => c.normalize('NFC')));
  for (const column of Object.keys(row)) {
    if (reserved.has(column.normalize('NFC'))) continue;
    const fault = take(column, column);
    if (fault) return { fault };
  }
  return { vars };
}

function rowExpect(row: DatasetRow, spec: CasesFrom, parseText: ParseExpectText): { expect?: unknown[]; fault?: RowFault } {
  const out: unknown[] = [];
  for (const [i, e] of (spec.expect ?? []).entries()) {
    const r = expandTemplate(e, row);
    if (r.fault) return { fault: { ...r.fault, message: `cases_from.expect.${i}: ${r.fault.message}` } };
    out.push(r.value);
  }
  const column = columnsOf(spec).expect;
  let own = cellOf(row, column);
  if (typeof own === 'string') {
    if (own.trim() === '') own = undefined;
    else {
      const parsed = parseText(own);
      if (parsed.error !== undefined) return { fault: { column, message: `column "${column}" is not YAML: ${parsed.error}` } };
      own = parsed.data;
    }
  }
  if (own !== undefined && own !== null) {
    if (Array.isArray(own)) out.push(...own);
    else if (typeof own === 'object') out.push(own);
    else return { fault: { column, message: `column "${column}" must hold a list of expectations (e.g. [{icontains: refund}]), got ${JSON.stringify(own)}` } };
  }
  return { expect: out };
}

function rowTags(v: unknown, column: string): { tags?: string[]; fault?: RowFault } {
  if (v === undefined || v === null || v === '') return {};
  if (typeof v === 'string') return { tags: v.split(/[\s,]+/).filter(Boolean) };
  if (Array.isArray(v) && v.every((t) => typeof t === 'string')) return { tags: v as string[] };
  return { fault: { column, message: `column "${column}" must hold tags as text ("a, b") or a list of strings` } };
}

/** The case a row describes, or the first fault in it (naming the column). */
export function rowToCase(row: DatasetRow, spec: CasesFrom, parseText: ParseExpectText): { case?: EvalCase; fault?: RowFault } {
  const cols = columnsOf(spec);
  const rawId = cellOf(row, cols.id);
  if (rawId === undefined || rawId === null || rawId === '') return { fault: { column: cols.id, message: `the row has no id in column "${cols.id}" (set id_column to use another column)` } };
  if (typeof rawId !== 'string' && typeof rawId !== 'number') return { fault: { column: cols.id, message: `column "${cols.id}" must hold text or a number` } };
  const vars = rowVars(row, spec);
  if (vars.fault) return { fault: vars.fault };
  const expect = rowExpect(row, spec, parseText);
  if (expect.fault) return { fault: expect.fault };
  const tags = rowTags(cellOf(row, cols.tags), cols.tags);
  if (tags.fault) return { fault: tags.fault };
  const description = cellOf(row, cols.description);
  const candidate = {
    id: String(rawId),
    ...(typeof description === 'string' && description !== '' ? { description } : {}),
    vars: vars.vars,
    expect: expect.expect,
    ...(tags.tags ? { tags: tags.tags } : {}),
  };
  const checked = EvalCase.safeParse(candidate, { error: plainIssueMessage });
  if (checked.success) return { case: checked.data };
  const issue = checked.error.issues[0]!;
  const [head, second] = issue.path;
  // An expectation is named where it was written: cases_from.expect.<i>, or the expect column's own index.
  const written = head === 'expect' && typeof second === 'number' ? expectationField(spec, issue.path) : undefined;
  const filled = written && typeof second === 'number' ? filledFrom(spec, second, issue.path.slice(2), row) : undefined;
  const column = filled?.column ?? (written ? written.column : head === 'id' ? cols.id : head === 'expect' ? (cellOf(row, cols.expect) !== undefined ? cols.expect : undefined) : head === 'tags' ? cols.tags : head === 'vars' ? variableColumn(spec, String(second)) : undefined);
  const where = issue.path.length ? `${written?.field ?? issue.path.join('.')}: ` : '';
  // A misspelt key reads as it does in a suite file: the key it was probably meant to be.
  const base = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
  const message = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => unknownKeyText(EvalCase, base, k)).join('; ') : issue.message;
  return { fault: { ...(column ? { column } : {}), message: `${where}${message}${filled?.note ?? ''}` } };
}

/**
 * The column whose cell made a cases_from.expect field wrong: the field is a `{{column}}` template,
 * which is right in the suite, so the row's cell is what to fix (an empty CSV cell under
 * `icontains: "{{answer}}"` was "cases_from.expect.0.icontains: must not be empty", naming no column).
 */
function filledFrom(spec: CasesFrom, index: number, path: ReadonlyArray<PropertyKey>, row: DatasetRow): { column: string; note: string } | undefined {
  let value: unknown = spec.expect?.[index];
  for (const key of path) value = value !== null && typeof value === 'object' ? ownValue(value as Record<string, unknown>, String(key)) : undefined;
  if (typeof value !== 'string') return undefined;
  const names = [...new Set(templateColumns(value).map((t) => t.column))];
  if (!names.length) return undefined;
  const cells = names.map((name) => {
    const v = cellOf(row, name);
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    return `"${name}" ${v === '' ? 'is empty' : `holds ${JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text)}`}`;
  });
  const empty = names.some((name) => cellOf(row, name) === '');
  return { column: names[0]!, note: ` (it is ${JSON.stringify(value)}, and this row's column ${cells.join(', column ')}: ${empty ? 'fill' : 'fix'} the cell)` };
}

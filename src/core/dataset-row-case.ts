import { plainIssueMessage } from './plain-issues.js';
import { excerpt } from './scoring/excerpt.js';
import { PROTO_KEY, unknownKeyText } from './schema-problems.js';
import { ownValue } from './own-key.js';
import { EvalCase, type CasesFrom, type VarValue } from './schemas/evalset.js';
import { cellOf, columnsOf, expandTemplate, expectationField, templateColumns, variableColumn, type DatasetRow, type ParseExpectText, type RowFault } from './dataset-rows.js';

/**
 * A data file's row as a case (`cases_from`): its id, variables, expectations and tags from their
 * columns, or the first fault in it, naming the column to fix. The cell reading and `{{column}}`
 * templates it uses are in dataset-rows.ts.
 */

/** How much of a cell a message quotes. */
const CELL_CHARS = 60;

function varValue(v: unknown, column: string): { value?: VarValue; fault?: RowFault } {
  if (v === undefined || v === null) return {};
  if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return { value: v };
  return { fault: { column, message: `column "${column}" holds ${Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : String(v)}; a variable is text, a number or true/false` } };
}

function rowVars(row: DatasetRow, spec: CasesFrom, csv: boolean): { vars?: Record<string, VarValue>; fault?: RowFault } {
  const vars: Record<string, VarValue> = {};
  const take = (name: string, column: string): RowFault | undefined => {
    // A record drops `__proto__` without a word (schema-problems.ts): the case would run without it.
    if (name === '__proto__') return { column, message: PROTO_KEY };
    const cell = cellOf(row, column);
    // Every CSV row has every column: an empty cell is how a CSV leaves a value unset, as a JSONL row
    // leaves out its key. Sent as '', a required variable's blank cell rendered an empty question.
    if (csv && cell === '') return undefined;
    const r = varValue(cell, column);
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

/** A row's expectations as filled in, and as written (`{{column}}` templates: cases_from.expect, then the expect column's). */
function rowExpect(row: DatasetRow, spec: CasesFrom, parseText: ParseExpectText): { expect?: unknown[]; written?: unknown[]; fault?: RowFault } {
  const out: unknown[] = [];
  const written: unknown[] = [...(spec.expect ?? [])];
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
    if (!Array.isArray(own) && typeof own !== 'object') return { fault: { column, message: `column "${column}" must hold a list of expectations (e.g. [{icontains: refund}]), got ${JSON.stringify(own)}` } };
    // The row's own expectations fill `{{column}}` from its cells as cases_from.expect does: compared
    // as written, `not-contains: "{{forbidden}}"` was a check no answer could fail.
    for (const [k, e] of (Array.isArray(own) ? own : [own]).entries()) {
      const r = expandTemplate(e, row);
      if (r.fault) return { fault: { ...r.fault, message: `${column}.${k}: ${r.fault.message}` } };
      out.push(r.value);
      written.push(e);
    }
  }
  return { expect: out, written };
}

function rowTags(v: unknown, column: string): { tags?: string[]; fault?: RowFault } {
  if (v === undefined || v === null || v === '') return {};
  if (typeof v === 'string') return { tags: v.split(/[\s,]+/).filter(Boolean) };
  if (Array.isArray(v) && v.every((t) => typeof t === 'string')) return { tags: v as string[] };
  return { fault: { column, message: `column "${column}" must hold tags as text ("a, b") or a list of strings` } };
}

/**
 * The case a row describes, or the first fault in it (naming the column). `csv`: the row is a CSV
 * line's, whose empty cells leave their variables unset.
 */
export function rowToCase(row: DatasetRow, spec: CasesFrom, parseText: ParseExpectText, opts: { csv?: boolean } = {}): { case?: EvalCase; fault?: RowFault } {
  const cols = columnsOf(spec);
  const rawId = cellOf(row, cols.id);
  if (rawId === undefined || rawId === null || rawId === '') return { fault: { column: cols.id, message: `the row has no id in column "${cols.id}" (set id_column to use another column)` } };
  if (typeof rawId !== 'string' && typeof rawId !== 'number') return { fault: { column: cols.id, message: `column "${cols.id}" must hold text or a number` } };
  const vars = rowVars(row, spec, opts.csv === true);
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
  const filled = written && typeof second === 'number' ? filledFrom(expect.written![second], issue.path.slice(2), row) : undefined;
  const column = filled?.column ?? (written ? written.column : head === 'id' ? cols.id : head === 'expect' ? (cellOf(row, cols.expect) !== undefined ? cols.expect : undefined) : head === 'tags' ? cols.tags : head === 'vars' ? variableColumn(spec, String(second)) : undefined);
  // The problem is shown under its column's name: a field that is the column itself is not said twice ("id: id: …").
  const field = written?.field ?? issue.path.join('.');
  const where = issue.path.length && field !== column ? `${field}: ` : '';
  // A refused id shows what the cell holds, as a filled-in expectation does: the row's line alone made the reader look for it.
  const held = head === 'id' ? ` (the cell holds ${JSON.stringify(excerpt(String(rawId), 0, CELL_CHARS))})` : '';
  // A misspelt key reads as it does in a suite file: the key it was probably meant to be.
  const base = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
  const message = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => unknownKeyText(EvalCase, base, k)).join('; ') : issue.message;
  return { fault: { ...(column ? { column } : {}), message: `${where}${message}${held}${filled?.note ?? ''}` } };
}

/**
 * The column whose cell made a templated expectation field wrong (cases_from.expect, or the row's
 * expect column): the field is a `{{column}}` template, so the cell it reads is what to fix (an empty CSV cell under
 * `icontains: "{{answer}}"` was "cases_from.expect.0.icontains: must not be empty", naming no column).
 */
function filledFrom(template: unknown, path: ReadonlyArray<PropertyKey>, row: DatasetRow): { column: string; note: string } | undefined {
  let value: unknown = template;
  for (const key of path) value = value !== null && typeof value === 'object' ? ownValue(value as Record<string, unknown>, String(key)) : undefined;
  if (typeof value !== 'string') return undefined;
  const names = [...new Set(templateColumns(value).map((t) => t.column))];
  if (!names.length) return undefined;
  const cells = names.map((name) => {
    const v = cellOf(row, name);
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    return `"${name}" ${v === '' ? 'is empty' : `holds ${JSON.stringify(excerpt(text, 0, CELL_CHARS))}`}`;
  });
  const empty = names.some((name) => cellOf(row, name) === '');
  return { column: names[0]!, note: ` (it is ${JSON.stringify(value)}, and this row's column ${cells.join(', column ')}: ${empty ? 'fill' : 'fix'} the cell)` };
}

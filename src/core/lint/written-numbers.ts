import { variableColumn } from '../dataset-rows.js';
import type { Problem } from '../errors.js';
import type { CasesFrom, EvalSet } from '../schemas/evalset.js';
import { ownValue } from '../own-key.js';
import { writtenNumber } from '../written-number.js';
import type { FieldPath, Position } from '../yaml-source.js';

/**
 * Variable values written as numbers that reach the prompt as another text (core/written-number.ts):
 * `base_vars`, inline case `vars` (their text from the suite's YAML, `Position.written`) and
 * `cases_from` rows (their text kept by the loader, `written`). A changed number is an error, so
 * eval's sound-files gate refuses it as lint does; a changed form a warning. A data file's finding
 * is said once per column and rule, at its first row, with how many rows share it.
 */

export interface WrittenNumberSuite {
  file: string;
  data: Pick<EvalSet, 'cases' | 'base_vars' | 'cases_from'>;
  locate: (path: FieldPath) => Position;
  dataset?: {
    file: string;
    firstCase: number;
    lines: ArrayLike<number>;
    /** By dataset case (0 = the first row's case): its columns whose number was written otherwise than its value's text. */
    written?: ReadonlyMap<number, Readonly<Record<string, string>>>;
  };
}

/** The problem of a number at `path` of a YAML file written as another text than it is sent as, if it is one: the suites' rule and render's vars file's. */
export function writtenNumberProblem(file: string, locate: (path: FieldPath) => Position, path: FieldPath, value: number, where = ''): Problem | undefined {
  const pos = locate(path);
  const f = writtenNumber(pos.written, value);
  return f && { file, line: pos.line, col: pos.col, field: path.join('.'), message: `${where}${f.message}`, severity: f.severity, rule: f.rule };
}

export function writtenNumberProblems(s: WrittenNumberSuite, errorsOnly = false): Problem[] {
  const out: Problem[] = [];
  const check = (path: FieldPath, value: unknown, where: string) => {
    if (typeof value !== 'number') return;
    const problem = writtenNumberProblem(s.file, s.locate, path, value, where);
    if (problem && !(errorsOnly && problem.severity === 'warning')) out.push(problem);
  };
  for (const [name, value] of Object.entries(s.data.base_vars ?? {})) check(['base_vars', name], value, '');
  const inline = s.dataset ? s.dataset.firstCase : s.data.cases.length;
  for (let i = 0; i < inline; i++) {
    const c = s.data.cases[i]!;
    for (const [name, value] of Object.entries(c.vars)) check(['cases', i, 'vars', name], value, `case "${c.id}": `);
  }
  if (s.dataset?.written?.size) out.push(...datasetFindings(s.dataset, s.data.cases, s.data.cases_from, errorsOnly));
  return out;
}

function datasetFindings(d: NonNullable<WrittenNumberSuite['dataset']>, cases: EvalSet['cases'], spec: Pick<CasesFrom, 'vars'> | undefined, errorsOnly: boolean): Problem[] {
  const grouped = new Map<string, { problem: Problem; rows: number }>();
  for (const [k, columns] of d.written!) {
    const c = cases[d.firstCase + k]!;
    for (const [name, value] of Object.entries(c.vars)) {
      if (typeof value !== 'number') continue;
      const column = variableColumn(spec, name);
      const f = writtenNumber(ownValue(columns, column), value);
      if (!f || (errorsOnly && f.severity === 'warning')) continue;
      const key = `${column}\u0000${f.rule}`;
      const seen = grouped.get(key);
      if (seen) seen.rows++;
      else grouped.set(key, { problem: { file: d.file, line: d.lines[k]!, col: 1, field: column, message: `row "${c.id}": ${f.message}`, severity: f.severity, rule: f.rule }, rows: 1 });
    }
  }
  return [...grouped.values()].map(({ problem, rows }) => (rows > 1 ? { ...problem, message: `${problem.message} (${rows} rows; the first is here)` } : problem));
}

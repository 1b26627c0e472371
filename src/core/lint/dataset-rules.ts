import { expectationField, variableColumn } from '../dataset-rows.js';
import type { Problem } from '../errors.js';
import type { CasesFrom, EvalCase } from '../schemas/evalset.js';
import { checkValues } from '../template.js';
import { ownValue } from '../own-key.js';
import type { LintablePrompt } from './prompt-rules.js';
import { expectationWarnings } from './expectation-rules.js';

/**
 * Lint of the cases a suite read from its `cases_from` file, against the versions it covers. Each
 * problem is said once per variable (not once per row: a 2,000-row file would bury everything
 * else), at the first row it concerns, with how many rows share it.
 */

export interface LintableDataset {
  /** Project-relative path of the data file. */
  file: string;
  /** Index of the first dataset case in the suite's cases. */
  firstCase: number;
  /** The line of each dataset case's row. */
  lines: ArrayLike<number>;
  /** By dataset case: columns whose number was written otherwise than its value's text (lint/written-numbers.ts). */
  written?: ReadonlyMap<number, Readonly<Record<string, string>>>;
}

interface Finding {
  /** The first row's line. */
  line: number;
  /** Rows per version that raise it. */
  rows: Map<string, number>;
  /** What the first row's value is told (value problems only). */
  message?: string;
  variable: string;
}

export function lintDatasetCases(
  dataset: LintableDataset,
  cases: readonly EvalCase[],
  covered: LintablePrompt[],
  baseVars: Record<string, unknown> | undefined,
  spec?: Pick<CasesFrom, 'vars'>,
): Problem[] {
  const undeclared = new Map<string, Finding>();
  const missing = new Map<string, Finding>();
  const values = new Map<string, Finding>();
  const note = (map: Map<string, Finding>, key: string, variable: string, line: number, version: string, message?: string) => {
    const f = map.get(key) ?? { line, rows: new Map<string, number>(), variable, message };
    f.rows.set(version, (f.rows.get(version) ?? 0) + 1);
    if (line < f.line) Object.assign(f, { line, message });
    map.set(key, f);
  };
  for (const v of covered) {
    const declared = new Map(v.data.variables.map((x) => [x.name, x]));
    const required = v.data.variables.filter((x) => x.required && ownValue(baseVars, x.name) === undefined);
    for (let i = dataset.firstCase; i < cases.length; i++) {
      const c = cases[i]!;
      const line = dataset.lines[i - dataset.firstCase]!;
      for (const name of Object.keys(c.vars)) if (!declared.has(name)) note(undeclared, name, name, line, v.version);
      for (const s of required) if (ownValue(c.vars, s.name) === undefined) note(missing, s.name, s.name, line, v.version);
      // A value eval could not render (not a number, past max_length): the one rule, core/template.ts,
      // as suite-rules.ts applies it to inline cases. Grouped by what the version declares, so two
      // versions with different limits are told apart.
      for (const p of checkValues(v.data.variables, c.vars).problems) {
        if (p.issue !== 'type' && p.issue !== 'max_length') continue;
        const s = declared.get(p.variable)!;
        note(values, [p.variable, p.issue, s.type, s.max_length].join('\u0000'), p.variable, line, v.version, `row "${c.id}": ${p.message}`);
      }
    }
  }
  const out: Problem[] = [];
  const who = (f: Finding) => `${covered[0]!.id}@${[...f.rows.keys()].join(', ')}`;
  const rows = (f: Finding) => {
    const n = Math.max(...f.rows.values());
    return n > 1 ? ` (${n} rows; the first is here)` : '';
  };
  const column = (f: Finding) => variableColumn(spec, f.variable);
  const problem = (f: Finding, rule: string, message: string): Problem => ({ file: dataset.file, line: f.line, col: 1, field: column(f), severity: 'error', rule, message });
  for (const f of undeclared.values()) {
    out.push(problem(f, 'suite/undeclared-variable', `column "${column(f)}" sets ${column(f) === f.variable ? 'a variable' : `variable "${f.variable}"`} that ${who(f)} ${f.rows.size > 1 ? 'do' : 'does'} not declare${rows(f)}; map columns to variables with cases_from.vars`));
  }
  for (const f of missing.values()) out.push(problem(f, 'suite/missing-variable', `rows do not set required variable "${f.variable}" of ${who(f)}${rows(f)}`));
  for (const f of values.values()) out.push(problem(f, 'suite/variable-value', `${f.message} (a variable of ${who(f)})${rows(f)}`));
  return out;
}

/**
 * The warnings an inline case's expectations get (expectation-rules.ts), for the expectations of
 * each row as filled in (`starts-with: "{{prefix}}"` is a blank starts-with where a row makes it
 * one), at the row's line, named where the expectation was written, once per field with how many
 * rows share it. A row's placeholders are filled from its cells, so none is compared as written.
 */
export function lintDatasetExpectations(dataset: LintableDataset, cases: readonly EvalCase[], spec: Pick<CasesFrom, 'expect' | 'expect_column'>): Problem[] {
  const grouped = new Map<string, { problem: Problem; rows: number }>();
  for (let i = dataset.firstCase; i < cases.length; i++) {
    const c = cases[i]!;
    c.expect.forEach((e, j) => {
      for (const w of expectationWarnings(e)) {
        if (w.rule === 'expect/literal-placeholder') continue;
        const field = expectationField(spec, ['expect', j, ...w.path]).field;
        const key = `${w.rule}\u0000${field}\u0000${w.message}`;
        const seen = grouped.get(key);
        if (seen) seen.rows++;
        else grouped.set(key, { problem: { file: dataset.file, line: dataset.lines[i - dataset.firstCase]!, col: 1, field, message: `row "${c.id}": ${w.message}`, severity: 'warning', rule: w.rule }, rows: 1 });
      }
    });
  }
  return [...grouped.values()].map(({ problem, rows }) => (rows > 1 ? { ...problem, message: `${problem.message} (${rows} rows; the first is here)` } : problem));
}

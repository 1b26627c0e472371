import type { Problem } from '../errors.js';
import type { EvalCase } from '../schemas/evalset.js';
import type { LintablePrompt } from './prompt-rules.js';

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
}

interface Finding {
  /** The first row's line. */
  line: number;
  /** Rows per version that raise it. */
  rows: Map<string, number>;
}

export function lintDatasetCases(
  dataset: LintableDataset,
  cases: readonly EvalCase[],
  covered: LintablePrompt[],
  baseVars: Record<string, unknown> | undefined,
): Problem[] {
  const undeclared = new Map<string, Finding>();
  const missing = new Map<string, Finding>();
  const note = (map: Map<string, Finding>, name: string, line: number, version: string) => {
    const f = map.get(name) ?? { line, rows: new Map<string, number>() };
    f.rows.set(version, (f.rows.get(version) ?? 0) + 1);
    f.line = Math.min(f.line, line);
    map.set(name, f);
  };
  for (const v of covered) {
    const declared = new Map(v.data.variables.map((x) => [x.name, x]));
    const required = v.data.variables.filter((x) => x.required && baseVars?.[x.name] === undefined);
    for (let i = dataset.firstCase; i < cases.length; i++) {
      const c = cases[i]!;
      const line = dataset.lines[i - dataset.firstCase]!;
      for (const name of Object.keys(c.vars)) if (!declared.has(name)) note(undeclared, name, line, v.version);
      for (const spec of required) if (c.vars[spec.name] === undefined) note(missing, spec.name, line, v.version);
    }
  }
  const out: Problem[] = [];
  const who = (f: Finding) => `${covered[0]!.id}@${[...f.rows.keys()].join(', ')}`;
  const rows = (f: Finding) => {
    const n = Math.max(...f.rows.values());
    return n > 1 ? ` (${n} rows; the first is here)` : '';
  };
  for (const [name, f] of undeclared) {
    out.push({ file: dataset.file, line: f.line, col: 1, field: name, severity: 'error', rule: 'suite/undeclared-variable', message: `column "${name}" sets a variable that ${who(f)} ${f.rows.size > 1 ? 'do' : 'does'} not declare${rows(f)}; map columns to variables with cases_from.vars` });
  }
  for (const [name, f] of missing) {
    out.push({ file: dataset.file, line: f.line, col: 1, field: name, severity: 'error', rule: 'suite/missing-variable', message: `rows do not set required variable "${name}" of ${who(f)}${rows(f)}` });
  }
  return out;
}

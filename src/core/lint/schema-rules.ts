import type { Problem } from '../errors.js';
import { expectationField } from '../dataset-rows.js';
import type { CasesFrom, EvalCase } from '../schemas/evalset.js';
import type { PromptVersion } from '../schemas/prompt.js';
import type { JsonSchema, SchemaEngine } from '../scoring/json-schema.js';
import type { FieldPath, Position } from '../yaml-source.js';
import { rawVersionSchemas } from './refused-file-schemas.js';

/**
 * Every JSON Schema a project declares, compiled by the engine that will use it (ajv, under the
 * draft its `$schema` names: 2020-12 by default, 2019-09, draft-07) at lint time, so a schema it
 * refuses is a `file:line field` error before anything is sent: a version's response_format,
 * structured_outputs.json and tool parameters, and a suite's json-schema and tool-call argument
 * schemas. Also: an expectation that names the version's schema (`matches-response-format`) or a
 * tool needs a version that declares one.
 */

type Emit = (rule: string, path: FieldPath, message: string, severity?: Problem['severity']) => void;

function emitter(file: string, locate: (path: FieldPath) => Position, out: Problem[]): Emit {
  return (rule, path, message, severity = 'error') => {
    const pos = locate(path);
    out.push({ file, line: pos.line, col: pos.col, field: path.join('.'), message, severity, rule });
  };
}

function checkSchema(engine: () => SchemaEngine, emit: Emit, path: FieldPath, schema: unknown, formats = false): void {
  const refusal = engine().refusal(schema as JsonSchema, formats);
  if (refusal) emit('schema/invalid', path, refusal);
}

/** The schemas a version declares, with where each sits in its file. */
export function versionSchemas(v: Pick<PromptVersion, 'response_format' | 'structured_outputs' | 'tools'>): Array<{ path: FieldPath; schema: unknown }> {
  return rawVersionSchemas(v);
}

export function lintPromptSchemas(p: { file: string; data: PromptVersion; locate: (path: FieldPath) => Position }, engine: () => SchemaEngine): Problem[] {
  const out: Problem[] = [];
  const emit = emitter(p.file, p.locate, out);
  for (const { path, schema } of versionSchemas(p.data)) checkSchema(engine, emit, path, schema);
  return out;
}

export interface SuiteSchemaInput {
  file: string;
  locate: (path: FieldPath) => Position;
  cases: readonly EvalCase[];
  /** The versions the suite covers: `matches-response-format` and tool names are checked against each. */
  covered: ReadonlyArray<{ id: string; version: string; data: PromptVersion }>;
}

/** One problem of a case, placed by its path inside the case; `message` names the case as `subject` says. */
interface CaseFinding {
  rule: string;
  path: FieldPath;
  message: (subject: string) => string;
  /** A finding that does not stop an eval (the case runs and fails); by default an error. */
  severity?: 'warning';
}

/** The schema and tool problems of one case, against the covered versions. */
function caseSchemaFindings(c: EvalCase, covered: SuiteSchemaInput['covered'], engine: () => SchemaEngine): CaseFinding[] {
  const out: CaseFinding[] = [];
  const emit: Emit = (rule, path, message) => out.push({ rule, path, message: () => message });
  const without = (has: (v: PromptVersion) => boolean): string[] => covered.filter((v) => !has(v.data)).map((v) => `${v.id}@${v.version}`);
  const declares = (name: string) => (v: PromptVersion) => (v.tools ?? []).some((t) => t.function.name === name);
  c.expect.forEach((e, j) => {
    const at: FieldPath = ['expect', j];
    const own = e['json-schema'];
    const matches = (own !== undefined && own['matches-response-format'] === true) || (typeof e['is-json'] === 'object');
    if (matches) {
      const missing = without((v) => versionSchemas({ response_format: v.response_format, structured_outputs: v.structured_outputs }).length > 0);
      if (missing.length) out.push({ rule: 'schema/no-response-format', path: at, message: (who) => `${who} matches the version's response format, but ${missing.join(', ')} declare${missing.length === 1 ? 's' : ''} no JSON schema (response_format json_schema or structured_outputs.json)` });
    } else if (own !== undefined) checkSchema(engine, emit, [...at, 'json-schema'], own, true);
    const call = e['tool-call'];
    // An arguments-schema asserts `format` as a json-schema expectation does (tool-checks.ts): an unknown one is an error.
    if (call?.['arguments-schema'] !== undefined) checkSchema(engine, emit, [...at, 'tool-call', 'arguments-schema'], call['arguments-schema'], true);
    out.push(...unsafeIntegers(e, at));
    if (call) out.push(...neverMatchingArguments(call, covered, engine, at));
    const names = call ? [call.name] : (e['tool-calls-in-order'] ?? []);
    for (const name of names) {
      const missing = without(declares(name));
      if (missing.length) out.push({ rule: 'tools/unknown-tool', path: at, message: (who) => `${who} expects a call to ${name}, which ${missing.join(', ')} do${missing.length === 1 ? 'es' : ''} not declare under tools` });
    }
  });
  if (c.tool_results) {
    const missing = without((v) => (v.tools?.length ?? 0) > 0);
    if (missing.length) out.push({ rule: 'tools/results-without-tools', path: ['tool_results'], message: (who) => `${who} gives tool_results, but ${missing.join(', ')} declare${missing.length === 1 ? 's' : ''} no tools` });
    // A result for a tool no version declares (a typo) is never used: the real call gets "no result" instead.
    else {
      for (const name of Object.keys(c.tool_results)) {
        const lacking = without(declares(name));
        if (lacking.length) out.push({ rule: 'tools/unknown-tool', path: ['tool_results', name], message: (who) => `${who} gives a result for ${name}, which ${lacking.join(', ')} do${lacking.length === 1 ? 'es' : ''} not declare under tools` });
      }
    }
  }
  return out;
}

/**
 * Scoring checks every call's arguments against its tool's parameters (tool-checks.ts): arguments
 * an expectation asks for that the parameters refuse (exact `arguments` that do not validate, or
 * `arguments-subset` keys outside `additionalProperties: false`) can never pass, whatever the model does.
 */
function neverMatchingArguments(call: NonNullable<EvalCase['expect'][number]['tool-call']>, covered: SuiteSchemaInput['covered'], engine: () => SchemaEngine, at: FieldPath): CaseFinding[] {
  const subset = call['arguments-subset'];
  if (call.arguments === undefined && subset === undefined) return [];
  const refusing: string[] = [];
  let why = '';
  for (const v of covered) {
    const params = (v.data.tools ?? []).find((t) => t.function.name === call.name)?.function.parameters as JsonSchema | undefined;
    // No tool (reported above) or an invalid schema (reported in the version's file): nothing to check against.
    if (params === undefined || engine().refusal(params)) continue;
    const errors = call.arguments !== undefined ? engine().validate(params, call.arguments, 3).map((e) => `${e.path}: ${e.message}`) : keysOutside(params, subset!);
    if (!errors.length) continue;
    refusing.push(`${v.id}@${v.version}`);
    why ||= errors.join('; ');
  }
  if (!refusing.length) return [];
  const kind = call.arguments !== undefined ? 'arguments' : 'arguments-subset';
  // A warning: the case runs and fails, as a version that changed its tool's parameters should show (compare, report).
  return [{ rule: 'tools/arguments-never-match', severity: 'warning', path: [...at, 'tool-call', kind], message: (who) => `${who} expects ${call.name} called with ${kind} that its parameters in ${refusing.join(', ')} refuse (${why}): no call can pass, since every call's arguments are checked against them` }];
}

/**
 * An integer beyond 2^53 in a value an answer is compared with (tool-call `arguments` and
 * `arguments-subset`, a schema's `const` and `enum`) is rounded when the file is read, as the
 * answer's number is when it is parsed: 1234567890123456788 and …789 both read as
 * 1234567890123456800, so an answer with the wrong number passes. A warning: written as a string
 * (or compared by a pattern), it is compared exactly.
 */
function unsafeIntegers(e: EvalCase['expect'][number], at: FieldPath): CaseFinding[] {
  const call = e['tool-call'];
  const own = e['json-schema'];
  const places: Array<[FieldPath, unknown, boolean]> = [
    [['tool-call', 'arguments'], call?.arguments, false],
    [['tool-call', 'arguments-subset'], call?.['arguments-subset'], false],
    [['tool-call', 'arguments-schema'], call?.['arguments-schema'], true],
    [['json-schema'], own?.['matches-response-format'] === true ? undefined : own, true],
  ];
  const out: CaseFinding[] = [];
  for (const [field, value, schema] of places) {
    const found = schema ? schemaValueIntegers(value) : unsafeIn(value);
    if (found === undefined) continue;
    out.push({ rule: 'expect/unsafe-integer', severity: 'warning', path: [...at, ...field], message: (who) => `${who} compares with an integer beyond 2^53, read as ${found.toFixed(0)}: a number cannot hold it exactly, and the integers near it read as the same number, so an answer with another of them passes; write it as a string, or check it with a pattern` });
  }
  return out;
}

/** The first integer beyond 2^53 anywhere in a JSON value. */
function unsafeIn(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && !Number.isSafeInteger(value) ? value : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const v of Object.values(value)) {
    const found = unsafeIn(v);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The first such integer in a schema's `const` or `enum` values, anywhere in it. */
function schemaValueIntegers(schema: unknown): number | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined;
  for (const [k, v] of Object.entries(schema)) {
    const found = k === 'const' || k === 'enum' ? unsafeIn(v) : schemaValueIntegers(v);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Keys of a subset that a top-level `additionalProperties: false` (without patternProperties) refuses. */
function keysOutside(params: JsonSchema, subset: Record<string, unknown>): string[] {
  const p = params as { additionalProperties?: unknown; properties?: Record<string, unknown>; patternProperties?: unknown };
  if (p.additionalProperties !== false || p.patternProperties !== undefined) return [];
  return Object.keys(subset)
    .filter((k) => !Object.hasOwn(p.properties ?? {}, k))
    .map((k) => `/${k}: is not one of its properties (additionalProperties: false)`);
}

export function lintSuiteSchemas(s: SuiteSchemaInput, engine: () => SchemaEngine): Problem[] {
  const out: Problem[] = [];
  const emit = emitter(s.file, s.locate, out);
  s.cases.forEach((c, i) => {
    for (const f of caseSchemaFindings(c, s.covered, engine)) emit(f.rule, ['cases', i, ...f.path], f.message(`case "${c.id}"`), f.severity);
  });
  return out;
}

export interface DatasetSchemaInput {
  /** The data file, the index of its first case in `cases`, and each of its cases' line (dataset-rules.ts's LintableDataset). */
  dataset: { file: string; firstCase: number; lines: ArrayLike<number> };
  /** Every case of the suite: the dataset's are those from `dataset.firstCase` on. */
  cases: readonly EvalCase[];
  /** `cases_from`: its `expect:` comes first in every row's expectations, then the row's own column. */
  spec: Pick<CasesFrom, 'expect' | 'expect_column'>;
  covered: SuiteSchemaInput['covered'];
}

/**
 * The same rules for the cases a suite read from its `cases_from` file, reported in that file at
 * the row's line. A problem many rows share (an invalid schema in `cases_from.expect`, applied to
 * every row) is said once, at the first row, with how many rows share it, as the dataset's other
 * problems are (dataset-rules.ts).
 */
export function lintDatasetSchemas(d: DatasetSchemaInput, engine: () => SchemaEngine): Problem[] {
  // Where the expectation was written: the suite's cases_from.expect, or the row's expect column.
  const fieldOf = (path: FieldPath): string => expectationField(d.spec, path).field;
  const grouped = new Map<string, { problem: Problem; rows: number }>();
  for (let i = d.dataset.firstCase; i < d.cases.length; i++) {
    const c = d.cases[i]!;
    const line = d.dataset.lines[i - d.dataset.firstCase]!;
    for (const f of caseSchemaFindings(c, d.covered, engine)) {
      const field = fieldOf(f.path);
      const key = `${f.rule}\u0000${field}\u0000${f.message('')}`;
      const seen = grouped.get(key);
      if (seen) seen.rows++;
      else grouped.set(key, { problem: { file: d.dataset.file, line, col: 1, field, message: f.message(`case "${c.id}"`), severity: f.severity ?? 'error', rule: f.rule }, rows: 1 });
    }
  }
  return [...grouped.values()].map(({ problem, rows }) => (rows > 1 ? { ...problem, message: `${problem.message} (${rows} rows; the first is here)` } : problem));
}

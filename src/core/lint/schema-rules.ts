import type { Problem } from '../errors.js';
import type { EvalCase } from '../schemas/evalset.js';
import type { PromptVersion } from '../schemas/prompt.js';
import type { JsonSchema, SchemaEngine } from '../scoring/json-schema.js';
import type { FieldPath, Position } from '../yaml-source.js';

/**
 * Every JSON Schema a project declares, compiled by the engine that will use it (ajv, draft
 * 2020-12) at lint time, so a schema it refuses is a `file:line field` error before anything is
 * sent: a version's response_format, structured_outputs.json and tool parameters, and a suite's
 * json-schema and tool-call argument schemas. Also: an expectation that names the version's
 * schema (`matches-response-format`) or a tool needs a version that declares one.
 */

type Emit = (rule: string, path: FieldPath, message: string) => void;

function emitter(file: string, locate: (path: FieldPath) => Position, out: Problem[]): Emit {
  return (rule, path, message) => {
    const pos = locate(path);
    out.push({ file, line: pos.line, col: pos.col, field: path.join('.'), message, severity: 'error', rule });
  };
}

function checkSchema(engine: () => SchemaEngine, emit: Emit, path: FieldPath, schema: unknown): void {
  const problems = engine().schemaProblems(schema as JsonSchema);
  if (problems.length) emit('schema/invalid', path, `the JSON schema is invalid (draft 2020-12): ${problems.join('; ')}`);
}

/** The schemas a version declares, with where each sits in its file. */
export function versionSchemas(v: Pick<PromptVersion, 'response_format' | 'structured_outputs' | 'tools'>): Array<{ path: FieldPath; schema: unknown }> {
  const out: Array<{ path: FieldPath; schema: unknown }> = [];
  if (v.response_format?.json_schema) out.push({ path: ['response_format', 'json_schema', 'schema'], schema: v.response_format.json_schema.schema });
  if (v.structured_outputs?.json !== undefined) out.push({ path: ['structured_outputs', 'json'], schema: v.structured_outputs.json });
  v.tools?.forEach((t, i) => {
    if (t.function.parameters !== undefined) out.push({ path: ['tools', i, 'function', 'parameters'], schema: t.function.parameters });
  });
  return out;
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

export function lintSuiteSchemas(s: SuiteSchemaInput, engine: () => SchemaEngine): Problem[] {
  const out: Problem[] = [];
  const emit = emitter(s.file, s.locate, out);
  const without = (has: (v: PromptVersion) => boolean): string[] => s.covered.filter((v) => !has(v.data)).map((v) => `${v.id}@${v.version}`);
  s.cases.forEach((c, i) => {
    c.expect.forEach((e, j) => {
      const at: FieldPath = ['cases', i, 'expect', j];
      const own = e['json-schema'];
      const matches = (own !== undefined && own['matches-response-format'] === true) || (typeof e['is-json'] === 'object');
      if (matches) {
        const missing = without((v) => versionSchemas({ response_format: v.response_format, structured_outputs: v.structured_outputs }).length > 0);
        if (missing.length) emit('schema/no-response-format', at, `case "${c.id}" matches the version's response format, but ${missing.join(', ')} declare${missing.length === 1 ? 's' : ''} no JSON schema (response_format json_schema or structured_outputs.json)`);
      } else if (own !== undefined) checkSchema(engine, emit, [...at, 'json-schema'], own);
      const call = e['tool-call'];
      if (call?.['arguments-schema'] !== undefined) checkSchema(engine, emit, [...at, 'tool-call', 'arguments-schema'], call['arguments-schema']);
      const names = call ? [call.name] : (e['tool-calls-in-order'] ?? []);
      for (const name of names) {
        const missing = without((v) => (v.tools ?? []).some((t) => t.function.name === name));
        if (missing.length) emit('tools/unknown-tool', at, `case "${c.id}" expects a call to ${name}, which ${missing.join(', ')} do${missing.length === 1 ? 'es' : ''} not declare under tools`);
      }
    });
    if (c.tool_results) {
      const missing = without((v) => (v.tools?.length ?? 0) > 0);
      if (missing.length) emit('tools/results-without-tools', ['cases', i, 'tool_results'], `case "${c.id}" gives tool_results, but ${missing.join(', ')} declare${missing.length === 1 ? 's' : ''} no tools`);
    }
  });
  return out;
}

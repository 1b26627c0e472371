import type { Problem } from '../errors.js';
import type { JsonSchema, SchemaEngine } from '../scoring/json-schema.js';
import { formatPath, type FieldPath, type Locate } from '../yaml-source.js';

/**
 * The JSON schemas of a file the loader refused (an unknown extra_body key, a bad expectation, an
 * id that does not match its folder). Lint's schema rules (schema-rules.ts) run only on files that
 * load, so without this an invalid schema in such a file showed only after the first fix, though
 * lint says it lists every problem at once. Each schema is found where the file's schema puts it,
 * in the data as parsed, and compiled as lint would; a schema at or under a field the file's
 * problems already name (or that holds one) is left out, since what is said there would only
 * follow from that problem.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export interface RefusedFile {
  file: string;
  data: unknown;
  locate: Locate;
  /** The problems that made the loader refuse it. */
  problems: readonly Problem[];
}

/** Where a version declares schemas: response_format's json_schema, structured_outputs.json, tool parameters. */
export function rawVersionSchemas(data: unknown): Array<{ path: FieldPath; schema: unknown }> {
  if (!isObj(data)) return [];
  const out: Array<{ path: FieldPath; schema: unknown }> = [];
  const rf = data.response_format;
  if (isObj(rf) && isObj(rf.json_schema) && rf.json_schema.schema !== undefined) out.push({ path: ['response_format', 'json_schema', 'schema'], schema: rf.json_schema.schema });
  if (isObj(data.structured_outputs) && data.structured_outputs.json !== undefined) out.push({ path: ['structured_outputs', 'json'], schema: data.structured_outputs.json });
  listOf(data.tools).forEach((t, i) => {
    if (isObj(t) && isObj(t.function) && t.function.parameters !== undefined) out.push({ path: ['tools', i, 'function', 'parameters'], schema: t.function.parameters });
  });
  return out;
}

/** Where a suite's cases declare schemas: `json-schema` (not the version's, `matches-response-format`) and `tool-call.arguments-schema`. */
export function rawSuiteSchemas(data: unknown): Array<{ path: FieldPath; schema: unknown }> {
  if (!isObj(data)) return [];
  const out: Array<{ path: FieldPath; schema: unknown }> = [];
  listOf(data.cases).forEach((c, i) => {
    if (!isObj(c)) return;
    listOf(c.expect).forEach((e, j) => {
      if (!isObj(e)) return;
      const own = e['json-schema'];
      if (own !== undefined && !(isObj(own) && own['matches-response-format'] === true)) out.push({ path: ['cases', i, 'expect', j, 'json-schema'], schema: own });
      const call = e['tool-call'];
      if (isObj(call) && call['arguments-schema'] !== undefined) out.push({ path: ['cases', i, 'expect', j, 'tool-call', 'arguments-schema'], schema: call['arguments-schema'] });
    });
  });
  return out;
}

/** One field at or inside the other (`a.b` and `a.b.c`; the file itself, field '', holds every field). */
function overlaps(a: string, b: string): boolean {
  return a === '' || b === '' || a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

/** `schema/invalid` for each schema of a refused file that the engine refuses and no problem of the file already covers. */
export function lintRefusedFileSchemas(f: RefusedFile, found: Array<{ path: FieldPath; schema: unknown }>, engine: () => SchemaEngine): Problem[] {
  const out: Problem[] = [];
  for (const { path, schema } of found) {
    const field = formatPath(path);
    if (f.problems.some((p) => p.file === f.file && overlaps(p.field, field))) continue;
    const refusal = engine().refusal(schema as JsonSchema);
    if (!refusal) continue;
    const pos = f.locate(path);
    out.push({ file: f.file, line: pos.line, col: pos.col, field, message: refusal, severity: 'error', rule: 'schema/invalid' });
  }
  return out;
}

import type { z } from 'zod';
import type { Problem } from './errors.js';
import { plainIssueMessage } from './plain-issues.js';
import { ownValue } from './own-key.js';
import { closestName } from './suggest.js';
import { formatPath, problem, type ParsedYaml } from './yaml-source.js';

/**
 * Parsed YAML checked against a zod schema: every issue a positioned problem in plain words
 * (plain-issues.ts), a misspelt key naming the one meant, and one problem where zod reports two.
 */

/** The schema's own definition, as zod 4 keeps it on every schema: read only to name an object's keys. */
type Def = { type?: string; innerType?: unknown; in?: unknown; element?: unknown; valueType?: unknown; shape?: Record<string, unknown> };
const defOf = (s: unknown): Def | undefined => (s as { _zod?: { def?: Def } } | undefined)?._zod?.def;

/** `unknown key "contain" (did you mean "contains"?)`: the key it was probably meant to be, from the keys `schema` takes at `base`. */
export function unknownKeyText(schema: unknown, base: ReadonlyArray<string | number>, key: string): string {
  const misplaced = ownValue(MISPLACED, key);
  if (misplaced) return `unknown key "${key}" (${misplaced})`;
  const near = keyMeant(schema, base, key);
  return `unknown key "${key}" (${near ? `did you mean "${near}"?` : 'check the spelling'})`;
}

/** The key of the object at `base` an unknown `key` was probably meant to be. */
function keyMeant(schema: unknown, base: ReadonlyArray<string | number>, key: string): string | undefined {
  return closestName(key, knownKeysAt(schema, base));
}

/** YAML 1.2, which promptctl reads, has no merge keys: `<<: *base` is a key like any other, wherever it is written. */
const MERGE_KEY = 'YAML merge keys are not read (YAML 1.2 has none): write the keys out';

/** Keys that belong one level down, and where. */
const MISPLACED: Record<string, string> = {
  'matches-response-format': 'it goes inside is-json or json-schema: - json-schema: { matches-response-format: true }',
  '<<': MERGE_KEY,
};

/**
 * The keys an object at `path` of `schema` takes (for "did you mean"), through optional, default,
 * pipe, array and record; none where the path meets anything else (a union: no single answer).
 */
function knownKeysAt(schema: unknown, path: ReadonlyArray<string | number>): string[] {
  const unwrap = (s: unknown): unknown => {
    for (let d = defOf(s); d && (d.innerType !== undefined || d.type === 'pipe'); d = defOf(s)) s = d.type === 'pipe' ? d.in : d.innerType;
    return s;
  };
  let s = unwrap(schema);
  for (const key of path) {
    const d = defOf(s);
    s = unwrap(d?.type === 'object' ? d.shape?.[String(key)] : d?.type === 'array' ? d.element : d?.type === 'record' ? d.valueType : undefined);
  }
  const d = defOf(s);
  return d?.type === 'object' && d.shape ? Object.keys(d.shape) : [];
}

/** Validates data against a zod schema, turning every issue into a positioned problem. */
export function validate<S extends z.ZodType>(
  schema: S,
  parsed: ParsedYaml,
  file: string,
): { value?: z.infer<S>; problems: Problem[] } {
  const result = schema.safeParse(parsed.data, { error: plainIssueMessage });
  const dropped = protoKeys(parsed.data).map((path) => problem(file, parsed.locate(path), formatPath(path), PROTO_KEY));
  if (result.success) return dropped.length ? { problems: dropped } : { value: result.data, problems: [] };
  const problems: Problem[] = [...dropped];
  const pathOf = (issue: z.core.$ZodIssue) => issue.path.filter((k): k is string | number => typeof k !== 'symbol');
  // A key misspelt (`rubrik:`) is one problem, the unknown key naming the one meant, not also that one "is required".
  const meant = new Set(
    result.error.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys.map((k) => formatPath([...pathOf(i), keyMeant(schema, pathOf(i), k) ?? k])) : [])),
  );
  for (const issue of result.error.issues) {
    const base = pathOf(issue);
    if (issue.code === 'invalid_type' && issue.message === 'is required' && meant.has(formatPath(base))) continue;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        if (key === '__proto__') continue; // said by protoKeys
        const path = [...base, key];
        problems.push(problem(file, parsed.locate(path), formatPath(path), unknownKeyText(schema, base, key)));
      }
      continue;
    }
    // A merge key where any key is taken (vars, base_vars) fails on its value: said as what it is.
    const message = base.at(-1) === '<<' ? `"<<": ${MERGE_KEY}` : issue.message;
    problems.push(problem(file, parsed.locate(base), formatPath(base), message));
  }
  return { problems: tightestBounds(problems) };
}

/** Two upper (or lower) bounds broken at one field (`int()`'s safe-integer limit and the field's own) say only the tighter. */
function tightestBounds(problems: Problem[]): Problem[] {
  const bound = (p: Problem) => /^must be (at most|at least) (-?[\d.e+]+)$/.exec(p.message);
  return problems.filter((p) => {
    const b = bound(p);
    if (!b) return true;
    const tighter = (q: Problem) => {
      const c = q !== p && q.field === p.field && bound(q);
      return c && c[1] === b[1] && (b[1] === 'at most' ? Number(c[2]) < Number(b[2]) : Number(c[2]) > Number(b[2]));
    };
    return !problems.some(tighter);
  });
}

/** Said of a `__proto__` key: zod's records (vars, base_vars, tool_results, arguments…) skip it, and a case ran without the value. */
export const PROTO_KEY = '"__proto__" cannot be a key here: it is the name of an object\'s prototype, so its value would be dropped without a word (no variable, tool or argument can be named so); remove it or choose another name';

/** The path of every own `__proto__` key in parsed data (YAML and JSON keep it as a key); one shared path stack, copied only when found. */
function protoKeys(value: unknown, at: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return out;
  const entries: Iterable<[string | number, unknown]> = Array.isArray(value) ? value.entries() : Object.entries(value);
  for (const [k, v] of entries) {
    if (k === '__proto__') out.push([...at, k]);
    else if (v !== null && typeof v === 'object') {
      at.push(k);
      protoKeys(v, at, out);
      at.pop();
    }
  }
  return out;
}

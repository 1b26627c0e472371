import type { KeywordDefinition, Options, ValidateFunction } from 'ajv';
import { canonicalJson } from '../canonical.js';
import { needsDeadline, REGEX_DEADLINE_SECONDS, type Bounded } from '../expectation-regex.js';
import { DIALECTS, dialectOf, type Dialect } from './schema-dialect.js';
import { describeErrors, schemaMessage, type SchemaError } from './schema-errors.js';

/**
 * The one JSON Schema engine (ajv) behind `json-schema` expectations, tool arguments,
 * `response_format` and `structured_outputs.json`, at lint time and when scoring. A schema is
 * checked under the draft its `$schema` names (schema-dialect.ts: 2020-12 when it names none,
 * 2019-09, draft-07), each by an ajv instance of its own, built on the first schema of that draft
 * (2020-12 and draft-07 differ in keywords such as `items`, so one ajv instance cannot hold both).
 * ajv is pure but costs tens of milliseconds to load, so core never imports it as a value: infra
 * (`infra/schema-engine.ts`) hands `createSchemaEngine` a loader of ajv's class for each draft. The
 * compiled validators live in the engine a caller holds (one per eval or lint), never in module state.
 */

export type JsonSchema = Record<string, unknown> | boolean;

/**
 * How `format` is read. `true`: asserted (ajv-formats; an unknown format is a schema error), as a
 * `json-schema` or tool-argument expectation asks. `false` (the default): formats are annotations,
 * as lint compiles what a version sends (response_format, structured_outputs, tools). `'known'`:
 * the formats ajv-formats knows are asserted and any other is an annotation, as a structured-output
 * engine reads a schema: how a version's own schema is checked (`matches-response-format`), so a
 * format name lint accepted there never fails an answer.
 */
export type Formats = boolean | 'known';

export interface SchemaEngine {
  /** Errors of `value` against `schema` (empty when valid); throws SchemaRejected for a schema the engine refuses. */
  validate(schema: JsonSchema, value: unknown, maxErrors?: number, formats?: Formats): SchemaError[];
  /** Why the engine refuses a schema (empty when it compiles). */
  schemaProblems(schema: JsonSchema, formats?: Formats): string[];
  /** The engine's refusal of a schema as one sentence (`the JSON schema is invalid (draft-07): …`), or null when it compiles. */
  refusal(schema: JsonSchema, formats?: Formats): string | null;
}

export class SchemaRejected extends Error {}

/** What the engine needs of an ajv class (Ajv2020, Ajv2019, or Ajv for draft-07). */
export type AjvClass = new (opts: Options) => {
  compile(schema: unknown): ValidateFunction;
  addFormat(name: string, format: true): unknown;
  addKeyword(definition: KeywordDefinition): unknown;
  readonly formats: Record<string, unknown>;
};

/**
 * OpenAPI's `discriminator`, which pydantic v2 writes beside the `oneOf` of every discriminated
 * union (with `propertyName` and `mapping`) and vLLM accepts: an annotation here, as JSON Schema has
 * no such keyword. It asserts nothing (the `oneOf` and each branch's `const` already decide which
 * values pass), so it is accepted wherever a schema is, a version's and a check's alike: a pydantic
 * model's schema pasted into a `json-schema` check checks what it says. Its value must still have
 * the shape OpenAPI gives it, so a misspelt one is refused as an unknown keyword was. ajv's own
 * `discriminator` option is not used: it refuses `mapping` and asserts more than OpenAPI does.
 */
const DISCRIMINATOR: KeywordDefinition = {
  keyword: 'discriminator',
  schemaType: 'object',
  metaSchema: { type: 'object', required: ['propertyName'], properties: { propertyName: { type: 'string' }, mapping: { type: 'object', additionalProperties: { type: 'string' } } } },
};

/** ajv's class for each draft, loaded when the first schema of that draft is checked; `formats` adds ajv-formats to an instance. */
export type AjvClasses = Record<Dialect, () => AjvClass> & { formats: () => (ajv: InstanceType<AjvClass>) => void };

interface Refused {
  problems: string[];
  sentence: string;
}

/**
 * `deadline`: how a validation is run when the schema has a `pattern` (or `patternProperties`
 * key) that may backtrack long (core/expectation-regex.ts needsDeadline): the whole validation of
 * one value under one deadline, however many strings the pattern meets in it. Running out refuses
 * the check like a schema error, naming the pattern.
 */
export function createSchemaEngine(classes: AjvClasses, deadline?: Bounded): SchemaEngine {
  const instances = new Map<string, InstanceType<AjvClass>>();
  // strictSchema: an unknown keyword is a schema error (it would silently check nothing), and so is
  // an unknown format where formats are asserted; elsewhere they are annotations (SchemaEngine).
  // `discriminator` is a known annotation (DISCRIMINATOR).
  const ajvFor = (dialect: Dialect, formats: Formats): InstanceType<AjvClass> => {
    const at = `${dialect}\u0000${formats}`;
    let ajv = instances.get(at);
    if (!ajv) {
      const AjvCtor = classes[dialect]();
      ajv = new AjvCtor({
        allErrors: true,
        verbose: true,
        strict: true,
        strictTypes: false,
        strictTuples: false,
        strictRequired: false,
        validateFormats: formats !== false,
        addUsedSchema: false,
        multipleOfPrecision: 9,
        logger: false,
      });
      ajv.addKeyword(DISCRIMINATOR);
      if (formats) classes.formats()(ajv);
      instances.set(at, ajv);
    }
    return ajv;
  };
  const compiled = new Map<string, ValidateFunction | Refused>();
  // Per compiled schema: the pattern that makes its validation need the deadline, or null.
  const risks = new WeakMap<ValidateFunction, string | null>();

  const compile = (schema: JsonSchema, formats: Formats): ValidateFunction | Refused => {
    const key = `${formats}\u0000${canonicalJson(schema)}`;
    let v = compiled.get(key);
    if (v === undefined) {
      const of = dialectOf(schema);
      if ('unsupported' in of) v = { problems: [of.unsupported], sentence: of.unsupported };
      else {
        try {
          const ajv = ajvFor(of.dialect, formats);
          // 'known': a format ajv-formats does not know is added as one every value passes (an annotation).
          if (formats === 'known') for (const name of formatNames(of.schema)) if (!Object.hasOwn(ajv.formats, name)) ajv.addFormat(name, true);
          v = ajv.compile(of.schema);
        } catch (err) {
          const problems = [schemaMessage(err)];
          v = { problems, sentence: `the JSON schema is invalid (${DIALECTS[of.dialect].name}): ${problems.join('; ')}` };
        }
      }
      compiled.set(key, v);
    }
    return v;
  };
  const notASchema = (schema: unknown): Refused | null =>
    typeof schema !== 'boolean' && (typeof schema !== 'object' || schema === null || Array.isArray(schema))
      ? { problems: ['a JSON schema is an object or a boolean'], sentence: `the JSON schema is invalid (${DIALECTS['2020-12'].name}): a JSON schema is an object or a boolean` }
      : null;
  const refused = (schema: JsonSchema, formats: Formats): Refused | null => {
    const v = notASchema(schema) ?? compile(schema, formats);
    return typeof v === 'function' ? null : v;
  };

  return {
    validate(schema, value, maxErrors = 10, formats = false) {
      const v = notASchema(schema) ?? compile(schema, formats);
      if (typeof v !== 'function') throw new SchemaRejected(v.sentence);
      let risky = risks.get(v);
      if (risky === undefined) risks.set(v, (risky = (deadline && riskyPattern(schema)) || null));
      let valid: boolean | 'timeout';
      try {
        valid = risky && deadline ? deadline(() => v(value)) : v(value);
      } catch (err) {
        // A recursive schema walks a value as deep as it is nested: a value nested thousands deep
        // exhausts the stack. The answer is judged (it fails), not left unjudged as an error.
        if (err instanceof RangeError) return [{ path: '$', message: 'the value is nested too deeply to check against the schema (thousands of levels)' }];
        throw err;
      }
      if (valid === 'timeout') throw new SchemaRejected(`the schema's pattern ${JSON.stringify(risky)} did not finish matching within ${REGEX_DEADLINE_SECONDS} s: it backtracks without end on this value; simplify it`);
      if (valid) return [];
      return describeErrors(v.errors ?? []).slice(0, maxErrors);
    },
    schemaProblems: (schema, formats = false) => refused(schema, formats)?.problems ?? [],
    refusal: (schema, formats = false) => refused(schema, formats)?.sentence ?? null,
  };
}

/** Every string a `format` key holds anywhere in the schema (a property named "format" holds a schema, not a string). */
function formatNames(schema: unknown, out = new Set<string>()): Set<string> {
  if (typeof schema !== 'object' || schema === null) return out;
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'format' && typeof value === 'string') out.add(value);
    else formatNames(value, out);
  }
  return out;
}

/** The first `pattern` (or `patternProperties` key) anywhere in the schema that needs a deadline to run, if any. */
function riskyPattern(schema: unknown): string | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined;
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'pattern' && typeof value === 'string' && needsDeadline(value)) return value;
    if (key === 'patternProperties' && typeof value === 'object' && value !== null) {
      const found = Object.keys(value).find(needsDeadline);
      if (found !== undefined) return found;
    }
    const inner = riskyPattern(value);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

/** Structural equality of JSON values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const rb = b as Record<string, unknown>;
  return ka.length === kb.length && ka.every((k) => k in rb && deepEqual((a as Record<string, unknown>)[k], rb[k]));
}

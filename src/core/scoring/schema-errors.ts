import type { ErrorObject } from 'ajv';

/**
 * promptctl's wording of what ajv reports (json-schema.ts runs it): a schema it refuses in the
 * substance of ajv's message, and each failed keyword of a value in one sentence with the
 * JSONPath-like place it failed at, the words promptctl's reports always used.
 */

export interface SchemaError {
  /** JSONPath-like location in the instance, `$` for the root. */
  path: string;
  message: string;
}

export function schemaMessage(err: unknown): string {
  const m = (err as Error).message ?? String(err);
  // ajv's compile errors start with "strict mode: " or "schema is invalid: data/..."; keep the substance.
  return m.replace(/^strict mode: /, '').replace(/\(strictTypes\)$/, '').trim();
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  // JSON.parse reads a number too large for a double (1e999) as Infinity, which no schema's number takes.
  if (typeof v === 'number' && !Number.isFinite(v)) return 'a number too large to hold (read as Infinity)';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number' && Number.isInteger(v)) return 'number';
  return typeof v;
}

const show = (v: unknown): string => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
};

/** `/items/0/sku` → `$.items[0].sku`. */
export function instancePath(pointer: string): string {
  let out = '$';
  for (const raw of pointer.split('/').slice(1)) {
    const k = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(k) ? `[${k}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
  }
  return out;
}

const COMPARISON: Record<string, string> = { minimum: '>=', maximum: '<=', exclusiveMinimum: '>', exclusiveMaximum: '<' };

/** One sentence per failed keyword, in the words promptctl's reports always used. */
function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  const data = e.data;
  switch (e.keyword) {
    case 'type':
      return `expected ${String(p.type).replace(/,/g, ' or ')}, got ${typeOf(data)}`;
    case 'required':
      return `missing required property "${String(p.missingProperty)}"`;
    case 'additionalProperties':
      return `unexpected property "${String(p.additionalProperty)}"`;
    case 'enum':
      return `must be one of ${show(p.allowedValues)}, got ${show(data)}`;
    case 'const':
      return `must be ${show(p.allowedValue)}, got ${show(data)}`;
    case 'pattern':
      return `must match /${String(p.pattern)}/, got ${show(data)}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${COMPARISON[e.keyword]} ${String(p.limit)}, got ${show(data)}`;
    case 'multipleOf':
      return `must be a multiple of ${String(p.multipleOf)}, got ${show(data)}`;
    case 'minLength':
    case 'maxLength':
      return `must be ${e.keyword === 'minLength' ? 'at least' : 'at most'} ${String(p.limit)} characters, got ${[...String(data)].length}`;
    case 'minItems':
    case 'maxItems':
      return `must have ${e.keyword === 'minItems' ? 'at least' : 'at most'} ${String(p.limit)} items, got ${Array.isArray(data) ? data.length : 0}`;
    case 'minProperties':
    case 'maxProperties':
      return `must have ${e.keyword === 'minProperties' ? 'at least' : 'at most'} ${String(p.limit)} properties`;
    case 'uniqueItems':
      return 'items must be unique';
    case 'anyOf':
      return `must match at least one of ${alternatives(e, 'anyOf')} alternatives (anyOf)`;
    case 'oneOf':
      return `must match exactly one of ${alternatives(e, 'oneOf')} alternatives (oneOf), matched ${Array.isArray(p.passingSchemas) ? p.passingSchemas.length : 0}`;
    case 'not':
      return 'must not match the schema under "not"';
    case 'false schema':
      return 'no value is allowed here';
    default:
      return e.message ?? `fails "${e.keyword}"`;
  }
}

function alternatives(e: ErrorObject, keyword: 'anyOf' | 'oneOf'): number {
  const list = (e.parentSchema as Record<string, unknown> | undefined)?.[keyword];
  return Array.isArray(list) ? list.length : 0;
}

/**
 * ajv reports every branch of an anyOf / oneOf / not it tried; the reader needs the combinator's
 * own sentence, not each alternative's failure.
 */
export function describeErrors(errors: ErrorObject[]): SchemaError[] {
  const combinators = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'not');
  const inside = (e: ErrorObject): boolean => combinators.some((c) => c !== e && e.schemaPath.startsWith(`${c.schemaPath}/`));
  return errors.filter((e) => !inside(e)).map((e) => ({ path: instancePath(e.instancePath), message: describe(e) }));
}

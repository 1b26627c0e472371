/**
 * A JSON Schema validator for the common subset, written here because no validator library is
 * installed (ajv would be the drop-in replacement: this module is the only place to change).
 * Supported: type (incl. integer and type arrays), enum, const, properties, required,
 * additionalProperties, patternProperties, minProperties/maxProperties, items (schema, or
 * draft-7 tuple arrays with additionalItems), prefixItems, minItems/maxItems, uniqueItems, minLength/maxLength (in
 * code points), pattern, minimum/maximum, exclusiveMinimum/exclusiveMaximum (numeric form),
 * multipleOf, allOf/anyOf/oneOf/not, and local $ref (#/$defs/..., #/definitions/...).
 * Annotations (title, description, format, default, examples, ...) are accepted and ignored.
 */

export type JsonSchema = Record<string, unknown> | boolean;

export interface SchemaError {
  /** JSONPath-like location in the instance, `$` for the root. */
  path: string;
  message: string;
}

const SUPPORTED: ReadonlySet<string> = new Set([
  'type', 'enum', 'const', 'properties', 'required', 'additionalProperties', 'patternProperties',
  'minProperties', 'maxProperties', 'items', 'prefixItems', 'additionalItems', 'minItems', 'maxItems', 'uniqueItems',
  'minLength', 'maxLength', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'multipleOf', 'allOf', 'anyOf', 'oneOf', 'not', '$ref', '$defs', 'definitions',
  '$schema', '$id', '$comment', 'title', 'description', 'default', 'examples', 'format', 'readOnly', 'writeOnly', 'deprecated',
]);

/** Keywords this validator would silently ignore, so lint can warn about them. */
export function unsupportedKeywords(schema: JsonSchema): string[] {
  const found = new Set<string>();
  const walk = (s: unknown): void => {
    if (Array.isArray(s)) return s.forEach(walk);
    if (!s || typeof s !== 'object') return;
    for (const [k, v] of Object.entries(s)) {
      if (!SUPPORTED.has(k)) found.add(k);
      // Values of these keywords are maps of name → schema, not schemas themselves.
      if (k === 'properties' || k === 'patternProperties' || k === '$defs' || k === 'definitions') {
        if (v && typeof v === 'object') Object.values(v).forEach(walk);
      } else if (k !== 'enum' && k !== 'const' && k !== 'default' && k !== 'examples') walk(v);
    }
  };
  walk(schema);
  return [...found].sort();
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

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

function matchesType(value: unknown, type: string): boolean {
  if (type === 'integer') return typeof value === 'number' && Number.isInteger(value);
  if (type === 'number') return typeof value === 'number' && Number.isFinite(value);
  return typeOf(value) === type;
}

const show = (v: unknown): string => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
};

export function validateJsonSchema(schema: JsonSchema, value: unknown, maxErrors = 10): SchemaError[] {
  const errors: SchemaError[] = [];
  const root = schema;

  const resolve = (ref: string): JsonSchema | undefined => {
    if (!ref.startsWith('#')) return undefined;
    let node: unknown = root;
    for (const raw of ref.slice(1).split('/').filter(Boolean)) {
      const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
    }
    return typeof node === 'boolean' || (node && typeof node === 'object') ? (node as JsonSchema) : undefined;
  };

  // Returns whether `v` is valid; pushes errors only when `out` is given (sub-schema probes for
  // anyOf/oneOf/not run silently).
  const check = (s: JsonSchema, v: unknown, path: string, out: SchemaError[] | null, depth: number): boolean => {
    const fail = (message: string): false => {
      if (out && out.length < maxErrors) out.push({ path, message });
      return false;
    };
    if (depth > 64) return fail('schema nesting too deep (recursive $ref?)');
    if (s === true) return true;
    if (s === false) return fail('no value is allowed here');
    let ok = true;
    const sub = (schemaAt: unknown, v2: unknown, p2: string): boolean =>
      typeof schemaAt === 'boolean' || (schemaAt && typeof schemaAt === 'object') ? check(schemaAt as JsonSchema, v2, p2, out, depth + 1) : true;

    if (typeof s.$ref === 'string') {
      const target = resolve(s.$ref);
      if (target === undefined) return fail(`cannot resolve $ref ${s.$ref} (only local references are supported)`);
      ok = check(target, v, path, out, depth + 1) && ok;
    }
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      if (!types.some((t) => matchesType(v, t))) return fail(`expected ${types.join(' or ')}, got ${typeOf(v)}`);
    }
    if (Array.isArray(s.enum) && !s.enum.some((e) => deepEqual(e, v))) ok = fail(`must be one of ${show(s.enum)}, got ${show(v)}`);
    if ('const' in s && !deepEqual(s.const, v)) ok = fail(`must be ${show(s.const)}, got ${show(v)}`);

    if (typeof v === 'string') {
      const len = [...v].length;
      if (typeof s.minLength === 'number' && len < s.minLength) ok = fail(`must be at least ${s.minLength} characters, got ${len}`);
      if (typeof s.maxLength === 'number' && len > s.maxLength) ok = fail(`must be at most ${s.maxLength} characters, got ${len}`);
      if (typeof s.pattern === 'string') {
        let re: RegExp | undefined;
        try {
          re = new RegExp(s.pattern, 'u');
        } catch {
          ok = fail(`schema pattern ${show(s.pattern)} is not a valid regular expression`);
        }
        if (re && !re.test(v)) ok = fail(`must match /${s.pattern}/, got ${show(v)}`);
      }
    }
    if (typeof v === 'number') {
      if (typeof s.minimum === 'number' && v < s.minimum) ok = fail(`must be >= ${s.minimum}, got ${v}`);
      if (typeof s.maximum === 'number' && v > s.maximum) ok = fail(`must be <= ${s.maximum}, got ${v}`);
      if (typeof s.exclusiveMinimum === 'number' && v <= s.exclusiveMinimum) ok = fail(`must be > ${s.exclusiveMinimum}, got ${v}`);
      if (typeof s.exclusiveMaximum === 'number' && v >= s.exclusiveMaximum) ok = fail(`must be < ${s.exclusiveMaximum}, got ${v}`);
      if (typeof s.multipleOf === 'number' && s.multipleOf > 0 && Math.abs(v / s.multipleOf - Math.round(v / s.multipleOf)) > 1e-9) ok = fail(`must be a multiple of ${s.multipleOf}, got ${v}`);
    }
    if (Array.isArray(v)) {
      if (typeof s.minItems === 'number' && v.length < s.minItems) ok = fail(`must have at least ${s.minItems} items, got ${v.length}`);
      if (typeof s.maxItems === 'number' && v.length > s.maxItems) ok = fail(`must have at most ${s.maxItems} items, got ${v.length}`);
      if (s.uniqueItems === true && v.some((x, i) => v.findIndex((y) => deepEqual(x, y)) !== i)) ok = fail('items must be unique');
      const tuple = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : [];
      const rest = Array.isArray(s.items) ? s.additionalItems : s.items;
      v.forEach((item, i) => {
        ok = sub(i < tuple.length ? tuple[i] : rest, item, `${path}[${i}]`) && ok;
      });
    }
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const obj = v as Record<string, unknown>;
      const keys = Object.keys(obj);
      const props = (s.properties ?? {}) as Record<string, unknown>;
      const patterns: Array<readonly [RegExp, unknown]> = [];
      for (const [p, ps] of Object.entries((s.patternProperties ?? {}) as Record<string, unknown>)) {
        try {
          patterns.push([new RegExp(p, 'u'), ps]);
        } catch {
          ok = fail(`schema patternProperties key ${show(p)} is not a valid regular expression`);
        }
      }
      if (Array.isArray(s.required)) for (const r of s.required as string[]) if (!(r in obj)) ok = fail(`missing required property "${r}"`);
      if (typeof s.minProperties === 'number' && keys.length < s.minProperties) ok = fail(`must have at least ${s.minProperties} properties`);
      if (typeof s.maxProperties === 'number' && keys.length > s.maxProperties) ok = fail(`must have at most ${s.maxProperties} properties`);
      for (const k of keys) {
        const p2 = /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`;
        const matched = patterns.filter(([re]) => re.test(k));
        if (k in props) ok = sub(props[k], obj[k], p2) && ok;
        for (const [, ps] of matched) ok = sub(ps, obj[k], p2) && ok;
        if (!(k in props) && !matched.length && s.additionalProperties !== undefined) {
          if (s.additionalProperties === false) ok = fail(`unexpected property "${k}"`);
          else ok = sub(s.additionalProperties, obj[k], p2) && ok;
        }
      }
    }
    const probe = (x: unknown): boolean => typeof x === 'boolean' || (!!x && typeof x === 'object') ? check(x as JsonSchema, v, path, null, depth + 1) : true;
    if (Array.isArray(s.allOf)) for (const a of s.allOf) ok = sub(a, v, path) && ok;
    if (Array.isArray(s.anyOf) && !s.anyOf.some(probe)) ok = fail(`must match at least one of ${s.anyOf.length} alternatives (anyOf)`);
    if (Array.isArray(s.oneOf)) {
      const n = s.oneOf.filter(probe).length;
      if (n !== 1) ok = fail(`must match exactly one of ${s.oneOf.length} alternatives (oneOf), matched ${n}`);
    }
    if (s.not !== undefined && probe(s.not)) ok = fail('must not match the schema under "not"');
    return ok;
  };

  check(schema, value, '$', errors, 0);
  return errors;
}

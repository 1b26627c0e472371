import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, `undefined` object members
 * dropped (as JSON.stringify does). Two values that mean the same thing always give the same text,
 * so its SHA-256 can identify a prompt version's content or an audit event.
 *
 * `keepOrder` names the objects whose key order means something (a JSON Schema a version sends:
 * grammar backends generate keys in its order, core/sent-schemas.ts): those objects and everything
 * inside them are written in their own key order, so an order change is a change of the text.
 */
export function canonicalJson(value: unknown, keepOrder?: (path: ReadonlyArray<string | number>) => boolean): string {
  return write(value, [], keepOrder === undefined ? false : keepOrder);
}

/** A JSON object (a mapping): not null, not an array. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** SHA-256 of the UTF-8 bytes of `text`, as 64 lowercase hex digits. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Convenience: the hash of a value's canonical JSON. */
export function canonicalHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

// Built by string concatenation over one shared path stack: this runs over every prompt and suite
// file and every sample's request, and an array of parts plus a path string per node cost about
// twice as much. The path is spelled out (`$.cases[3].vars`) only for an error.
// `ordered`: true inside an object whose key order is kept, else the test for one (false: none).
type Ordered = boolean | ((path: ReadonlyArray<string | number>) => boolean);

function write(value: unknown, path: Array<string | number>, ordered: Ordered): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      // NaN and Infinity have no JSON form; collapsing them to null (as JSON.stringify does)
      // would let two different values share one hash.
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${where(path)} is ${value}, which JSON cannot represent`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`canonicalJson: ${where(path)} is a ${typeof value}, which JSON cannot represent`);
  }
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return write(withToJson.toJSON(), path, ordered);
  if (Array.isArray(value)) {
    if (isFlat(value)) return JSON.stringify(value);
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      // A hole writes nothing, as the forEach this replaced did (the next item's comma still counts it).
      if (!(i in value)) continue;
      if (i > 0) out += ',';
      const item: unknown = value[i];
      path.push(i);
      // JSON.stringify writes undefined in arrays as null; keep positions stable the same way.
      out += write(item === undefined ? null : item, path, ordered);
      path.pop();
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const inOrder = ordered === true || (ordered !== false && ordered(path));
  const keys = inOrder ? Object.keys(record) : Object.keys(record).sort();
  const inner: Ordered = inOrder || ordered;
  let out = '{';
  for (const k of keys) {
    const member = record[k];
    if (member === undefined) continue;
    if (out.length > 1) out += ',';
    path.push(k);
    out += `${JSON.stringify(k)}:${write(member, path, inner)}`;
    path.pop();
  }
  return `${out}}`;
}

/** `$.cases[3].vars`: where in the value a member that JSON cannot represent sits. */
function where(path: ReadonlyArray<string | number>): string {
  return `$${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}`;
}

/**
 * Whether an array holds only strings, booleans, null, undefined and finite numbers, with no
 * holes: then JSON.stringify writes exactly what `write` would, natively. A run's sample digest
 * writes one such row per sample (core/sample-digest.ts).
 */
function isFlat(items: unknown[]): boolean {
  for (let i = 0; i < items.length; i++) {
    if (!(i in items)) return false;
    const item = items[i];
    const type = typeof item;
    if (item === null || type === 'string' || type === 'boolean' || type === 'undefined') continue;
    if (type === 'number' && Number.isFinite(item)) continue;
    return false;
  }
  return true;
}

/** The first field (dotted path) where two JSON values differ, '' when they differ as a whole. */
export function firstDifference(a: unknown, b: unknown, at: Array<string | number> = []): Array<string | number> | undefined {
  if (JSON.stringify(a) === JSON.stringify(b)) return undefined;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const key = Array.isArray(a) ? Number(k) : k;
      const found = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], [...at, key]);
      if (found) return found;
    }
  }
  return at;
}

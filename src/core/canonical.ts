import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, `undefined` object members
 * dropped (as JSON.stringify does). Two values that mean the same thing always give the same text,
 * so its SHA-256 can identify a prompt version's content or an audit event.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out, '$');
  return out.join('');
}

/** SHA-256 of the UTF-8 bytes of `text`, as 64 lowercase hex digits. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Convenience: the hash of a value's canonical JSON. */
export function canonicalHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

function write(value: unknown, out: string[], where: string): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      out.push(JSON.stringify(value));
      return;
    case 'number':
      // NaN and Infinity have no JSON form; collapsing them to null (as JSON.stringify does)
      // would let two different values share one hash.
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${where} is ${value}, which JSON cannot represent`);
      out.push(JSON.stringify(value));
      return;
    case 'object':
      break;
    default:
      throw new TypeError(`canonicalJson: ${where} is a ${typeof value}, which JSON cannot represent`);
  }
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') {
    write(withToJson.toJSON(), out, where);
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, i) => {
      if (i > 0) out.push(',');
      // JSON.stringify writes holes and undefined in arrays as null; keep positions stable the same way.
      write(item === undefined ? null : item, out, `${where}[${i}]`);
    });
    out.push(']');
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  out.push('{');
  keys.forEach((k, i) => {
    if (i > 0) out.push(',');
    out.push(JSON.stringify(k), ':');
    write(record[k], out, `${where}.${k}`);
  });
  out.push('}');
}

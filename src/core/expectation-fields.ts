import { Expectation } from './schemas/evalset.js';

/**
 * What kind of value each field of an expectation takes, read from its zod schema: how a dataset
 * row's `{{column}}` value is typed where it fills a whole field (dataset-rows.ts).
 */

type SchemaNode = { _zod: { def: { type: string; innerType?: SchemaNode; shape?: Record<string, SchemaNode>; values?: unknown[]; options?: SchemaNode[]; element?: SchemaNode } } };

/** Past optional and default wrappers, to the schema of the value itself. */
function bare(node: SchemaNode): SchemaNode {
  const { def } = node._zod;
  return (def.type === 'optional' || def.type === 'default' || def.type === 'nullable') && def.innerType ? bare(def.innerType) : node;
}

/** The schema of `key` inside `node`: an object's field, a list's item, or either inside a union (`contains: [..]`). */
function child(node: SchemaNode, key: string | number): SchemaNode | undefined {
  const { def } = node._zod;
  if (def.type === 'object') return def.shape?.[String(key)];
  if (def.type === 'array' && typeof key === 'number') return def.element;
  if (def.type === 'union') {
    for (const option of def.options ?? []) {
      const found = child(bare(option), key);
      if (found) return found;
    }
  }
  return undefined;
}

/** A text field, or a union of texts and lists of texts (`contains`). */
function isText(node: SchemaNode): boolean {
  const { def } = node._zod;
  if (def.type === 'string') return true;
  return def.type === 'union' && (def.options ?? []).every((o) => {
    const b = bare(o);
    return b._zod.def.type === 'string' || (b._zod.def.type === 'array' && b._zod.def.element !== undefined && isText(bare(b._zod.def.element)));
  });
}

/**
 * What an expectation's field at `path` takes: a number (`max-tokens`, `judge.min_score`), true/false
 * (`refusal`, `no-pii: true`) or text (`contains`, `judge.rubric`); undefined where it takes any
 * value (inside a JSON schema). Asked of the schema, so a new field needs nothing here.
 */
export function fieldTakes(path: ReadonlyArray<string | number>): 'number' | 'boolean' | 'text' | undefined {
  let node = bare(Expectation as unknown as SchemaNode);
  for (const key of path) {
    const next = child(node, key);
    if (!next) return undefined;
    node = bare(next);
  }
  const { type, values } = node._zod.def;
  if (type === 'number') return 'number';
  if (type === 'boolean' || (type === 'literal' && values?.every((v) => typeof v === 'boolean'))) return 'boolean';
  if (path.length && isText(node)) return 'text';
  return undefined;
}

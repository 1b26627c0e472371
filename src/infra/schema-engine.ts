import type { Ajv as AjvDraft07 } from 'ajv';
import type { Ajv2019 } from 'ajv/dist/2019.js';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { createSchemaEngine, type AjvClass, type AjvClasses, type SchemaEngine } from '../core/scoring/json-schema.js';
import type { Bounded } from '../core/expectation-regex.js';
import type { Dialect } from '../core/scoring/schema-dialect.js';
import { bounded } from './bounded-regex.js';
import { requirePackage } from './lazy-package.js';

/**
 * ajv loaded on first need (lazy-package.ts): most commands never check a schema, and evaluating
 * ajv costs a short command a noticeable share of its start. Each draft's class is required only
 * when a schema of that draft is checked: draft 2020-12 (no `$schema`) for nearly every project,
 * 2019-09 and draft-07 only for schemas that declare them.
 */
const loaded = new Map<Dialect, AjvClass>();
function loader(dialect: Dialect, load: () => AjvClass): () => AjvClass {
  return () => {
    let cls = loaded.get(dialect);
    if (!cls) loaded.set(dialect, (cls = load()));
    return cls;
  };
}

const classes: AjvClasses = {
  '2020-12': loader('2020-12', () => requirePackage<{ Ajv2020: typeof Ajv2020 }>('ajv/dist/2020.js').Ajv2020),
  '2019-09': loader('2019-09', () => requirePackage<{ Ajv2019: typeof Ajv2019 }>('ajv/dist/2019.js').Ajv2019),
  'draft-07': loader('draft-07', () => requirePackage<{ Ajv: typeof AjvDraft07 }>('ajv').Ajv),
  // Only json-schema expectations assert formats: ajv-formats loads with the first of them.
  formats: () => requirePackage<{ default: (ajv: unknown) => unknown }>('ajv-formats').default as (ajv: unknown) => void,
};

/** A fresh engine (its own compiled-schema cache), built on first call: one per eval or lint. `deadline`: how a validation with a long-running `pattern` is bounded. */
export function lazySchemaEngine(deadline: Bounded = bounded): () => SchemaEngine {
  let engine: SchemaEngine | undefined;
  return () => (engine ??= createSchemaEngine(classes, deadline));
}

import type { Ajv2020 } from 'ajv/dist/2020.js';
import { createSchemaEngine, type SchemaEngine } from '../core/scoring/json-schema.js';
import { requirePackage } from './lazy-package.js';

/**
 * ajv (draft 2020-12) loaded on first need (lazy-package.ts): most commands never check a schema,
 * and evaluating ajv costs a short command a noticeable share of its start.
 */
let ajvClass: typeof Ajv2020 | undefined;
function loadAjv(): typeof Ajv2020 {
  ajvClass ??= requirePackage<{ Ajv2020: typeof Ajv2020 }>('ajv/dist/2020.js').Ajv2020;
  return ajvClass;
}

/** A fresh engine (its own compiled-schema cache), built on first call: one per eval or lint. */
export function lazySchemaEngine(): () => SchemaEngine {
  let engine: SchemaEngine | undefined;
  return () => (engine ??= createSchemaEngine(loadAjv()));
}

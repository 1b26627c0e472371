import { createRequire } from 'node:module';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { createSchemaEngine, type SchemaEngine } from '../core/scoring/json-schema.js';

/**
 * ajv (draft 2020-12) loaded on first need, as infra/yaml-text.ts loads `yaml`: most commands
 * never check a schema, and evaluating ajv costs a short command a noticeable share of its start.
 * In the CLI bundle esbuild turns the `require` into a bundled module evaluated on first call; in
 * plain ESM (the library, tests) Node's own require loads it.
 */
declare const require: ((id: 'ajv/dist/2020.js') => unknown) | undefined;
let ajvClass: typeof Ajv2020 | undefined;
function loadAjv(): typeof Ajv2020 {
  ajvClass ??= ((typeof require === 'function' ? require('ajv/dist/2020.js') : createRequire(import.meta.url)('ajv/dist/2020.js')) as { Ajv2020: typeof Ajv2020 }).Ajv2020;
  return ajvClass;
}

/** A fresh engine (its own compiled-schema cache), built on first call: one per eval or lint. */
export function lazySchemaEngine(): () => SchemaEngine {
  let engine: SchemaEngine | undefined;
  return () => (engine ??= createSchemaEngine(loadAjv()));
}

import { createRequire } from 'node:module';

/**
 * A package required on first use rather than imported when the module that needs it loads: the
 * one rule for the packages only some runs need (yaml, ajv, better-sqlite3, pg), each of which costs
 * a short command several milliseconds to load.
 *
 * Node's own require, made for this file: every build of promptctl keeps these packages external
 * (scripts/bundle.mjs) and resolves them from the same node_modules, in the CLI bundle (where
 * `import.meta.url` is the chunk's URL), in the tsc output the library and tests run, and in an
 * application's ESM bundle of the library. (A bare `require` would not do: in an esbuild ESM bundle
 * it becomes a shim that throws.)
 */
let nodeRequire: NodeJS.Require | undefined;
export function requirePackage<T>(id: string): T {
  nodeRequire ??= createRequire(import.meta.url);
  return nodeRequire(id) as T;
}

import { createRequire } from 'node:module';

/**
 * Defined only inside the CLI bundle, by its loader (bin/bundle-loader.ts): a require that also
 * knows the packages built into the bundle (pg), which it runs with a code cache. Elsewhere (tsc
 * output, an application's bundle of the library) the name is undeclared, and typeof says so.
 */
declare const __promptctlRequire: ((id: string) => unknown) | undefined;

let nodeRequire: NodeJS.Require | undefined;

/**
 * A package required on first use rather than imported when the module that needs it loads: the
 * one rule for the packages only some runs need (yaml, ajv, better-sqlite3, pg), each of which costs
 * a short command several milliseconds to load.
 *
 * Node's own require, made for this file: the builds of promptctl keep these packages external
 * (scripts/bundle.mjs) and resolve them from the same node_modules, in the CLI bundle (where
 * `import.meta.url` is the chunk's URL), in the tsc output the library and tests run, and in an
 * application's ESM bundle of the library. (A bare `require` would not do: in an esbuild ESM bundle
 * it becomes a shim that throws.) The exception is pg in the CLI bundle: bundled on its own there,
 * it comes through the loader's require, compiled from the code cache instead of 32 files.
 */
export function requirePackage<T>(id: string): T {
  if (typeof __promptctlRequire === 'function') return __promptctlRequire(id) as T;
  nodeRequire ??= createRequire(import.meta.url);
  return nodeRequire(id) as T;
}

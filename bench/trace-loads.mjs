// Loader hooks that append every resolved module URL to $TRACE_LOADS_FILE: how the benchmark
// (and the start-up check) proves which packages a command loads. The CLI's own chunks are
// CommonJS files that its loader (src/bin/bundle-loader.ts) reads and compiles itself, past any
// hook; they are seen by wrapping fs.readFileSync, which the loader reads them with.
import { appendFileSync } from 'node:fs';
import fs from 'node:fs';
import { register, syncBuiltinESMExports } from 'node:module';
import { pathToFileURL } from 'node:url';

if (!process.env.TRACE_LOADS_HOOKS) {
  register(import.meta.url, { data: process.env.TRACE_LOADS_FILE });
  const read = fs.readFileSync;
  fs.readFileSync = function readFileSyncTraced(file, ...rest) {
    if (typeof file === 'string' && file.endsWith('.cjs')) appendFileSync(process.env.TRACE_LOADS_FILE, `${pathToFileURL(file).href}\n`);
    return read.call(this, file, ...rest);
  };
  syncBuiltinESMExports();
}
let file;
export function initialize(data) {
  file = data;
}
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (file) appendFileSync(file, `${r.url}\n`);
  return r;
}

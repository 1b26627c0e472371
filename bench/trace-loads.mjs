// Loader hooks that append every resolved module URL to $TRACE_LOADS_FILE: how the benchmark
// (and the start-up test) proves which packages a command loads.
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';

if (!process.env.TRACE_LOADS_HOOKS) {
  register(import.meta.url, { data: process.env.TRACE_LOADS_FILE });
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

// Turns esbuild's split ES-module chunks (bundle.mjs) into the CommonJS chunks that the installed
// command runs through its code-caching loader (src/bin/bundle-loader.ts), and writes:
// - dist/bin/main.cjs and dist/bin/chunks/*.cjs;
// - dist/bin/bundle.json: the bundle's id (a hash of every chunk, which names its code cache),
//   for each chunk, the ES-module-only packages its static imports reach (Node 20 cannot require
//   them, so the loader imports them before it runs a chunk that needs them), and the packages
//   vendored beside the chunks (dist/bin/vendor/, see bundle.mjs);
// - .build/bundle-meta.json: esbuild's metafile with the chunks' new names, for the start-up check
//   (bench/startup.mjs); outside dist/, so the package does not ship its 500 KB of build paths.
// Why chunks stay split: `--help` still loads commander alone, and `status` none of eval's code.
//
// Each chunk runs inside the loader's function (exports, require, module, __filename, __dirname,
// __promptctlImport, __promptctlImportMetaUrl, __promptctlRequire). Every dynamic import() becomes
// __promptctlImport() and every chunk specifier ends in .cjs. Both rewrites are counted against esbuild's own list of
// each chunk's imports, so a string that merely looks like an import fails the build instead of
// being rewritten.
import { createHash } from 'node:crypto';
import { builtinModules } from 'node:module';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { transform } from 'esbuild';

const relative = (file) => path.relative(process.cwd(), file).split(path.sep).join('/');
const asCommonJs = (name) => name.replace(/\.js$/, '.cjs');
const BUILTIN = new Set(builtinModules);

function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** A package Node 20 can only import, not require: "type": "module" with no "require" export. */
function isEsmOnly(spec) {
  if (spec.startsWith('node:') || BUILTIN.has(spec)) return false;
  const manifest = JSON.parse(readFileSync(path.join('node_modules', packageName(spec), 'package.json'), 'utf8'));
  return manifest.type === 'module' && !JSON.stringify(manifest.exports ?? {}).includes('"require"');
}

function count(what, name, found, expected) {
  if (found !== expected) throw new Error(`bundle: ${name} has ${found} ${what} in its text but esbuild lists ${expected}; refusing to guess which to rewrite`);
}

async function toCommonJs(name, text, imports) {
  let dynamic = 0;
  const esm = text.replace(/^#!.*\n/, '').replace(/\bimport\("([^"]+)"\)/g, (_, spec) => {
    dynamic += 1;
    return `__promptctlImport("${spec.startsWith('.') ? asCommonJs(spec) : spec}")`;
  });
  count('dynamic imports', name, dynamic, imports.filter((i) => i.kind === 'dynamic-import').length);
  const out = await transform(esm, { format: 'cjs', platform: 'node', target: 'node20', logLevel: 'silent' });
  if (out.warnings.length > 0) throw new Error(`bundle: ${name}: ${out.warnings.map((w) => w.text).join('; ')}`);
  let chunks = 0;
  const code = out.code.replace(/\brequire\("(\.\.?\/[^"]+)\.js"\)/g, (_, spec) => {
    chunks += 1;
    return `require("${spec}.cjs")`;
  });
  count('chunk imports', name, chunks, imports.filter((i) => i.kind === 'import-statement' && !i.external).length);
  return code;
}

/** For each chunk, the ES-module-only packages its static imports reach, itself included. */
function esmOnlyReach(outputs) {
  const direct = new Map();
  for (const [name, info] of Object.entries(outputs)) {
    const statics = info.imports.filter((i) => i.kind === 'import-statement');
    direct.set(name, { chunks: statics.filter((i) => !i.external).map((i) => i.path), packages: statics.filter((i) => i.external && isEsmOnly(i.path)).map((i) => i.path) });
  }
  const reach = {};
  for (const name of direct.keys()) {
    const seen = new Set([name]);
    const packages = new Set();
    for (const queue = [name]; queue.length > 0; ) {
      const { chunks, packages: own } = direct.get(queue.pop());
      for (const p of own) packages.add(p);
      for (const c of chunks) if (!seen.has(c)) queue.push(c), seen.add(c);
    }
    if (packages.size > 0) reach[asCommonJs(name).replace(/^dist\/bin\//, '')] = [...packages].sort();
  }
  return reach;
}

/** esbuild's metafile of the command's bundle, relative to the repository (the build's cwd). */
export const BUNDLE_META = '.build/bundle-meta.json';

/**
 * `vendored`: packages bundled on their own (package name -> { file: path under dist/bin, code }),
 * written as they are and listed in bundle.json for the loader.
 */
export async function writeCommonJsChunks(result, vendored = {}) {
  const { outputs } = result.metafile;
  const id = createHash('sha256');
  for (const [name, { file, code }] of Object.entries(vendored).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const target = path.join('dist/bin', file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, code);
    id.update(`${name}\0${file}\0${code}\0`);
  }
  for (const file of [...result.outputFiles].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const name = relative(file.path);
    const code = await toCommonJs(name, file.text, outputs[name].imports);
    mkdirSync(path.dirname(file.path), { recursive: true });
    writeFileSync(asCommonJs(file.path), code);
    id.update(`${asCommonJs(name)}\0${code}\0`);
  }
  const esmOnly = esmOnlyReach(outputs);
  if (esmOnly['main.cjs']) throw new Error(`bundle: main.cjs statically imports ${esmOnly['main.cjs'].join(', ')}; import it dynamically, where it is needed`);
  const vendoredFiles = Object.fromEntries(Object.entries(vendored).map(([name, { file }]) => [name, file]));
  writeFileSync('dist/bin/bundle.json', `${JSON.stringify({ id: id.digest('hex').slice(0, 32), esmOnly, vendored: vendoredFiles }, null, 2)}\n`);
  const renamed = Object.fromEntries(
    Object.entries(outputs).map(([name, info]) => [asCommonJs(name), { ...info, imports: info.imports.map((i) => (i.external ? i : { ...i, path: asCommonJs(i.path) })) }]),
  );
  mkdirSync(path.dirname(BUNDLE_META), { recursive: true });
  writeFileSync(BUNDLE_META, JSON.stringify({ ...result.metafile, outputs: renamed }));
  // Where builds before 0.2.0 wrote it: a dist/ built then would still ship it.
  rmSync('dist/bin/meta.json', { force: true });
}

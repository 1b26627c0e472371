// Bundles the CLI (src/bin/main.ts) with esbuild, after tsc has type-checked and emitted dist/.
// Why: Node 20 pays for every ESM module it resolves and links; zod, yaml and semver alone are
// about 90 ms as separate files and about 35 ms bundled, which is most of what a command like
// `status` costs. Code splitting keeps each command's lazy import a chunk of its own, so `--help`
// still loads only commander. The chunks are then turned into CommonJS (bundle-cjs.mjs) so that
// the installed command, dist/bin/promptctl.cjs (src/bin/promptctl.ts), can run them with a V8 code
// cache, which Node 20 has no way to give ES modules. The library's use cases (`promptctl/app`)
// are bundled too, into one ES module (below); the library entry (dist/index.js) and the simulator
// stay as tsc emitted them. .build/bundle-meta.json (not packed) records which source modules each chunk
// holds, so the start-up check can tell which packages a command really loads.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { writeCommonJsChunks } from './bundle-cjs.mjs';

// zod's classic entry re-exports all of its ~40 message locales (about 360 KB, half of zod in the
// bundle); promptctl speaks English only. Every command validates with zod, so every command paid
// to load them. This keeps `z.locales.en` and drops the rest.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /zod[\\/]v4[\\/](classic|core)[\\/]/.test(args.importer) ? { path: 'zod-locales-en', namespace: 'zod-locales', pluginData: args.resolveDir } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: "export { default as en } from '../locales/en.js';",
      resolveDir: args.pluginData,
      loader: 'js',
    }));
  },
};

// Native code, ink's rendering stack (wasm layout engine, optional devtools), and pg (loaded
// only by a PostgreSQL registry, and vendored below) stay out of both bundles: the CLI's chunks
// and the library's `promptctl/app`.
// So does yaml: js-yaml reads clean files, and the `yaml` library is required only for a file the
// fast path refuses, a problem's position, or diff/new/redteam. Bundled, its 250 KB sat in the
// chunk every command that reads a YAML file loads (about 10 ms to compile, used by almost none);
// from node_modules it costs the few commands that need it about 30 ms more. ajv likewise: its
// 290 KB were compiled by deploy, status and history, which never check a schema.
const EXTERNAL_PACKAGES = ['ajv', 'yaml', 'better-sqlite3', 'ink', 'react', 'react/jsx-runtime', 'react-devtools-core', 'yoga-layout', 'pg', 'pg-native'];

rmSync('dist/bin/chunks', { recursive: true, force: true });
rmSync('dist/bin/vendor', { recursive: true, force: true });
const result = await build({
  entryPoints: { main: 'src/bin/main.ts' },
  outdir: 'dist/bin',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  metafile: true,
  write: false,
  plugins: [zodEnglishOnly],
  logLevel: 'warning',
  external: EXTERNAL_PACKAGES,
  // Each chunk runs inside the loader's wrapper function (src/bin/bundle-loader.ts), which passes
  // the chunk's own URL.
  define: { 'import.meta.url': '__promptctlImportMetaUrl' },
});
// pg, for a PostgreSQL registry, bundled on its own into dist/bin/vendor/pg.cjs: from node_modules
// Node resolves, reads and compiles its 32 files on every PostgreSQL command (about 27 ms of CPU);
// one file run by the loader comes from the code cache. It stays out of the chunks above so that
// SQLite commands never load it; infra/lazy-package.ts requires it through the loader. pg-native
// (optional) and pg-cloudflare (Cloudflare Workers only) stay packages, required only if used.
const pg = await build({
  entryPoints: ['pg'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  write: false,
  outfile: 'dist/bin/vendor/pg.cjs',
  external: ['pg-native', 'pg-cloudflare'],
  logLevel: 'warning',
});
await writeCommonJsChunks(result, { pg: { file: 'vendor/pg.cjs', code: pg.outputFiles[0].text } });

// The library's use cases, `promptctl/app` (dist/app/index.js), bundled into one ES module over
// tsc's copy: from tsc's output an application's `import` resolved and compiled about 230 of our
// modules and 95 of zod's, about 0.45 s (0.57 s of CPU) before its first line ran; bundled, about
// 0.3 s. Two modules stay tsc's files, imported from beside the bundle, because the main entry
// `promptctl` exports their classes too: an error a use case throws must be `instanceof` the
// PromptctlError an application imports from either entry.
const sharedWithMainEntry = {
  [path.resolve('src/core/errors.ts')]: '../core/errors.js',
  [path.resolve('src/registry-api.ts')]: '../registry-api.js',
};
await build({
  entryPoints: { index: 'src/app/index.ts' },
  outdir: 'dist/app',
  allowOverwrite: true,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  plugins: [
    zodEnglishOnly,
    {
      name: 'shared-with-main-entry',
      setup(b) {
        b.onResolve({ filter: /^\.\.?\// }, (args) => {
          const shared = sharedWithMainEntry[path.resolve(args.resolveDir, args.path).replace(/\.js$/, '.ts')];
          return shared ? { path: shared, external: true } : undefined;
        });
      },
    },
  ],
  external: EXTERNAL_PACKAGES,
  logLevel: 'warning',
});

// The installed command: the loader that runs main.cjs with a V8 code cache, one small CommonJS
// file. Node starts its ES module loader only for an ES module entry: a CommonJS entry saves each
// command about 12 ms of CPU (measured: `deploy` on PostgreSQL 198 -> 185 ms, `--version` 72 -> 65).
// The loader's one `import()` (ink, ES-module-only) stays a real dynamic import.
await build({
  entryPoints: { promptctl: 'src/bin/promptctl.ts' },
  outdir: 'dist/bin',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  define: { 'import.meta.url': '__promptctlEntryUrl' },
  banner: { js: "const __promptctlEntryUrl = require('node:url').pathToFileURL(__filename).href;" },
});
// tsc's ES module copies of the entry and its loader: the bundle above is the one entry.
for (const f of ['promptctl.js', 'promptctl.d.ts', 'bundle-loader.js', 'bundle-loader.d.ts']) rmSync(path.join('dist/bin', f), { force: true });

// dist/build-id names this build: a hash of the sources and the locked dependencies it was made
// from. The file cache (src/infra/file-cache.ts) trusts an entry only from the same build, so a
// change to a schema or to the YAML reader can never serve a file validated by older rules.
const buildHash = createHash('sha256');
const sources = readdirSync('src', { recursive: true }).map(String).filter((f) => /\.tsx?$/.test(f)).sort();
for (const f of sources) buildHash.update(`${f}\0`).update(readFileSync(path.join('src', f))).update('\0');
for (const f of ['package.json', 'package-lock.json']) if (existsSync(f)) buildHash.update(readFileSync(f));
writeFileSync('dist/build-id', `${buildHash.digest('hex').slice(0, 32)}\n`);

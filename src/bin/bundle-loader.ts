import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statfsSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { userCacheDir } from '../infra/user-cache.js';

/**
 * Runs the CLI bundle (scripts/bundle.mjs: main.cjs and its chunks, CommonJS) with a V8 code cache.
 *
 * Why: before its first request an eval spent about 190 ms loading and compiling its modules, and
 * Node 20 caches no compiled code for ES modules. A chunk compiled here through vm.Script can be
 * given the code V8 compiled for it last time, and at exit V8 serialises what it compiled this
 * time, the functions the command ran included. A fully cached re-run then starts in about 75%
 * of the time.
 *
 * Where: <user cache>/promptctl/code/<bundle id>-<place>-<V8 version>-<arch>/<command>/<chunk>.v8,
 * where <place> is a hash of the bundle's folder: V8 keeps the file name a cache was made under,
 * so a copy of the same bundle installed elsewhere would otherwise print stack traces (in a bug
 * report) naming the other copy's files. One folder per command, because a cache holds the
 * functions its run compiled and `status` compiles few of the functions `eval` needs from the same
 * chunk; at most MAX_COMMANDS of them, so that mistyped commands cannot add folders without end.
 * The folders of older bundles are removed beyond the newest KEEP_BUNDLES.
 *
 * Trust: V8 checks that a cache was made by the same V8 with the same flags for a source of the
 * same length, not of the same text. So each cache file starts with the SHA-256 of the chunk it was
 * made from, and is given to V8 only for that text (a chunk edited in place to the same length
 * would otherwise run its old code). And since a cache someone else could write could run their
 * code, caches are used only in folders this user owns that no one else may write, made with mode
 * 0700. A missing, stale or damaged cache only means compiling as usual, and is written afresh at
 * exit; nothing about the cache can change what a command does or prints.
 * PROMPTCTL_CODE_CACHE=off turns it off.
 */

/** What scripts/bundle.mjs writes beside the bundle (bundle.json). */
interface BundleManifest {
  /** A hash of every file of the bundle. */
  id: string;
  /** For a chunk (path under the bin folder, '/'-separated), the ES-module-only packages it imports. */
  esmOnly: Record<string, string[]>;
  /** Packages bundled on their own (CommonJS, path under the bin folder), run here with a code cache instead of from node_modules. */
  vendored?: Record<string, string>;
}

type Env = Readonly<Record<string, string | undefined>>;
type ChunkFunction = (...args: unknown[]) => void;
/** A chunk compiled without a usable cache: its cache is written at exit. */
export type ToSave = { script: vm.Script; file: string; sourceHash: Buffer };

const KEEP_BUNDLES = 3;
const MAX_COMMANDS = 40;
const HASH_BYTES = 32;
const WRAPPER_PARAMS = 'exports, require, module, __filename, __dirname, __promptctlImport, __promptctlImportMetaUrl, __promptctlRequire';
const isRelative = (spec: string) => spec.startsWith('./') || spec.startsWith('../');

/** A folder only this user can write (and, where there are user ids, owns). */
function isPrivate(dir: string): boolean {
  try {
    const s = statSync(dir);
    const ownedByMe = typeof process.getuid !== 'function' || s.uid === process.getuid();
    return s.isDirectory() && ownedByMe && (process.platform === 'win32' || (s.mode & 0o022) === 0);
  } catch {
    return false;
  }
}

/** This bundle, installed in this folder, on this V8 and architecture: the folder of its caches. */
function bundleKey(manifest: BundleManifest, binDir: string): string {
  const place = createHash('sha256').update(path.resolve(binDir)).digest('hex').slice(0, 12);
  return `${manifest.id}-${place}-${process.versions.v8}-${process.arch}`;
}

/** The command's name, the first word of its arguments: each command keeps its own cache. */
function commandKey(argv: readonly string[]): string {
  return argv.find((a) => /^[a-z][a-z0-9-]{0,39}$/.test(a)) ?? 'none';
}

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Removes the caches of older bundles, keeping this one and the newest others up to KEEP_BUNDLES. */
function pruneOlderBundles(codeDir: string, current: string): void {
  const others = readdirSync(codeDir)
    .filter((name) => name !== current)
    .map((name) => ({ full: path.join(codeDir, name), mtime: statSync(path.join(codeDir, name)).mtimeMs }));
  others.sort((a, b) => b.mtime - a.mtime);
  for (const f of others.slice(KEEP_BUNDLES - 1)) rmSync(f.full, { recursive: true, force: true });
}

/** Whether the code folder and promptctl's cache folder above it may hold caches (isPrivate). */
const isTrusted = (codeDir: string) => isPrivate(path.dirname(codeDir)) && isPrivate(codeDir);

/**
 * The space a cache must leave free on its disk. The cache is optional; the registry, a report or a
 * new prompt version on the same disk (a laptop's or a CI runner's home) are not: below this, the
 * cache is not written at all, so it never takes the last space they need.
 */
const KEEP_FREE_BYTES = 100 * 1024 * 1024;

/** The bytes this user may still write on the disk holding `dir` (Infinity where it cannot be told). */
function freeBytes(dir: string): number {
  try {
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * Writes the caches V8 made for the chunks compiled without one; any failure only skips the rest
 * and removes the temporary file it was writing (a full disk must not keep a half cache file).
 * `free` is how much room the disk has (tests give their own).
 */
export function saveCodeCache(codeDir: string, commandDir: string, toSave: ToSave[], free: (dir: string) => number = freeBytes): void {
  let temporary: string | undefined;
  try {
    mkdirSync(codeDir, { recursive: true, mode: 0o700 });
    if (!isTrusted(codeDir)) return;
    const caches = toSave.map(({ script, file, sourceHash }) => ({ file, data: Buffer.concat([sourceHash, script.createCachedData()]) }));
    if (free(codeDir) - caches.reduce((n, c) => n + c.data.length, 0) < KEEP_FREE_BYTES) return;
    const bundleDir = path.dirname(commandDir);
    const isNewBundle = !existsSync(bundleDir);
    if (!isNewBundle && !existsSync(commandDir) && readdirSync(bundleDir).length >= MAX_COMMANDS) return;
    mkdirSync(commandDir, { recursive: true, mode: 0o700 });
    for (const { file, data } of caches) {
      temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, data, { mode: 0o600 });
      renameSync(temporary, file);
      temporary = undefined;
    }
    if (isNewBundle) pruneOlderBundles(codeDir, path.basename(bundleDir));
  } catch {
    // a full disk or an unwritable folder: the next run compiles as this one did
    if (temporary !== undefined) {
      try {
        unlinkSync(temporary);
      } catch {
        // never written at all
      }
    }
  }
}

/**
 * Loads the bundle's entry (main.cjs) and, through it, every chunk it requires or imports; returns
 * once the entry's top level has run (the command itself goes on asynchronously).
 */
export function runBundle(binDir: string, env: Env, argv: readonly string[]): void {
  const manifest = JSON.parse(readFileSync(path.join(binDir, 'bundle.json'), 'utf8')) as BundleManifest;
  const base = env.PROMPTCTL_CODE_CACHE === 'off' ? undefined : userCacheDir(env);
  const codeDir = base && path.join(base, 'code');
  const commandDir = codeDir && path.join(codeDir, bundleKey(manifest, binDir), commandKey(argv));
  const readable = codeDir !== undefined && isTrusted(codeDir);
  const modules = new Map<string, { exports: unknown }>();
  const esm = new Map<string, unknown>();
  const toSave: ToSave[] = [];
  // Packages resolve by folder alone, and the chunks sit in two: one Node require for each.
  const requires = new Map<string, NodeJS.Require>();
  const packageRequire = (dir: string): NodeJS.Require => {
    let found = requires.get(dir);
    if (!found) requires.set(dir, (found = createRequire(`${dir}${path.sep}`)));
    return found;
  };

  function load(file: string): unknown {
    const known = modules.get(file);
    if (known) return known.exports;
    const module = { exports: {} as unknown };
    modules.set(file, module);
    const source = readFileSync(file, 'utf8');
    const cacheFile = commandDir && path.join(commandDir, `${path.basename(file)}.v8`);
    const sourceHash = cacheFile ? createHash('sha256').update(source).digest() : undefined;
    const stored = readable && cacheFile ? readOrUndefined(cacheFile) : undefined;
    const cachedData = stored && sourceHash && stored.length > HASH_BYTES && stored.subarray(0, HASH_BYTES).equals(sourceHash) ? stored.subarray(HASH_BYTES) : undefined;
    const script = new vm.Script(`(function (${WRAPPER_PARAMS}) {\n${source}\n})`, {
      filename: file,
      lineOffset: -1,
      cachedData,
      // The bundle sends every dynamic import through __promptctlImport; this serves any other.
      importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    if (cacheFile && sourceHash && (!cachedData || script.cachedDataRejected)) toSave.push({ script, file: cacheFile, sourceHash });
    const dir = path.dirname(file);
    const requireFrom = (spec: string) => {
      if (isRelative(spec)) return load(path.resolve(dir, spec));
      if (esm.has(spec)) return esm.get(spec);
      const bundled = manifest.vendored?.[spec];
      return bundled ? load(path.join(binDir, bundled)) : packageRequire(dir)(spec);
    };
    const importFrom = (spec: string) => (isRelative(spec) ? importChunk(path.resolve(dir, spec)) : import(spec));
    // __promptctlRequire is requireFrom under a name only this wrapper defines: infra/lazy-package.ts
    // takes packages through it when it runs in the bundle (a vendored package is then found).
    (script.runInThisContext() as ChunkFunction).call(module.exports, module.exports, requireFrom, module, file, dir, importFrom, pathToFileURL(file).href, requireFrom);
    return module.exports;
  }

  /** A chunk loaded on demand: first the ES-module-only packages it requires (Node 20 cannot require them). */
  async function importChunk(file: string): Promise<unknown> {
    const chunk = path.relative(binDir, file).split(path.sep).join('/');
    for (const name of manifest.esmOnly[chunk] ?? []) if (!esm.has(name)) esm.set(name, await import(name));
    return load(file);
  }

  if (commandDir) process.on('exit', () => toSave.length > 0 && saveCodeCache(codeDir!, commandDir, toSave));
  load(path.join(binDir, 'main.cjs'));
}

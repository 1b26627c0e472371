import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, REPO_ROOT, runCli, runCliAsync, runNode } from '../support/cli.js';
import { makeProject, makeSimProject, makeTempDir } from '../support/project.js';
import { simulatorsForFile } from '../support/simulator.js';

/**
 * The installed command runs the bundle through a loader that keeps V8's compiled code in the
 * user's cache folder (src/bin/bundle-loader.ts). What it must never do: change what a command
 * prints or does, trust a cache others could write, or be stopped by a cache that is damaged.
 * A cache V8 refuses is written afresh at exit and one it takes is left alone, so "left alone"
 * below is how a test sees that V8 took the cache, and the damaged-cache test shows the probe can
 * fail.
 */

const sims = simulatorsForFile({});
const BUNDLE_ID = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'dist/bin/bundle.json'), 'utf8')) as { id: string }).id;
/** The cache folder of this bundle installed in `binDir` (bundle-loader.ts bundleKey). */
const bundleFolderOf = (binDir: string) => `${BUNDLE_ID}-${createHash('sha256').update(binDir).digest('hex').slice(0, 12)}-${process.versions.v8}-${process.arch}`;
const bundleFolder = bundleFolderOf(path.join(REPO_ROOT, 'dist', 'bin'));

interface CacheFile {
  file: string;
  bytes: Buffer;
  ino: number;
  mtimeMs: number;
  mode: number;
}

function cacheFiles(userCache: string, command: string): CacheFile[] {
  const dir = path.join(userCache, 'promptctl', 'code', bundleFolder, command);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((name) => {
      const file = path.join(dir, name);
      const s = statSync(file);
      return { file, bytes: readFileSync(file), ino: s.ino, mtimeMs: s.mtimeMs, mode: s.mode & 0o777 };
    });
}

function lint(project: string, env: Record<string, string | undefined>) {
  const r = runCli(['lint'], { cwd: project, env: { HOME: undefined, LOCALAPPDATA: undefined, PROMPTCTL_FILE_CACHE: 'off', ...env } });
  expect(r.code, r.output).toBe(0);
  return r.output;
}

/**
 * What `lint` prints on a copy of the quickstart with the cache switched off: the same on every
 * copy (lint names files relative to the project), so spawned once for the file and compared with
 * by the tests below that only need a cache-free reference, rather than spawned again in each.
 */
let plainLint: string;
beforeAll(() => {
  plainLint = lint(makeProject(), { PROMPTCTL_CODE_CACHE: 'off' });
});

describe('the compiled-code cache', () => {
  it('is written once per chunk a command loads, then taken by V8 and left alone', () => {
    const project = makeProject();
    const userCache = makeTempDir('promptctl-user-cache-');
    const first = lint(project, { XDG_CACHE_HOME: userCache });
    const written = cacheFiles(userCache, 'lint');
    expect(written.map((f) => path.basename(f.file))).toContain('main.cjs.v8');
    expect(written.length).toBeGreaterThan(3);
    for (const f of written) {
      expect(f.file).toMatch(/\.cjs\.v8$/);
      expect(f.bytes.length).toBeGreaterThan(0);
      if (process.platform !== 'win32') expect(f.mode).toBe(0o600);
    }
    if (process.platform !== 'win32') expect(statSync(path.dirname(written[0]!.file)).mode & 0o777).toBe(0o700);

    expect(lint(project, { XDG_CACHE_HOME: userCache })).toBe(first);
    const again = cacheFiles(userCache, 'lint');
    expect(again.map(({ file, ino, mtimeMs }) => ({ file, ino, mtimeMs }))).toEqual(written.map(({ file, ino, mtimeMs }) => ({ file, ino, mtimeMs })));
    expect(lint(project, { PROMPTCTL_CODE_CACHE: 'off' })).toBe(first);
  });

  it('compiles past a damaged or foreign cache, prints the same, and replaces it', () => {
    const project = makeProject();
    const userCache = makeTempDir('promptctl-user-cache-');
    const expected = lint(project, { XDG_CACHE_HOME: userCache });
    const good = cacheFiles(userCache, 'lint');
    // Half get garbage, half another chunk's cache (valid V8 data for the wrong source).
    const planted = good.map((f, i) => (i % 2 === 0 ? Buffer.from('not a code cache') : good[(i + 1) % good.length]!.bytes));
    good.forEach((f, i) => writeFileSync(f.file, planted[i]!));
    expect(lint(project, { XDG_CACHE_HOME: userCache })).toBe(expected);
    const replaced = cacheFiles(userCache, 'lint');
    expect(replaced.map((f) => f.file)).toEqual(good.map((f) => f.file));
    replaced.forEach((f, i) => expect(f.bytes.equals(planted[i]!), `${f.file} still holds what was planted`).toBe(false));
    // The replacements are taken again.
    expect(lint(project, { XDG_CACHE_HOME: userCache })).toBe(expected);
    expect(cacheFiles(userCache, 'lint').map((f) => f.ino)).toEqual(replaced.map((f) => f.ino));
  });

  it('never runs the old code of a chunk edited in place to the same length', () => {
    // A copy of the installed command, so that its main chunk can be edited.
    const copy = makeTempDir('promptctl-bundle-copy-');
    cpSync(path.join(REPO_ROOT, 'package.json'), path.join(copy, 'package.json'));
    cpSync(path.join(REPO_ROOT, 'dist', 'bin'), path.join(copy, 'dist', 'bin'), { recursive: true });
    const userCache = makeTempDir('promptctl-user-cache-');
    const help = () => {
      const r = runNode(path.join(copy, 'dist', 'bin', 'promptctl.cjs'), ['--help'], { env: { XDG_CACHE_HOME: userCache } });
      expect(r.code, r.output).toBe(0);
      return r.stdout;
    };
    expect(help()).toContain('Prompt registry and eval runner');
    const main = path.join(copy, 'dist', 'bin', 'main.cjs');
    const edited = readFileSync(main, 'utf8').replace('Prompt registry and eval runner', 'Prompt REGISTRY and eval runner');
    expect(edited.length).toBe(readFileSync(main, 'utf8').length);
    writeFileSync(main, edited);
    expect(help()).toContain('Prompt REGISTRY and eval runner');
  });

  it('keeps the caches of two installed copies of one bundle apart, so a stack trace names the copy that ran', () => {
    // Two copies of the installed command, at two places, whose entry throws when asked to.
    const copies = [makeTempDir('promptctl-copy-a-'), makeTempDir('promptctl-copy-b-')];
    for (const copy of copies) {
      cpSync(path.join(REPO_ROOT, 'package.json'), path.join(copy, 'package.json'));
      cpSync(path.join(REPO_ROOT, 'dist', 'bin'), path.join(copy, 'dist', 'bin'), { recursive: true });
      const main = path.join(copy, 'dist', 'bin', 'main.cjs');
      writeFileSync(main, `if (process.env.THROW_HERE) throw new Error('thrown on purpose');\n${readFileSync(main, 'utf8')}`);
    }
    const userCache = makeTempDir('promptctl-user-cache-');
    const run = (copy: string, env: Record<string, string> = {}) => runNode(path.join(copy, 'dist', 'bin', 'promptctl.cjs'), ['--help'], { env: { XDG_CACHE_HOME: userCache, ...env } });
    for (const copy of copies) expect(run(copy).code).toBe(0);
    const code = path.join(userCache, 'promptctl', 'code');
    expect(readdirSync(code).sort()).toEqual(copies.map((c) => bundleFolderOf(path.join(c, 'dist', 'bin'))).sort());
    // Both caches are made; each copy's stack trace names its own files, never the other copy's.
    for (const [copy, other] of [copies, [...copies].reverse()] as const) {
      const r = run(copy!, { THROW_HERE: '1' });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(path.join(copy!, 'dist', 'bin', 'main.cjs'));
      expect(r.stderr).not.toContain(other!);
    }
  });

  it('four first runs at once all succeed, and leave caches the next run takes', async () => {
    const project = makeProject();
    const userCache = makeTempDir('promptctl-user-cache-');
    const env = { XDG_CACHE_HOME: userCache, HOME: undefined, LOCALAPPDATA: undefined, PROMPTCTL_FILE_CACHE: 'off' };
    const expected = plainLint;
    const runs = await Promise.all([1, 2, 3, 4].map(() => runCliAsync(['lint'], { cwd: project, env })));
    for (const r of runs) expect({ code: r.code, output: r.output }).toEqual({ code: 0, output: expected });
    const written = cacheFiles(userCache, 'lint');
    expect(written.length).toBeGreaterThan(3);
    expect(written.filter((f) => f.file.endsWith('.tmp'))).toEqual([]);
    expect(lint(project, { XDG_CACHE_HOME: userCache })).toBe(expected);
    expect(cacheFiles(userCache, 'lint').map(({ file, ino }) => ({ file, ino }))).toEqual(written.map(({ file, ino }) => ({ file, ino })));
  });

  it('keeps one cache per command', () => {
    const project = makeProject();
    const userCache = makeTempDir('promptctl-user-cache-');
    lint(project, { XDG_CACHE_HOME: userCache });
    const r = runCli(['list'], { cwd: project, env: { XDG_CACHE_HOME: userCache } });
    expect(r.code, r.output).toBe(0);
    expect(readdirSync(path.join(userCache, 'promptctl', 'code', bundleFolder)).sort()).toEqual(['lint', 'list']);
  });

  it('keeps at most 40 command folders per bundle, so mistyped commands cannot add them without end', () => {
    const project = makeProject();
    const userCache = makeTempDir('promptctl-user-cache-');
    const bundle = path.join(userCache, 'promptctl', 'code', bundleFolder);
    for (let i = 0; i < 39; i++) mkdirSync(path.join(bundle, `typo${i}`), { recursive: true, mode: 0o700 });
    lint(project, { XDG_CACHE_HOME: userCache });
    expect(readdirSync(bundle)).toHaveLength(40);
    expect(cacheFiles(userCache, 'lint').length).toBeGreaterThan(0);
    const r = runCli(['list'], { cwd: project, env: { XDG_CACHE_HOME: userCache } });
    expect(r.code, r.output).toBe(0);
    expect(readdirSync(bundle)).toHaveLength(40);
    expect(existsSync(path.join(bundle, 'list'))).toBe(false);
  });

  it.skipIf(process.platform === 'win32')('is neither read nor written in a folder others may write', () => {
    const project = makeProject();
    const userCache = makeTempDir('promptctl-user-cache-');
    const code = path.join(userCache, 'promptctl', 'code');
    mkdirSync(code, { recursive: true });
    chmodSync(code, 0o777);
    expect(lint(project, { XDG_CACHE_HOME: userCache })).toBe(plainLint);
    expect(readdirSync(code)).toEqual([]);
  });

  it('caches nothing when switched off or when there is no user cache folder', () => {
    const project = makeProject();
    const userCache = makeTempDir('promptctl-user-cache-');
    const expected = lint(project, { PROMPTCTL_CODE_CACHE: 'off', XDG_CACHE_HOME: userCache });
    expect(existsSync(path.join(userCache, 'promptctl', 'code'))).toBe(false);
    expect(lint(project, { XDG_CACHE_HOME: undefined })).toBe(expected);
  });

  it('keeps the caches of the three newest bundles', () => {
    const project = makeProject();
    const userCache = makeTempDir('promptctl-user-cache-');
    const code = path.join(userCache, 'promptctl', 'code');
    const old = ['older-1', 'older-2', 'older-3', 'older-4'];
    old.forEach((name, i) => {
      mkdirSync(path.join(code, name, 'lint'), { recursive: true, mode: 0o700 });
      const when = new Date(Date.UTC(2020, 0, 1 + i));
      utimesSync(path.join(code, name), when, when);
    });
    lint(project, { XDG_CACHE_HOME: userCache });
    expect(readdirSync(code).sort()).toEqual([bundleFolder, 'older-3', 'older-4'].sort());
  });

  it.skipIf(process.platform === 'win32')('loads the live view, an ES-module-only package, on a terminal', async () => {
    const project = makeSimProject(sims[0]!.url);
    const userCache = makeTempDir('promptctl-user-cache-');
    const env = { ...process.env, XDG_CACHE_HOME: userCache, NO_COLOR: '1', CI: undefined, PROMPTCTL_REGISTRY_URL: undefined, VLLM_API_KEY: undefined };
    for (let run = 1; run <= 2; run++) {
      const r = await onTerminal(`'${process.execPath}' '${CLI_PATH}' eval support-answer@1.1.0`, project, env);
      expect(r.code, r.output).toBe(0);
      expect(r.output).toMatch(/support-answer@1\.1\.0/);
      expect(r.output).toMatch(/suite runs passed/);
    }
    expect(cacheFiles(userCache, 'eval').some((f) => /^live-view-.*\.cjs\.v8$/.test(path.basename(f.file)))).toBe(true);
  });
});

/** Runs a shell command with a pseudo-terminal for its stdout (util-linux `script`), without blocking the simulator. */
function onTerminal(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // A pty `script` makes from a non-terminal has no size, which gets plain lines (render/terminal.ts): give it one.
    const child = spawn('script', ['-qec', `stty cols 100 rows 30; ${command}`, '/dev/null'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `import 'promptctl'` is what an application does at run time to read its active prompts. It must
 * stay light: none of the CLI's heavy packages may load. This runs the built entry the way an
 * application gets it: a folder whose node_modules/promptctl is this package, resolved through
 * package.json `exports`.
 *
 * How packages are seen (Node 20.6 and later):
 * - a module customization hook (`module.register`) whose `resolve` writes every resolved URL to
 *   stderr with a synchronous write (the hooks run on their own thread): every ESM import,
 *   including a bare import of a CommonJS package;
 * - `require()` calls made inside CommonJS code do not pass through those hooks on Node 20, so on
 *   exit the child also prints the keys of the CommonJS module cache (shared by every require).
 * A package is loaded when a path under node_modules/<name>/ shows up in either list. The probe
 * must see the entry itself, and the controls below prove it sees each forbidden package through
 * both channels, so a broken probe fails instead of passing.
 */

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = path.join(REPO_ROOT, 'dist', 'index.js');
const FORBIDDEN = ['openai', 'zod', 'yaml', 'js-yaml', 'ink', 'react', 'commander', 'pg'];

let app: string;

beforeAll(() => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} does not exist: build first (npm run build)`);
  app = mkdtempSync(path.join(os.tmpdir(), 'promptctl-library-load-'));
  mkdirSync(path.join(app, 'node_modules'));
  symlinkSync(REPO_ROOT, path.join(app, 'node_modules', 'promptctl'), 'dir');
  // The controls import the forbidden packages as the application's own dependencies.
  for (const name of FORBIDDEN) symlinkSync(path.join(REPO_ROOT, 'node_modules', name), path.join(app, 'node_modules', name), 'dir');
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'an-application', private: true, type: 'module' }));
  writeFileSync(
    path.join(app, 'hooks.mjs'),
    [
      "import { writeSync } from 'node:fs';",
      'export async function resolve(specifier, context, next) {',
      '  const result = await next(specifier, context);',
      "  writeSync(2, `RESOLVED ${result.url}\\n`);",
      '  return result;',
      '}',
    ].join('\n'),
  );
  writeFileSync(
    path.join(app, 'trace.mjs'),
    [
      "import { createRequire, register } from 'node:module';",
      "import { writeSync } from 'node:fs';",
      "register('./hooks.mjs', import.meta.url);",
      'const cache = createRequire(import.meta.url).cache;',
      // On exit, so that a package loaded late (a dynamic import nobody awaits) is seen too.
      "process.on('exit', () => writeSync(1, `CJS ${JSON.stringify(Object.keys(cache))}\\n`));",
    ].join('\n'),
  );
});

afterAll(() => {
  if (app) rmSync(app, { recursive: true, force: true });
});

/** Runs `source` as the application's main module under the trace; returns the packages (and files) it loaded. */
function loadedBy(source: string): { packages: Set<string>; urls: string[]; stdout: string; files: string[] } {
  writeFileSync(path.join(app, 'main.mjs'), source);
  const r = spawnSync(process.execPath, ['--import', './trace.mjs', 'main.mjs'], { cwd: app, encoding: 'utf8', timeout: 30_000 });
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  const urls = r.stderr
    .split('\n')
    .filter((l) => l.startsWith('RESOLVED '))
    .map((l) => decodeURIComponent(l.slice('RESOLVED '.length)));
  const cjsLine = r.stdout.split('\n').find((l) => l.startsWith('CJS '));
  expect(cjsLine, `the exit handler printed no CommonJS cache:\n${r.stdout}`).toBeDefined();
  const packages = new Set<string>();
  for (const p of [...urls, ...(JSON.parse(cjsLine!.slice(4)) as string[])]) {
    // The innermost node_modules/<name>/ is the package a nested path belongs to.
    const names = [...p.replaceAll('\\', '/').matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)].map((m) => m[1]!);
    if (names.length) packages.add(names.at(-1)!);
  }
  const files = [...urls.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u)), ...(JSON.parse(cjsLine!.slice(4)) as string[])].map((f) => f.replaceAll('\\', '/'));
  return { packages, urls, stdout: r.stdout, files };
}

const list = (s: Set<string>) => [...s].sort().join(', ') || '(none)';

describe("import 'promptctl' (the built library entry)", () => {
  it(`loads none of ${FORBIDDEN.join(', ')}`, () => {
    const { packages, urls, stdout } = loadedBy(
      "import * as promptctl from 'promptctl';\nprocess.stdout.write(`EXPORTS ${Object.keys(promptctl).join(',')}\\n`);\n",
    );
    expect(stdout).toMatch(/^EXPORTS .*openRegistry/m);
    // The use cases are exported too, loaded only when called.
    expect(stdout).toMatch(/^EXPORTS .*runEval/m);
    expect(stdout).toMatch(/^EXPORTS .*render/m);
    // The probe saw the import it is about: 'promptctl' resolved through `exports` to dist/index.js.
    expect(urls.map((u) => (u.startsWith('file:') ? fileURLToPath(u) : u))).toContain(ENTRY);
    const loaded = FORBIDDEN.filter((name) => packages.has(name));
    expect(loaded, `loaded: ${list(packages)}`).toEqual([]);
  });

  it('takes only the version comparison of semver, not its whole index (about 18 ms of 53 files)', () => {
    const { files } = loadedBy("await import('promptctl');\n");
    const ofSemver = files.filter((f) => f.includes('/node_modules/semver/')).map((f) => f.replace(/.*\/node_modules\/semver\//, ''));
    // The control: the probe sees semver's files, so an empty list cannot pass for a light one.
    expect(ofSemver).toContain('functions/compare.js');
    expect(ofSemver.filter((f) => f === 'index.js' || f.startsWith('ranges/')), ofSemver.join(', ')).toEqual([]);
  });

  it('leaves the PostgreSQL backend unloaded until a reader of a team registry first reads', () => {
    // Reading a URL's parts and its password (libpq's variables, .pgpass) is done at openRegistry, loaded at once.
    const ofPostgres = (files: string[]) => files.filter((f) => f.includes('/dist/infra/registry/postgres/') && !/\/(libpq-env|pgpass)\.js$|\/package\.json$/.test(f));
    expect(ofPostgres(loadedBy("await import('promptctl');\n").files)).toEqual([]);
    // The control: a reader of a server (on a port nothing listens on) loads it at its first read.
    const { files } = loadedBy(
      "import { openRegistry } from 'promptctl';\nconst r = openRegistry({ url: 'postgres://app@127.0.0.1:1/registry' });\nawait r.getActive('a', 'b').catch(() => {});\nawait r.close();\n",
    );
    expect(ofPostgres(files).length).toBeGreaterThan(10);
  });

  it('control: the same probe sees each of them when the application imports it', () => {
    const { packages } = loadedBy(FORBIDDEN.map((name) => `await import('${name}');`).join('\n'));
    expect(FORBIDDEN.filter((name) => !packages.has(name)), `seen: ${list(packages)}`).toEqual([]);
  });

  it('control: it sees a package that CommonJS code requires, which no ESM hook reports on Node 20', () => {
    const { packages } = loadedBy(
      [
        "import { createRequire } from 'node:module';",
        `const require = createRequire(${JSON.stringify(pathToFileURL(ENTRY).href)});`,
        "require('js-yaml');",
        "require('commander');",
      ].join('\n'),
    );
    expect(['js-yaml', 'commander'].filter((name) => !packages.has(name)), `seen: ${list(packages)}`).toEqual([]);
  });
});

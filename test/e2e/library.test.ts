import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/infra/project.js';
import { assertBuilt, REPO_ROOT, runCli } from '../support/cli.js';
import { cleanupTempDirs, makeProject, makeTempDir } from '../support/project.js';
import { markTested, projectRegistryPath } from '../support/registry-cli.js';

/**
 * The library entry (`dist/index.js`, what `import 'promptctl'` gives an application): it reads the
 * active version that the CLI deployed, and it loads none of the CLI's heavy dependencies.
 */

const ID = 'support-answer';
const INDEX = path.join(REPO_ROOT, 'dist', 'index.js');
const FORBIDDEN = ['commander', 'zod', 'yaml', 'ink', 'react', 'openai'];

let dir: string;

function ok(...args: string[]) {
  const r = runCli(args, { cwd: dir });
  expect(r.code, `promptctl ${args.join(' ')}\n${r.output}`).toBe(0);
  return r;
}

beforeAll(() => {
  assertBuilt();
  dir = makeProject();
  markTested(dir, `${ID}@1.0.0`, `${ID}@1.1.0`);
  ok('deploy', `${ID}@1.0.0`, '--env', 'staging');
  ok('deploy', `${ID}@1.0.0`, '--env', 'production', '--actor', 'lib@example.com', '--reason', 'library test');
  ok('deploy', `${ID}@1.1.0`, '--env', 'staging');
});
afterAll(() => cleanupTempDirs());

describe('openRegistry({ path }).getActive(id, env)', () => {
  it('returns the version the CLI deployed, with its registered content, and follows later deploys', async () => {
    const { openRegistry } = (await import(pathToFileURL(INDEX).href)) as typeof import('../../src/index.js');
    const files = loadProject(dir).prompts;
    const file = (v: string) => files.find((p) => p.version === v)!;
    const reader = openRegistry({ path: projectRegistryPath(dir) });
    try {
      const staging = reader.getActive(ID, 'staging');
      expect(staging).toMatchObject({ id: ID, version: '1.1.0', env: 'staging', contentHash: file('1.1.0').hash });
      expect(staging!.content).toEqual(JSON.parse(file('1.1.0').canonical));
      expect(staging!.content.messages[0]!.role).toBe('system');
      expect(reader.getActive(ID, 'production')).toMatchObject({ version: '1.0.0', contentHash: file('1.0.0').hash });
      expect(reader.getActive(ID, 'development')).toBeUndefined();
      expect(reader.getActive('no-such-prompt', 'staging')).toBeUndefined();
      expect(Object.keys(reader.exportEnv('staging').prompts)).toEqual([ID]);

      // An application keeps its reader open; a rollback is visible on the next call, no redeploy.
      ok('rollback', ID, '--env', 'staging', '--reason', 'library test');
      expect(reader.getActive(ID, 'staging')).toMatchObject({ version: '1.0.0', contentHash: file('1.0.0').hash });
    } finally {
      reader.close();
    }
  });
});

describe('importing dist/index.js', () => {
  /**
   * How the check works: the child runs with a module customization hook (`module.register`, Node
   * >= 20.6) whose `resolve` hook writes every resolved URL to stderr with a synchronous write (the
   * hooks run on their own thread, so writing to fd 2 is the simplest channel back). That sees
   * every ESM import, including bare imports of CommonJS packages. `require()` calls made inside
   * CommonJS code do not pass through ESM hooks on Node 20, so the child also prints the keys of
   * the CommonJS cache (`require.cache`, shared by every `createRequire`). A package is loaded if
   * a path under node_modules/<name>/ shows up in either list. The positive control below proves
   * the same probe does see each forbidden package when it is imported.
   */
  function loadedPackages(script: string): { packages: Set<string>; stdout: string } {
    const tmp = makeTempDir('promptctl-modules-');
    const hooks = path.join(tmp, 'hooks.mjs');
    writeFileSync(
      hooks,
      [
        "import { writeSync } from 'node:fs';",
        'export async function resolve(specifier, context, next) {',
        '  const result = await next(specifier, context);',
        "  writeSync(2, `RESOLVED ${result.url}\\n`);",
        '  return result;',
        '}',
      ].join('\n'),
    );
    const register = path.join(tmp, 'register.mjs');
    writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
    const probe = `${script}
const { createRequire } = await import('node:module');
const require = createRequire(${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, 'package.json')).href)});
process.stdout.write('CJS ' + JSON.stringify(Object.keys(require.cache)) + '\\n');`;
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, '--input-type=module', '-e', probe], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    const urls = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('RESOLVED '))
      .map((l) => decodeURIComponent(l.slice('RESOLVED '.length)));
    const cjsLine = r.stdout.split('\n').find((l) => l.startsWith('CJS '));
    expect(cjsLine, r.stdout).toBeDefined();
    const cjs = JSON.parse(cjsLine!.slice(4)) as string[];
    expect(urls.length, 'the resolve hook reported nothing: the probe is broken').toBeGreaterThan(0);
    const packages = new Set<string>();
    for (const p of [...urls, ...cjs]) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(p.replaceAll('\\', '/'));
      if (m) packages.add(m[1]!);
    }
    return { packages, stdout: r.stdout };
  }

  it('loads none of commander, zod, yaml, ink, react, openai', () => {
    const { packages, stdout } = loadedPackages(
      `const m = await import(${JSON.stringify(pathToFileURL(INDEX).href)});\nprocess.stdout.write('EXPORTS ' + Object.keys(m).join(',') + '\\n');`,
    );
    expect(stdout).toMatch(/EXPORTS .*openRegistry/);
    expect(packages.has('better-sqlite3'), [...packages].join(', ')).toBe(true);
    for (const name of FORBIDDEN) expect(packages.has(name), `${name} was loaded: ${[...packages].join(', ')}`).toBe(false);
  });

  it('positive control: the same probe sees each of them when they are imported', () => {
    const { packages } = loadedPackages(FORBIDDEN.map((n) => `await import(${JSON.stringify(n)});`).join('\n'));
    for (const name of FORBIDDEN) expect(packages.has(name), `${name} not seen: ${[...packages].join(', ')}`).toBe(true);
  });
});

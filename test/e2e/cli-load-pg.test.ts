import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, QUICKSTART } from '../support/cli.js';

/**
 * `pg` loads only for a PostgreSQL registry: `--help`, `--version` and commands on the SQLite
 * registry never load it (start-up stays as it was). The built binary runs under the same kind of
 * probe as library-load.test.ts: an ESM resolve hook plus, on exit, the CommonJS module cache, and
 * the files the bundle's loader reads (pg is vendored into dist/bin/vendor/pg.cjs).
 */

let dir: string;

beforeAll(() => {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} does not exist: build first (npm run build)`);
  dir = mkdtempSync(path.join(os.tmpdir(), 'promptctl-cli-load-'));
  cpSync(QUICKSTART, path.join(dir, 'project'), { recursive: true });
  writeFileSync(
    path.join(dir, 'hooks.mjs'),
    "import { writeSync } from 'node:fs';\nexport async function resolve(s, c, next) { const r = await next(s, c); writeSync(2, `RESOLVED ${r.url}\\n`); return r; }\n",
  );
  writeFileSync(
    path.join(dir, 'trace.mjs'),
    [
      "import { createRequire, register } from 'node:module';",
      "import fs, { writeSync } from 'node:fs';",
      "register('./hooks.mjs', import.meta.url);",
      'const cache = createRequire(import.meta.url).cache;',
      // The CLI bundle's loader reads its chunks and vendored packages (pg) itself.
      'const read = fs.readFileSync;',
      "fs.readFileSync = function (file, ...rest) { if (String(file).includes('/dist/bin/')) writeSync(2, `READ ${file}\\n`); return read.call(this, file, ...rest); };",
      "process.on('exit', () => writeSync(2, `CJS ${JSON.stringify(Object.keys(cache))}\\n`));",
      "process.on('exit', () => writeSync(2, `FETCH ${process.moduleLoadList.some((m) => m.includes('internal/deps/undici'))}\\n`));",
    ].join('\n'),
  );
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** pg: loaded at all; pgFiles: from node_modules' 32 files rather than the bundle's vendored copy. */
function probe(args: string[], env: Record<string, string> = {}): { pg: boolean; pgFiles: boolean; fetch: boolean; sqlite: boolean } {
  const r = spawnSync(process.execPath, ['--import', path.join(dir, 'trace.mjs'), CLI_PATH, ...args], {
    cwd: path.join(dir, 'project'),
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, NO_COLOR: '1', PROMPTCTL_REGISTRY_URL: undefined, ...env } as NodeJS.ProcessEnv,
  });
  expect(r.stderr, 'the probe ran').toMatch(/^CJS /m);
  const pgFiles = /node_modules\/pg\//.test(r.stderr);
  return { pg: pgFiles || /^READ .*\/dist\/bin\/vendor\/pg\.cjs$/m.test(r.stderr), pgFiles, fetch: /^FETCH true$/m.test(r.stderr), sqlite: /node_modules\/better-sqlite3\//.test(r.stderr) };
}

describe('the CLI loads pg only for a PostgreSQL registry', () => {
  it.each([[['--help']], [['--version']], [['status']], [['history']], [['registry', 'info']]])('promptctl %j on SQLite loads no pg', (args) => {
    expect(probe(args).pg).toBe(false);
  });

  it('control: a command on a PostgreSQL registry loads it (here to find no server), and neither Node\'s fetch nor SQLite with it', () => {
    // pg probes for Cloudflare Workers by constructing a Response, which on Node 20 loads undici (load-pg.ts);
    // better-sqlite3 is required when a registry file is first opened (sqlite-open.ts).
    // pg comes from the bundle's vendored copy (scripts/bundle.mjs), not from node_modules.
    expect(probe(['status'], { PROMPTCTL_REGISTRY_URL: 'postgres://nobody@127.0.0.1:1/none' })).toEqual({ pg: true, pgFiles: false, fetch: false, sqlite: false });
    // The probe sees better-sqlite3 when a registry file is opened (migrate creates one).
    expect(probe(['registry', 'migrate'])).toEqual({ pg: false, pgFiles: false, fetch: false, sqlite: true });
  });
});

// A throwaway PostgreSQL for the benchmarks, as test/support/postgres.ts starts one for the tests
// (bench/ runs plain .mjs, so it cannot import that .ts): initdb and pg_ctl from Debian's package
// (/usr/lib/postgresql/<major>/bin, the highest major), as the `postgres` user when we are root,
// on a free loopback port, password authentication, fsync off; stopped and removed by stop().
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const PG_ROOT = '/usr/lib/postgresql';
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** The bin folder of the newest installed PostgreSQL, or why there is none. */
export function findPostgresBin() {
  if (!existsSync(PG_ROOT)) return { missing: `${PG_ROOT} does not exist (install Debian's postgresql package)` };
  const majors = readdirSync(PG_ROOT)
    .filter((d) => /^\d+$/.test(d) && existsSync(path.join(PG_ROOT, d, 'bin', 'initdb')) && existsSync(path.join(PG_ROOT, d, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  if (majors.length === 0) return { missing: `no ${PG_ROOT}/*/bin/initdb and pg_ctl (install Debian's postgresql package)` };
  return { bin: path.join(PG_ROOT, majors[0], 'bin') };
}

function runPg(bin, program, args) {
  const file = path.join(bin, program);
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: os.tmpdir() });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts a cluster; returns { port, password, url(db), stop() }. stop() is idempotent and also runs on exit. */
export async function startPostgres(bin) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'promptctl-bench-pg-'));
  const data = path.join(dir, 'data');
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const pwfile = path.join(dir, 'pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (asRoot) {
    const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, id('-u'), id('-g'));
    chownSync(pwfile, id('-u'), id('-g'));
  }
  chmodSync(dir, 0o700);
  let port = 0;
  try {
    runPg(bin, 'initdb', ['-D', data, '-U', 'postgres', '-A', 'scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-sync', '--no-instructions']);
    rmSync(pwfile);
    // A port taken between freePort and the start (another process) fails the start: try again.
    for (let attempt = 0; ; attempt++) {
      port = await freePort();
      try {
        runPg(bin, 'pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-o', `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off`, '-w', 'start']);
        break;
      } catch (err) {
        if (attempt >= 2) throw err;
      }
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      runPg(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  process.once('exit', stop);
  return { port, password, url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`, stop };
}

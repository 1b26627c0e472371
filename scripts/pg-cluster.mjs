// A real, throwaway PostgreSQL server, for the tests (test/support/postgres-global-setup.ts starts
// one per test run) and the benchmarks (bench/registry-pg.mjs): initdb and pg_ctl from Debian's
// package (/usr/lib/postgresql/<major>/bin, the highest major), as the `postgres` system user when
// we are root (initdb and postgres refuse root), a cluster in a temp folder on a free loopback
// port, password (scram-sha-256) authentication with a generated superuser password, fsync off;
// stopped by stop(), which also runs at exit, and removed in the background. Types: pg-cluster.d.mts.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const PG_ROOT = '/usr/lib/postgresql';
const PREFIX = 'promptctl-pg-';
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

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function pgCommand(bin, program, args) {
  const file = path.join(bin, program);
  return asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
}

function runPg(bin, program, args) {
  const [cmd, argv] = pgCommand(bin, program, args);
  execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: os.tmpdir() });
}

/** The same without blocking: the tests' cluster starts while their workers start. */
async function runPgAsync(bin, program, args) {
  const [cmd, argv] = pgCommand(bin, program, args);
  await promisify(execFile)(cmd, argv, { cwd: os.tmpdir() });
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/**
 * Stops and removes clusters whose process died without stopping them (killed mid-run), so a
 * crashed run does not leave servers behind. Each cluster folder names its owner in owner.pid.
 */
function reapOrphans(bin) {
  for (const name of readdirSync(os.tmpdir())) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = path.join(os.tmpdir(), name);
    let owner;
    try {
      owner = Number(readFileSync(path.join(dir, 'owner.pid'), 'utf8'));
    } catch {
      continue; // being created right now, or not ours
    }
    if (isAlive(owner)) continue;
    try {
      if (existsSync(path.join(dir, 'data', 'postmaster.pid'))) runPg(bin, 'pg_ctl', ['-D', path.join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
    } catch {
      // Already stopped.
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Removes a stopped cluster's folder from a detached process, so that the run which used it need not
 * wait: a test run's databases leave about 13,000 files, 1 to 5 s of unlinking at the very end of
 * `npm test`. Should that process not finish, the next startCluster reaps the folder (its owner
 * is gone).
 */
function removeInBackground(dir) {
  try {
    spawn(process.execPath, ['-e', "require('node:fs').rmSync(process.argv[1], { recursive: true, force: true })", dir], { detached: true, stdio: 'ignore' }).unref();
  } catch {
    rmSync(dir, { recursive: true, force: true });
  }
}

function postgresIds() {
  const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

export async function startCluster(bin) {
  reapOrphans(bin);
  const dir = mkdtempSync(path.join(os.tmpdir(), PREFIX));
  const data = path.join(dir, 'data');
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const pwfile = path.join(dir, 'pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  writeFileSync(path.join(dir, 'owner.pid'), String(process.pid));
  if (asRoot) {
    const { uid, gid } = postgresIds();
    chownSync(dir, uid, gid);
    chownSync(pwfile, uid, gid);
  }
  chmodSync(dir, 0o700);
  let port = 0;
  try {
    await runPgAsync(bin, 'initdb', ['-D', data, '-U', 'postgres', '-A', 'scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-sync', '--no-instructions']);
    rmSync(pwfile);
    // A port taken between freePort and the start fails the start: try again. Every test file of
    // a run connects at once (the 16-process test alone opens 16), hence max_connections.
    for (let attempt = 0; ; attempt++) {
      port = await freePort();
      try {
        await runPgAsync(bin, 'pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-o', `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c max_connections=300`, '-w', 'start']);
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
      removeInBackground(dir);
    }
  };
  process.once('exit', stop);
  return { host: '127.0.0.1', port, user: 'postgres', password, stop };
}

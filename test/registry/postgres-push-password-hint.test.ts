import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess, type RunResult } from '../support/cli.js';
import { postgresAvailable, startPostgres, type PgCluster } from '../support/postgres.js';
import { cleanupTempDirs, makeProject, makeTempDir } from '../support/project.js';
import { markTested } from '../support/registry-cli.js';

/**
 * `registry push --to <url>` refused for want of a password: the hint names only where push takes
 * a password from. PROMPTCTL_REGISTRY_URL's password is never used for --to, so it is not named; a
 * PGPASSFILE that is set is named rather than ~/.pgpass; and a password file ignored because group
 * or others may read it (as libpq ignores it) is said to be, with how to make it count.
 */

const pgOk = postgresAvailable();
let cluster: PgCluster;
beforeAll(async () => {
  if (pgOk) cluster = await startPostgres();
});
afterAll(() => cleanupTempDirs());

async function push(env: Record<string, string>): Promise<RunResult> {
  const dir = makeProject();
  markTested(dir, 'support-answer@1.0.0');
  const r = await runCliInProcess(['registry', 'push', '--to', cluster.url(await cluster.createDatabase())], { cwd: dir, env: { HOME: makeTempDir(), ...env } });
  expect(r.code, r.output).toBe(3);
  expect(r.output).toMatch(/refused the credentials/);
  expect(r.output).not.toContain(cluster.password);
  return r;
}

describe.runIf(pgOk)('registry push --to without a password', () => {
  it('does not name PROMPTCTL_REGISTRY_URL, whose password push --to never reads', async () => {
    const r = await push({ PROMPTCTL_REGISTRY_URL: cluster.url(await cluster.createDatabase(), { withPassword: true }) });
    expect(r.output).toContain('give the password in the environment: PGPASSWORD or ~/.pgpass');
    expect(r.output).not.toMatch(/hint:.*PROMPTCTL_REGISTRY_URL/);
  });

  it('names the PGPASSFILE that is set, and says it was ignored when others may read it', async () => {
    const file = path.join(makeTempDir(), 'team.pgpass');
    writeFileSync(file, `127.0.0.1:${cluster.port}:*:postgres:${cluster.password.replace(/:/g, '\\:')}\n`, { mode: 0o644 });
    const r = await push({ PGPASSFILE: file });
    expect(r.output).toContain(`the password file PGPASSFILE names (${file}) was ignored: group or others may read it (mode 644), and libpq ignores it too; chmod 600 it`);
    expect(r.output).not.toContain('~/.pgpass');
  });
});

/** The hints push gives before connecting name the password's places by the same rule (password-places.ts). */
describe('registry push hints before connecting', () => {
  const secret = 's3cret-never-shown';
  async function refused(args: string[], env: Record<string, string>): Promise<RunResult> {
    const dir = makeProject();
    const r = await runCliInProcess(['registry', 'push', ...args], { cwd: dir, env: { HOME: makeTempDir(), ...env } });
    expect(r.code, r.output).toBe(2);
    expect(r.output).not.toContain(secret);
    return r;
  }

  it('names the PGPASSFILE that is set, not ~/.pgpass, for a --to with a password and for no PostgreSQL target', async () => {
    const file = path.join(makeTempDir(), 'team.pgpass');
    writeFileSync(file, `*:*:*:*:${secret}\n`, { mode: 0o600 });
    const inTo = await refused(['--to', `postgres://promptctl:${secret}@127.0.0.1:1/prompts`], { PGPASSFILE: file });
    expect(inTo.output).toContain(`give the password in the environment (PGPASSWORD or the password file PGPASSFILE names (${file})), or omit --to`);
    const nowhere = await refused([], { PGPASSFILE: file });
    expect(nowhere.output).toContain(`(the password in PGPASSWORD or the password file PGPASSFILE names (${file})), or set PROMPTCTL_REGISTRY_URL`);
    for (const r of [inTo, nowhere]) expect(r.output).not.toContain('~/.pgpass');
  });

  it('says a password file others may read is ignored, rather than naming it as a place to give the password', async () => {
    const file = path.join(makeTempDir(), 'team.pgpass');
    writeFileSync(file, `*:*:*:*:${secret}\n`, { mode: 0o644 });
    const r = await refused(['--to', `postgres://promptctl:${secret}@127.0.0.1:1/prompts`], { PGPASSFILE: file });
    expect(r.output).toContain(`the password file PGPASSFILE names (${file}) was ignored: group or others may read it (mode 644), and libpq ignores it too; chmod 600 it, or give the password in the environment (PGPASSWORD), or omit --to`);
  });
});

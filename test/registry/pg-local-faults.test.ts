import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/core/errors.js';
import { pgFault } from '../../src/infra/registry/postgres/faults.js';
import { openPostgresRegistry } from '../../src/infra/registry/postgres/registry.js';
import { postgresTarget } from '../../src/infra/registry/target.js';

/**
 * Faults on the client's side of a connection, before any server answers: a Unix socket with no
 * server behind it, and a TLS file the URL names that cannot be read. Both were "failed while
 * connecting ... see the PostgreSQL server log; for TLS problems check sslmode", which sends a
 * person to a log that says nothing about either. No server is needed: nothing gets that far.
 */

const dir = mkdtempSync(path.join(tmpdir(), 'promptctl-local-faults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the first read of a registry at `url` fails with. */
async function firstReadFault(url: string): Promise<UnavailableError> {
  const registry = openPostgresRegistry({ target: postgresTarget(url, { password: 'S3cret-pw-77', source: 'PROMPTCTL_REGISTRY_URL' }) });
  try {
    return await registry.listEvents().then(
      () => {
        throw new Error('expected the read to fail');
      },
      (e: unknown) => e as UnavailableError,
    );
  } finally {
    await registry.close();
  }
}

describe('a registry on a Unix socket no server listens on', () => {
  it('says no server listens on the socket, naming it, the folder and the port to check (exit 3)', async () => {
    const err = await firstReadFault(`postgres://rm@localhost/prompts?host=${dir}&port=6543`);
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err.exitCode).toBe(3);
    expect(err.message).toBe(`no PostgreSQL server listens on the Unix socket of the registry at postgres://rm@localhost/prompts?host=${dir}&port=6543`);
    expect(err.why).toContain(`there is no socket ${dir}/.s.PGSQL.6543`);
    expect(err.hint).toMatch(/PostgreSQL is running on this machine.*host= \(the socket folder.*\) and the port \(6543\) in PROMPTCTL_REGISTRY_URL/);
    expect(`${err.message} ${err.why} ${err.hint}`).not.toMatch(/server log|TCP|S3cret/);
  });

  it.each([
    ['ECONNREFUSED', /is there but no server accepts on it/, /PostgreSQL is running on this machine/],
    ['EACCES', /does not let this operating-system user in/, /unix_socket_permissions/],
  ])('a socket that refuses (%s) is named as a socket, not a TCP host', (code, why, hint) => {
    const socket = '/run/postgresql/.s.PGSQL.5432';
    const raw = Object.assign(new Error(`connect ${code} ${socket}`), { code, syscall: 'connect', address: socket });
    const err = pgFault(raw, { where: 'postgres://rm@localhost/prompts?host=/run/postgresql', secrets: [], doing: 'connecting' }) as UnavailableError;
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err.why).toMatch(why);
    expect(err.hint).toMatch(hint);
    expect(err.hint).not.toMatch(/TCP connections there/);
  });
});

describe('a TLS file the registry URL names that cannot be read', () => {
  it.each([
    ['sslrootcert', 'sslmode=verify-full&sslrootcert=', ' (else PGSSLROOTCERT)'],
    ['sslcert', 'sslmode=verify-full&sslkey=/k.pem&sslcert=', ''],
  ])('%s: names the parameter and the file, and says no connection was tried (exit 3)', async (param, query, variable) => {
    const file = path.join(dir, `missing-${param}.pem`);
    const err = await firstReadFault(`postgres://rm@127.0.0.1:1/prompts?${query}${file}`);
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err.message).toMatch(new RegExp(`^cannot read the TLS file ${file} that the registry URL names`));
    expect(err.why).toContain(`${param}=${file} does not exist, so no connection was tried`);
    expect(err.hint).toBe(`give ${param} the path of a file this user can read, in PROMPTCTL_REGISTRY_URL (which wins) or registry.url in .promptrc.yaml${variable}, or leave it out`);
    expect(`${err.message} ${err.why} ${err.hint}`).not.toMatch(/server log|S3cret/);
  });
});

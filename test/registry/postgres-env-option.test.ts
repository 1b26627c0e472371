import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registryInfo, registryMigrate, type UnavailableError } from '../../src/app/index.js';
import { freePort, postgresAvailable, startPostgres, type PgCluster } from '../support/postgres.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';

/**
 * A use case called as a library connects to the team registry with the `env` it was given only:
 * pg used to fill what the URL leaves out (user, database, host, port, password) from
 * process.env, so a service working for several projects read another project's registry, or
 * logged in with a password the project was never given.
 */

const pgOk = postgresAvailable();
const VARS = ['PGUSER', 'PGPASSWORD', 'PGDATABASE', 'PGHOST', 'PGPORT', 'PGPASSFILE'] as const;
const saved = Object.fromEntries(VARS.map((k) => [k, process.env[k]]));
let cluster: PgCluster;

beforeAll(async () => {
  if (pgOk) cluster = await startPostgres();
});
afterEach(() => {
  for (const k of VARS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});
afterAll(() => cleanupTempDirs());

describe.runIf(pgOk)('the env option, not process.env, says where and as whom to connect', () => {
  it('takes user, password, database, host and port from env when process.env says otherwise', async () => {
    const database = await cluster.createDatabase();
    Object.assign(process.env, { PGUSER: 'nobody', PGPASSWORD: 'wrong', PGDATABASE: 'no_such_db', PGHOST: '127.0.0.1', PGPORT: String(await freePort()) });
    const env = { PROMPTCTL_REGISTRY_URL: 'postgres:///', PGUSER: cluster.user, PGPASSWORD: cluster.password, PGDATABASE: database, PGHOST: cluster.host, PGPORT: String(cluster.port), PGPASSFILE: '/nonexistent/pgpass' };
    const cwd = makeProject();
    await registryMigrate({ cwd, env });
    const info = await registryInfo({ cwd, env });
    expect(info.backend).toBe('postgres');
    expect(info.counts.versions).toBe(0);
  });

  it("refuses the login when env holds no password, whatever process.env's PGPASSWORD", async () => {
    const database = await cluster.createDatabase();
    process.env.PGPASSWORD = cluster.password;
    const env = { PROMPTCTL_REGISTRY_URL: cluster.url(database), PGPASSFILE: '/nonexistent/pgpass' };
    const err = (await registryMigrate({ cwd: makeProject(), env }).catch((e: unknown) => e)) as UnavailableError;
    expect(err.exitCode).toBe(3);
    expect(err.why).toBe('the server asks for a password and none was given');
  });
});

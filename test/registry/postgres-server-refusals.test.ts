import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { postgresAvailable } from '../support/postgres.js';
import { makeProject } from '../support/project.js';
import { startStartupProxy, type StartupProxy } from '../support/startup-proxy.js';
import { teamRegistryForFile } from '../support/team-registry.js';

/**
 * The server's refusals on a real PostgreSQL (and a pooler's, through startup-proxy.ts, which
 * answers the `options` parameter as PgBouncer does by default): a read-only database, a role out
 * of connections, the parameter that sets the schema refused. Each is exit 3 with its own cause
 * and way out, where all three got "see the PostgreSQL server log; for TLS problems check
 * sslmode"; a refused write leaves the registry as it was. pg-server-refusals.test.ts has the table.
 */

const pgOk = postgresAvailable();
const ID = 'support-answer';
const team = teamRegistryForFile(pgOk, `${ID}@1.0.0`);

let proxy: StartupProxy | undefined;
afterAll(async () => {
  await proxy?.close();
});

const superuser = () => ({ PROMPTCTL_REGISTRY_URL: team.cluster.url(team.database, { withPassword: true }) });
const cli = (args: string[], env: Record<string, string>) => runCliInProcess(args, { cwd: makeProject(), env });
const written = async () =>
  (await team.cluster.query<{ versions: string; events: string }>('SELECT (SELECT count(*) FROM promptctl.prompt_versions) AS versions, (SELECT count(*) FROM promptctl.events) AS events', [], team.database))[0];

describe.runIf(pgOk)('refusals of a real server', () => {
  beforeAll(() => {
    expect(team.database).toBeTruthy();
  });

  it('default_transaction_read_only on the database: deploy is exit 3 saying the registry is read-only, writes nothing; status still reads', async () => {
    const before = await written();
    await team.cluster.query(`ALTER DATABASE ${team.database} SET default_transaction_read_only = on`);
    try {
      const deploy = await cli(['deploy', `${ID}@1.1.0`, '--env', 'development'], superuser());
      expect(deploy.code, deploy.output).toBe(3);
      expect(deploy.stderr).toMatch(/is read-only: it refused a write while/);
      expect(deploy.stderr).toMatch(/cannot execute \w+ in a read-only transaction \(25006\): the server is a hot standby/);
      expect(deploy.stderr).toMatch(/at the primary server/);
      expect(deploy.output).not.toMatch(/server log/);
      expect(deploy.output).not.toContain(team.cluster.password);
      expect(await written()).toEqual(before);
      const status = await cli(['status'], superuser());
      expect(status.code, status.output).toBe(0);
      expect(status.stdout).toMatch(/staging/);
    } finally {
      await team.cluster.query(`ALTER DATABASE ${team.database} RESET default_transaction_read_only`);
    }
  });

  it("a role's CONNECTION LIMIT reached: exit 3 saying so, and that promptctl holds one connection at a time", async () => {
    const role = `${team.database}_full`;
    await team.cluster.query(`CREATE ROLE ${role} LOGIN PASSWORD 'pw-full' CONNECTION LIMIT 0`);
    const r = await cli(['status'], { PROMPTCTL_REGISTRY_URL: `postgres://${role}@127.0.0.1:${team.cluster.port}/${team.database}`, PGPASSWORD: 'pw-full' });
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).toMatch(/refused a connection: too many connections \(while connecting\)/);
    expect(r.stderr).toMatch(new RegExp(`too many connections for role "${role}" \\(53300\\): the CONNECTION LIMIT of this role is reached; a promptctl command holds one connection at a time`));
    expect(r.stderr).toContain(`ALTER ROLE "${role}" CONNECTION LIMIT <n>`);
    expect(r.output).not.toMatch(/server log|pw-full/);
  });

  it('a pooler refusing the `options` parameter (PgBouncer by default): exit 3 naming it and the search_path to set', async () => {
    proxy = await startStartupProxy(team.cluster, 'refuse');
    const r = await cli(['status'], { PROMPTCTL_REGISTRY_URL: `postgres://${team.cluster.user}@127.0.0.1:${proxy.port}/${team.database}`, PGPASSWORD: team.cluster.password });
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).toMatch(/refused the `options` startup parameter, which promptctl sets its schema with/);
    expect(r.stderr).toMatch(/unsupported startup parameter: options \(08P01\): a connection pooler such as PgBouncer/);
    expect(r.stderr).toContain(`ALTER ROLE "${team.cluster.user}" IN DATABASE "${team.database}" SET search_path = promptctl`);
    expect(r.output).not.toMatch(/server log/);
    expect(r.output).not.toContain(team.cluster.password);
  });
});

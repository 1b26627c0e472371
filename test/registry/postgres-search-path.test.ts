import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresRegistry } from '../../src/infra/registry/postgres/registry.js';
import { postgresTarget } from '../../src/infra/registry/target.js';
import { migrateProjectRegistry } from '../../src/infra/registry-admin.js';
import { runCliInProcess } from '../support/cli.js';
import { postgresAvailable, startPostgres, type PgCluster } from '../support/postgres.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { patchConfig } from '../support/registry-cli.js';
import { refusal } from '../support/refusal.js';
import { startStartupProxy, type StartupProxy } from '../support/startup-proxy.js';

/**
 * Behind a connection pooler that drops the `options` startup parameter (PgBouncer with
 * ignore_startup_parameters = options), the search path promptctl sets never reaches the server:
 * the role's own decides. Before, every command then read and wrote whatever schema that was
 * (`registry info` showed another registry's counts, `deploy` wrote into its events) while the
 * configured schema, looked up by name, checked out. Now the connection's first query reads the
 * schema statements resolve to, and a mismatch is exit 3 before anything is read or written. The
 * pooler is startup-proxy.ts: the parameter dropped on the way to a real PostgreSQL session.
 */

const pgOk = postgresAvailable();
const ID = 'support-answer';
const PASSWORD = 'pooled-pw-7';

let cluster: PgCluster;
let db: string;
/** A login role whose "$user" schema is a migrated, empty registry, as in the DBA's report. */
let owner: string;
let proxy: StartupProxy;

const migrate = (schema: string) =>
  migrateProjectRegistry({ root: '/', config: { registry: { path: 'x', schema, url: cluster.url(db) } } as never }, { env: { PGPASSWORD: cluster.password }, clock: { date: () => new Date() } });

const count = async (schema: string) => Number((await cluster.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.events`, [], db))[0]!.n);

/** The URL of `role` through the proxy (`pooled`) or straight to the server. */
function url(role: string, pooled = true): string {
  return `postgres://${role}@127.0.0.1:${pooled ? proxy.port : cluster.port}/${db}`;
}

/** promptctl in a fresh project whose registry.schema is `schema`, as `role`. */
async function cli(role: string, schema: string, args: string[], pooled = true) {
  const dir = makeProject();
  patchConfig(dir, (c) => {
    c.registry = { ...c.registry, schema };
  });
  return runCliInProcess(args, { cwd: dir, env: { PROMPTCTL_REGISTRY_URL: url(role, pooled), PGPASSWORD: PASSWORD } });
}

beforeAll(async () => {
  if (!pgOk) return;
  cluster = await startPostgres();
  db = await cluster.createDatabase();
  owner = `${db}_owner`;
  for (const schema of ['promptctl', owner, 'team_x']) await migrate(schema);
  await cluster.query(`CREATE ROLE ${owner} LOGIN SUPERUSER PASSWORD '${PASSWORD}'`);
  const registry = openPostgresRegistry({ target: postgresTarget(cluster.url(db), { password: cluster.password }) });
  try {
    for (const version of ['1.0.0', '1.1.0', '1.2.0']) await registry.appendEvent({ env: 'staging', promptId: ID, version, previousVersion: null, action: 'deploy', actor: 'ana', reason: null });
  } finally {
    await registry.close();
  }
  proxy = await startStartupProxy(cluster, 'drop');
});

afterAll(async () => {
  await proxy?.close();
  cleanupTempDirs();
});

describe.runIf(pgOk)('a pooler that drops the search path promptctl sets', () => {
  it('registry info: exit 3 naming the schema statements would use, the configured one, why, and the ALTER ROLE to run', async () => {
    const r = await cli(owner, 'promptctl', ['registry', 'info']);
    expect(r.code, r.output).toBe(3);
    expect(r.output).toContain(`statements on the registry at postgres://${owner}@127.0.0.1:${proxy.port}/${db} would use schema "${owner}", not the configured schema "promptctl"`);
    expect(r.output).toMatch(/the parameter was dropped on the way, as a connection pooler such as PgBouncer does with ignore_startup_parameters = options/);
    expect(r.output).toContain(`ALTER ROLE "${owner}" IN DATABASE "${db}" SET search_path = promptctl`);
    expect(r.output).toMatch(/connect to PostgreSQL directly/);
    expect(r.output).not.toMatch(/audit events|restore/);
    expect(r.output).not.toContain(PASSWORD);
  });

  it('deploy: exit 3, and nothing is written to either schema', async () => {
    const r = await cli(owner, 'promptctl', ['deploy', `${ID}@1.0.0`, '--env', 'development']);
    expect(r.code, r.output).toBe(3);
    expect(r.output).toContain(`would use schema "${owner}", not the configured schema "promptctl"`);
    expect(await count(owner)).toBe(0);
    expect(await count('promptctl')).toBe(3);
  });

  it("a role's search_path naming another registry: status is exit 3, never that registry's deployments", async () => {
    await cluster.query(`ALTER ROLE ${owner} IN DATABASE ${db} SET search_path = promptctl`);
    try {
      const r = await cli(owner, 'team_x', ['status']);
      expect(r.code, r.output).toBe(3);
      expect(r.output).toContain('would use schema "promptctl", not the configured schema "team_x"');
      expect(r.output).toContain(`ALTER ROLE "${owner}" IN DATABASE "${db}" SET search_path = team_x`);
      expect(r.output).not.toContain('1.2.0');
    } finally {
      await cluster.query(`ALTER ROLE ${owner} IN DATABASE ${db} RESET search_path`);
    }
  });

  it('a schema without the tables (not migrated) is the same fault, not "table events is missing … restore from a backup"', async () => {
    const bare = `${db}_bare`;
    await cluster.query(`CREATE ROLE ${bare} LOGIN SUPERUSER PASSWORD '${PASSWORD}'`);
    await cluster.query(`CREATE SCHEMA ${bare}`, [], db);
    const r = await cli(bare, 'promptctl', ['status']);
    expect(r.code, r.output).toBe(3);
    expect(r.output).toContain(`would use schema "${bare}", not the configured schema "promptctl"`);
    expect(r.output).not.toMatch(/missing|restore/);
  });

  it('a configured schema that does not exist still says to run registry migrate', async () => {
    const r = await cli(owner, 'team_y', ['status']);
    expect(r.code, r.output).toBe(3);
    expect(r.output).toContain('has no promptctl schema "team_y" yet');
    expect(r.output).toMatch(/promptctl registry migrate/);
  });

  it('the library registry refuses the same way, and a registry reached directly is used as configured', async () => {
    const registry = openPostgresRegistry({ target: postgresTarget(url(owner), { password: PASSWORD }) });
    try {
      expect((await refusal(registry.listEvents())).message).toContain(`would use schema "${owner}", not the configured schema "promptctl"`);
    } finally {
      await registry.close();
    }
    const direct = await cli(owner, 'promptctl', ['registry', 'info'], false);
    expect(direct.code, direct.output).toBe(0);
    expect(direct.output).toMatch(/schema +promptctl/);
    expect(direct.output).toMatch(/audit events +3/);
  });

  it('a session refused after a reconnect stays refused on every later call, never reading the other schema', async () => {
    await cluster.query(`ALTER ROLE ${owner} IN DATABASE ${db} SET search_path = promptctl`);
    const registry = openPostgresRegistry({ target: postgresTarget(url(owner), { password: PASSWORD }) });
    try {
      expect(await registry.listEvents()).toHaveLength(3);
      await cluster.query(`ALTER ROLE ${owner} IN DATABASE ${db} RESET search_path`);
      await cluster.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1 AND datname = $2`, [owner, db]);
      // The first call after the server ended the session may be told the connection was lost; once reconnected, every call is refused.
      const messages: string[] = [];
      for (let k = 0; k < 4; k++) messages.push((await refusal(registry.listEvents())).message);
      const refused = messages.findIndex((m) => m.includes(`would use schema "${owner}", not the configured schema "promptctl"`));
      expect(refused, messages.join('\n')).toBeGreaterThanOrEqual(0);
      expect(refused).toBeLessThanOrEqual(1);
      for (const m of messages.slice(refused)) expect(m).toContain(`would use schema "${owner}"`);
    } finally {
      await cluster.query(`ALTER ROLE ${owner} IN DATABASE ${db} RESET search_path`);
      await registry.close();
    }
  });

  it('a role that may not use the configured schema is refused by the server as before, not blamed on a pooler', async () => {
    const outsider = `${db}_outsider`;
    await cluster.query(`CREATE ROLE ${outsider} LOGIN PASSWORD '${PASSWORD}'`);
    const r = await cli(outsider, 'promptctl', ['status'], false);
    expect(r.code, r.output).toBe(3);
    expect(r.output).toMatch(/permission denied for schema promptctl/);
    expect(r.output).not.toMatch(/would use/);
  });
});

import { randomBytes } from 'node:crypto';
import { createConnection, createServer, type Socket } from 'node:net';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/index.js';
import type { UnavailableError } from '../../src/core/errors.js';
import { openPostgresRegistry } from '../../src/infra/registry/postgres/registry.js';
import { PG_SCHEMA_VERSION } from '../../src/infra/registry/postgres/migrations.js';
import { postgresTarget } from '../../src/infra/registry/target.js';
import { runCliInProcess } from '../support/cli.js';
import { postgresAvailable, startPostgres, type PgCluster } from '../support/postgres.js';
import { makeProject } from '../support/project.js';
import { startStartupProxy } from '../support/startup-proxy.js';

/**
 * An application reading a team registry through the library has no command to run again and no
 * command's role to switch to: its hints say what to grant and that its reader tries again by
 * itself. The CLI meeting the same faults keeps its own words.
 */

const pgOk = postgresAvailable();
const NO_COMMAND = /this command|the command again|role this command is for|eval --resume/;
/** fault-hints.ts afterTheFix: the one wording of what follows a fix, per caller. */
const APP_AGAIN = "the application's reader tries again by itself on a later read";
const CLI_AGAIN = 'then run this command again';

const fail = (p: Promise<unknown>) => p.then(() => expect.fail('the call succeeded')).catch((e: unknown) => e as UnavailableError);

async function migratedDatabase(cluster: PgCluster): Promise<string> {
  const db = await cluster.createDatabase();
  const r = await runCliInProcess(['registry', 'migrate'], { cwd: makeProject(), env: { PROMPTCTL_REGISTRY_URL: cluster.url(db, { withPassword: true }) } });
  expect(r.code, r.output).toBe(0);
  return db;
}

/** A 127.0.0.1 TCP proxy in front of the cluster that, once frozen, forwards nothing more (a hung server, a proxy that stopped forwarding): the connection stays open. */
async function freezableProxy(cluster: PgCluster): Promise<{ port: number; freeze: () => void; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let frozen = false;
  const server = createServer((client) => {
    const upstream = createConnection({ host: cluster.host, port: cluster.port });
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      sockets.add(from);
      from.on('error', () => {});
      from.on('data', (chunk) => void (frozen || to.write(chunk)));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    freeze: () => void (frozen = true),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Another session holding every table of the registry's schema, as a migration or a stuck psql session does; `release` rolls it back. */
async function holdTables(cluster: PgCluster, db: string): Promise<{ pid: number; release: () => Promise<void> }> {
  const holder = new pg.Client({ host: cluster.host, port: cluster.port, user: cluster.user, password: cluster.password, database: db, application_name: 'psql' });
  await holder.connect();
  await holder.query('BEGIN');
  await holder.query('LOCK TABLE promptctl.events, promptctl.prompt_versions, promptctl.chain_head IN ACCESS EXCLUSIVE MODE');
  const pid = Number((await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);
  return {
    pid,
    release: async () => {
      await holder.query('ROLLBACK').catch(() => {});
      await holder.end();
    },
  };
}

describe.runIf(pgOk)('the library reader on PostgreSQL: hints for an application', () => {
  it('an unmigrated schema names the migrate command and no command to run again', async () => {
    const cluster = await startPostgres();
    const db = await cluster.createDatabase();
    const reader = openRegistry({ url: cluster.url(db, { withPassword: true }) });
    try {
      const e = (await reader.getActive('p', 'production').catch((err: unknown) => err)) as UnavailableError;
      expect(e.exitCode).toBe(3);
      expect(e.message).toMatch(/has no promptctl schema/);
      expect(e.hint).toMatch(/promptctl registry migrate` once \(as the schema owner\); the application's reader tries again by itself on a later read/);
      expect(e.hint).not.toMatch(NO_COMMAND);
    } finally {
      await reader.close();
    }
    // The CLI still runs the command again.
    const r = await runCliInProcess(['status'], { cwd: makeProject(), env: { PROMPTCTL_REGISTRY_URL: cluster.url(db, { withPassword: true }) } });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/then run this command again/);
  });

  it("a schema a newer promptctl migrated: upgrade the application's promptctl dependency, not a global install", async () => {
    const cluster = await startPostgres();
    const db = await migratedDatabase(cluster);
    await cluster.query(`INSERT INTO promptctl.schema_migrations VALUES (${PG_SCHEMA_VERSION + 1}, 'x')`, [], db);
    const reader = openRegistry({ url: cluster.url(db, { withPassword: true }) });
    try {
      const e = (await reader.getActive('p', 'production').catch((err: unknown) => err)) as UnavailableError;
      expect(e.exitCode).toBe(3);
      expect(e.message).toMatch(/was written by a newer promptctl/);
      expect(e.hint).toMatch(/the application's promptctl dependency/);
      expect(e.hint).not.toMatch(/npm install -g|promptrc/);
    } finally {
      await reader.close();
    }
    // The CLI is still told to upgrade the promptctl it runs.
    const r = await runCliInProcess(['status'], { cwd: makeProject(), env: { PROMPTCTL_REGISTRY_URL: cluster.url(db, { withPassword: true }) } });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/npm install -g promptctl@latest/);
  });

  it("an unmigrated schema of the reader's own names the schema and the schema owner, not the reader's user", async () => {
    const cluster = await startPostgres();
    const db = await cluster.createDatabase();
    const reader = openRegistry({ url: cluster.url(db, { withPassword: true }), schema: 'team_a' });
    try {
      const e = (await reader.getActive('p', 'production').catch((err: unknown) => err)) as UnavailableError;
      expect(e.message).toMatch(/has no promptctl schema "team_a"/);
      expect(e.hint).toContain("PROMPTCTL_REGISTRY_URL='postgres://<schema owner>@");
      expect(e.hint).toContain('promptctl registry migrate` once (as the schema owner, in a project whose .promptrc.yaml sets registry.schema: team_a)');
    } finally {
      await reader.close();
    }
  });

  it("a login role that may not read is told to be granted the reader role, not to use a command's role", async () => {
    const cluster = await startPostgres();
    const db = await cluster.createDatabase();
    const owner = cluster.url(db, { withPassword: true });
    const dir = makeProject();
    expect((await runCliInProcess(['registry', 'migrate'], { cwd: dir, env: { PROMPTCTL_REGISTRY_URL: owner } })).code).toBe(0);
    const login = `app_${randomBytes(4).toString('hex')}`;
    await cluster.query(`CREATE ROLE ${login} LOGIN PASSWORD 'pw'`);
    await cluster.query(`GRANT USAGE ON SCHEMA promptctl TO ${login}`, [], db);
    const url = `postgres://${login}:pw@${cluster.host}:${cluster.port}/${db}`;
    const reader = openRegistry({ url });
    try {
      const e = (await reader.getActive('p', 'production').catch((err: unknown) => err)) as UnavailableError;
      expect(e.exitCode).toBe(3);
      expect(e.message).toMatch(/is not allowed to do this/);
      expect(e.hint).toBe(`grant the application's login role the reader role: GRANT promptctl_reader TO "${login}", as whoever ran the SQL \`promptctl registry roles\` prints, which creates promptctl_reader (another name if it was given --prefix); the application's reader tries again by itself on a later read`);
    } finally {
      await reader.close();
    }
    // A person at the CLI is still told which role each command is for.
    const r = await runCliInProcess(['status'], { cwd: dir, env: { PROMPTCTL_REGISTRY_URL: url } });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/hint: use the role this command is for/);
  });
});

/**
 * Every fault an application's reader can meet says what follows its fix in the one wording
 * (fault-hints.ts afterTheFix): its reader tries again by itself. Before, these still told it to
 * run the command again (or `eval --resume`). The CLI meeting the same fault is told to run it again.
 */
describe.runIf(pgOk)('the library reader on PostgreSQL: what follows the fix of each fault', () => {
  it('no answer (a server or proxy that stopped answering): the reader tries again by itself', async () => {
    const cluster = await startPostgres();
    const db = await migratedDatabase(cluster);
    for (const library of [true, false]) {
      const proxy = await freezableProxy(cluster);
      const url = `postgres://${cluster.user}:${encodeURIComponent(cluster.password)}@127.0.0.1:${proxy.port}/${db}?query_timeout=1000`;
      const reader = library ? openRegistry({ url, cacheTtlMs: 0 }) : undefined;
      const registry = library ? undefined : openPostgresRegistry({ target: postgresTarget(url, {}) });
      const read = (id: string) => (reader ? reader.getActive(id, 'production') : registry!.listEnvironments());
      try {
        // Connected and the session set up; then nothing more is forwarded.
        await read('a').catch(() => undefined);
        proxy.freeze();
        const e = await fail(read('b'));
        expect(e.message).toMatch(/^no answer from the PostgreSQL registry at/);
        expect(e.why).toMatch(/Query read timeout/);
        if (library) {
          expect(e.hint).toMatch(new RegExp(`^check the server and the network between \\(the url given to openRegistry\\); ${APP_AGAIN}; query_timeout=<ms>`));
          expect(e.hint).not.toMatch(NO_COMMAND);
        } else expect(e.hint).toMatch(new RegExp(`\\); ${CLI_AGAIN}; query_timeout=<ms>`));
      } finally {
        await reader?.close();
        await registry?.close();
        await proxy.close();
      }
    }
  });

  it('a pooler refusing the `options` parameter: the search_path to set, then the reader tries again by itself', async () => {
    const cluster = await startPostgres();
    const db = await cluster.createDatabase();
    const proxy = await startStartupProxy(cluster, 'refuse');
    const url = `postgres://${cluster.user}:${encodeURIComponent(cluster.password)}@127.0.0.1:${proxy.port}/${db}`;
    const reader = openRegistry({ url });
    try {
      const e = await fail(reader.getActive('p', 'production'));
      expect(e.message).toMatch(/refused the `options` startup parameter/);
      expect(e.hint).toMatch(new RegExp(`SET search_path = promptctl \\(as an administrator\\); ${APP_AGAIN}$`));
      expect(e.hint).not.toMatch(NO_COMMAND);
      const r = await runCliInProcess(['status'], { cwd: makeProject(), env: { PROMPTCTL_REGISTRY_URL: url } });
      expect(r.code, r.output).toBe(3);
      expect(r.stderr).toMatch(new RegExp(`SET search_path = promptctl \\(as an administrator\\); ${CLI_AGAIN}`));
    } finally {
      await reader.close();
      await proxy.close();
    }
  });

  it("a role's connection limit reached: once fewer sessions are open the reader tries again by itself", async () => {
    const cluster = await startPostgres();
    const db = await cluster.createDatabase();
    const role = `full_${randomBytes(4).toString('hex')}`;
    await cluster.query(`CREATE ROLE ${role} LOGIN PASSWORD 'pw' CONNECTION LIMIT 0`);
    const url = `postgres://${role}:pw@${cluster.host}:${cluster.port}/${db}`;
    const reader = openRegistry({ url });
    try {
      const e = await fail(reader.getActive('p', 'production'));
      expect(e.message).toMatch(/too many connections/);
      expect(e.hint).toMatch(new RegExp(`^wait until fewer sessions are open .*CONNECTION LIMIT <n>; ${APP_AGAIN}$`));
      expect(e.hint).not.toMatch(NO_COMMAND);
    } finally {
      await reader.close();
    }
    const r = await runCliInProcess(['status'], { cwd: makeProject(), env: { PROMPTCTL_REGISTRY_URL: url } });
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`CONNECTION LIMIT <n>; ${CLI_AGAIN}`));
  });

  it('the tables locked by another session: wait for it, the reader tries again by itself; or end it', async () => {
    const cluster = await startPostgres();
    const db = await migratedDatabase(cluster);
    const url = `${cluster.url(db, { withPassword: true })}?query_timeout=1500`;
    const reader = openRegistry({ url, cacheTtlMs: 0 });
    const registry = openPostgresRegistry({ target: postgresTarget(cluster.url(db), { password: cluster.password }), readLockWaitMs: 200 });
    // Both connected before the lock is taken: only the read waits for it.
    await reader.exportEnv('staging').catch(() => undefined);
    await registry.listEnvironments();
    const held = await holdTables(cluster, db);
    try {
      const e = await fail(reader.getActive('p', 'production'));
      expect(e.message).toMatch(new RegExp(`were locked by another session \\(server process ${held.pid}, application psql`));
      expect(e.hint).toMatch(new RegExp(`^wait for that session to finish \\(.*\\); ${APP_AGAIN}; if it is stuck, .*pg_terminate_backend\\(${held.pid}\\)`));
      expect(e.hint).not.toMatch(NO_COMMAND);
      const cli = await fail(registry.listEnvironments());
      expect(cli.hint).toMatch(new RegExp(`^wait for that session to finish \\(.*\\); ${CLI_AGAIN}; if it is stuck`));
    } finally {
      await held.release();
      await reader.close();
      await registry.close();
    }
  });

  it('statement_timeout given as a URL parameter is named there (not the role), and the reader tries again by itself', async () => {
    const cluster = await startPostgres();
    const db = await migratedDatabase(cluster);
    // The parameter (pg sends it at startup) ends the read long before the lock wait would.
    const url = `${cluster.url(db)}?statement_timeout=300`;
    const reader = openRegistry({ url, password: cluster.password, cacheTtlMs: 0 });
    const registry = openPostgresRegistry({ target: postgresTarget(url, { password: cluster.password }) });
    await reader.exportEnv('staging').catch(() => undefined);
    await registry.listEnvironments();
    const held = await holdTables(cluster, db);
    try {
      for (const [e, again] of [
        [await fail(reader.getActive('p', 'production')), APP_AGAIN],
        [await fail(registry.listEnvironments()), `${CLI_AGAIN} \\(\`promptctl eval --resume\` continues an eval where it stopped\\)`],
      ] as const) {
        expect(e.message).toMatch(/cut a statement of promptctl short: statement_timeout/);
        expect(e.why).toMatch(/canceling statement due to statement timeout \(57014\): the statement_timeout parameter of the URL is shorter/);
        expect(e.hint).toMatch(new RegExp(`^raise statement_timeout=<ms> in the URL \\(or leave it out\\); ${again}$`));
        expect(e.hint).not.toMatch(/ALTER ROLE/);
      }
    } finally {
      await held.release();
      await reader.close();
      await registry.close();
    }
  });
});

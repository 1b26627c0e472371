import path from 'node:path';
import pg from 'pg';
import { InterruptedError } from '../../src/core/errors.js';
import { afterEach, describe, expect, it } from 'vitest';
import { PgConnection } from '../../src/infra/registry/postgres/connection.js';
import { READ_LOCK_WAIT_MS } from '../../src/infra/registry/postgres/lock-wait.js';
import { advisoryLockHolder } from '../../src/infra/registry/postgres/turns.js';
import { MIGRATE_LOCK_WAIT_MS, MIGRATE_TURN_WAIT_MS, migrateSchema } from '../../src/infra/registry/postgres/migrate.js';
import { PG_MIGRATIONS } from '../../src/infra/registry/postgres/migrations.js';
import { openPostgresRegistry } from '../../src/infra/registry/postgres/registry.js';
import { PUSH_TURN_WAIT_MS } from '../../src/infra/registry/postgres/push-turn.js';
import { DECISION_WAIT_MS } from '../../src/infra/registry/postgres/decision-lock.js';
import { pushRegistry } from '../../src/infra/registry/push.js';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import { postgresTarget } from '../../src/infra/registry/target.js';
import { runCliInProcess } from '../support/cli.js';
import { postgresAvailable } from '../support/postgres.js';
import { makeProject, makeTempDir } from '../support/project.js';
import { teamRegistryForFile } from '../support/team-registry.js';
import { refusal } from '../support/refusal.js';

/**
 * A read or a write that meets a lock another session holds on the registry's tables (a migration,
 * a backup, a psql session left inside a transaction) gives up after a bounded wait and names that
 * session: exit 3 with its server process, application and role, the wait that ran out, and how to
 * end it. Before, it waited the whole answer timeout (2 min) and blamed a hung server or the
 * network. The lock is held by a second client until the command has failed, and each wait is a
 * short lock_timeout set where a user sets it (the URL's options, the database) or by the
 * registry's option: no timing decides.
 */

const pgOk = postgresAvailable();
const ID = 'support-answer';
const team = teamRegistryForFile(pgOk, `${ID}@1.0.0`);

const holders: pg.Client[] = [];
/** Ends every other session a test opened, rolling back what it holds. */
async function endSessions(): Promise<void> {
  for (const h of holders.splice(0)) {
    await h.query('ROLLBACK').catch(() => {});
    await h.end().catch(() => {});
  }
}
afterEach(endSessions);

/** Another session on `database`, as `application` (psql by default) would open it; ended after the test. */
async function session(database = team.database, application = 'psql'): Promise<pg.Client> {
  const c = team.cluster;
  const client = new pg.Client({ host: c.host, port: c.port, user: c.user, password: c.password, database, application_name: application });
  await client.connect();
  holders.push(client);
  return client;
}

/** A second session that runs `sql` inside a transaction it leaves open (until endSessions); its server process id. */
async function holdInTransaction(sql: string, database?: string, application?: string): Promise<number> {
  const holder = await session(database, application);
  await holder.query('BEGIN');
  await holder.query(sql);
  return Number((await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);
}

/** What another `registry migrate` of schema promptctl holds while it runs: its turn. */
const MIGRATE_TURN = `SELECT pg_advisory_xact_lock(hashtext('promptctl registry migrate'), hashtext('promptctl'))`;

/** `registry migrate`'s transaction on `db`, with short waits (`opts`), as registry-admin.ts runs it. */
function migrator(db: string, opts: { lockWaitMs?: number; turnWaitMs?: number }, query = '') {
  const target = postgresTarget(`${team.cluster.url(db)}${query}`, { password: team.cluster.password });
  const conn = new PgConnection(target, 'none');
  return { conn, migrate: () => conn.withClient('migrating the schema', (client, notes) => migrateSchema(client, target, 'now', { ...opts, notes })) };
}

function open(opts: { readLockWaitMs?: number; writeLockWaitMs?: number; decisionWaitMs?: number } = {}) {
  return openPostgresRegistry({ target: postgresTarget(team.cluster.url(team.database), { password: team.cluster.password }), ...opts });
}

/** `body` on a registry opened with `opts` while the database sets `lock_timeout` (reset after, whatever happens). */
async function withDatabaseLockTimeout(lockTimeout: string, opts: Parameters<typeof open>[0], body: (registry: ReturnType<typeof open>) => Promise<void>): Promise<void> {
  await team.cluster.query(`ALTER DATABASE ${team.database} SET lock_timeout = '${lockTimeout}'`);
  const registry = open(opts);
  try {
    await body(registry);
  } finally {
    await registry.close();
    await team.cluster.query(`ALTER DATABASE ${team.database} RESET lock_timeout`);
  }
}

describe.runIf(pgOk)('a read behind a lock another session holds on PostgreSQL', () => {
  it('status: exit 3 naming the session that locked the tables, past the lock_timeout in the URL, not a network fault', async () => {
    const pid = await holdInTransaction('LOCK TABLE promptctl.events IN ACCESS EXCLUSIVE MODE');
    const url = `${team.cluster.url(team.database, { withPassword: true })}?options=${encodeURIComponent('-c lock_timeout=300')}`;
    const r = await runCliInProcess(['status'], { cwd: makeProject(), env: { PROMPTCTL_REGISTRY_URL: url } });
    expect(r.code, r.output).toBe(3);
    expect(r.output).toContain(`were locked by another session (server process ${pid}, application psql, role postgres) for longer than 300ms (while reading`);
    expect(r.output).toMatch(new RegExp(`server process ${pid} of role postgres from 127\\.0\\.0\\.1 \\(psql\\), in a transaction since \\d{4}-[^ ]+, holds AccessExclusiveLock on events`));
    expect(r.output).toContain(`SELECT pg_terminate_backend(${pid});`);
    expect(r.output).not.toMatch(/no answer|network|proxy/);
    expect(r.output).not.toContain(team.cluster.password);
  });

  it("bounds a read's wait where the server sets none, and the connection reads again once the lock is gone", async () => {
    const registry = open({ readLockWaitMs: 200 });
    try {
      expect((await registry.listEnvironments()).length).toBeGreaterThan(0);
      const pid = await holdInTransaction('LOCK TABLE promptctl.events IN ACCESS EXCLUSIVE MODE');
      const e = await refusal(registry.listEnvironments());
      expect(e.exitCode).toBe(3);
      expect(e.message).toMatch(new RegExp(`were locked by another session \\(server process ${pid}, application psql, role postgres\\) for longer than 200ms \\(while reading the environments\\)$`));
      await holders.pop()!.end();
      expect((await registry.listEnvironments()).length).toBeGreaterThan(0);
    } finally {
      await registry.close();
    }
  }, 20_000);

  it('keeps the lock_timeout the database sets instead of its own', async () => {
    await withDatabaseLockTimeout('150ms', { readLockWaitMs: 600_000 }, async (registry) => {
      await holdInTransaction('LOCK TABLE promptctl.events IN ACCESS EXCLUSIVE MODE');
      expect((await refusal(registry.listEnvironments())).message).toContain('for longer than 150ms');
    });
  });

  it("a deploy's change that waits for the chain head names the session holding it too, whoever it is", async () => {
    const registry = open({ decisionWaitMs: 200 });
    try {
      const pid = await holdInTransaction('SELECT 1 FROM promptctl.chain_head FOR UPDATE');
      const e = await refusal(
        registry.transaction(async (tx) => {
          await tx.lockDecision(ID, 'production');
          await tx.appendEvent({ env: 'production', promptId: ID, version: '1.0.0', previousVersion: null, action: 'deploy', actor: 'ana', reason: null });
        }),
      );
      expect(e.message).toContain(`were locked by another session (server process ${pid}, application psql, role postgres) for longer than 200ms (while appending an event to the audit log, in a transaction)`);
      expect(e.why).toMatch(/holds RowShareLock on chain_head/);
      expect(e.hint).toContain(`SELECT pg_terminate_backend(${pid});`);
      await holders.pop()!.end();
      expect((await registry.listEvents()).filter((x) => x.env === 'production')).toEqual([]);
    } finally {
      await registry.close();
    }
  });
});

const event = { env: 'production', promptId: ID, version: '1.0.0', previousVersion: null, action: 'deploy' as const, actor: 'ana', reason: null };

describe.runIf(pgOk)('a write behind a lock another session holds on PostgreSQL', () => {
  it("bounds a write transaction's wait where the server sets none, names the holder and the wait, and writes once the lock is gone", async () => {
    const registry = open({ writeLockWaitMs: 200, readLockWaitMs: 600_000 });
    try {
      const pid = await holdInTransaction('SELECT 1 FROM promptctl.chain_head FOR UPDATE');
      const e = await refusal(registry.transaction((tx) => tx.appendEvent(event)));
      expect(e.exitCode).toBe(3);
      expect(e.message).toContain(`were locked by another session (server process ${pid}, application psql, role postgres) for longer than 200ms (while appending an event to the audit log, in a transaction)`);
      expect(e.why).toMatch(/holds RowShareLock on chain_head/);
      expect(e.hint).toContain(`SELECT pg_terminate_backend(${pid});`);
      expect(`${e.message} ${e.why} ${e.hint}`).not.toMatch(/no answer|network|proxy/);
      // One write outside a transaction waits as a write does, and names that wait, not the reads' (10 min here).
      expect((await refusal(registry.appendEvent(event))).message).toMatch(/for longer than 200ms \(while appending an event to the audit log\)$/);
      await holders.pop()!.end();
      await registry.appendEvent(event);
      expect((await registry.listEvents()).filter((x) => x.env === 'production')).toHaveLength(1);
    } finally {
      await registry.close();
    }
  }, 20_000);

  it('keeps the lock_timeout the database sets for writes too, and names it', async () => {
    await withDatabaseLockTimeout('150ms', { writeLockWaitMs: 600_000 }, async (registry) => {
      await holdInTransaction('SELECT 1 FROM promptctl.chain_head FOR UPDATE');
      expect((await refusal(registry.transaction((tx) => tx.appendEvent(event)))).message).toContain('for longer than 150ms (while appending an event to the audit log, in a transaction)');
    });
  });
});

describe.runIf(pgOk)("a registry push behind another push's turn", () => {
  it('waits for the turn as long as its own bound (not a write\'s), then names the push session holding it and how to end it', async () => {
    const source = path.join(makeTempDir('promptctl-push-turn-'), 'registry.db');
    await openSqliteRegistry({ path: source }).close();
    const target = postgresTarget(team.cluster.url(team.database), { password: team.cluster.password });
    // A killed push's server session, still holding the turn it took.
    const pid = await holdInTransaction(`SELECT pg_advisory_lock(hashtext('promptctl push promptctl'))`, team.database, 'promptctl');
    const push = () => pushRegistry(source, target, { now: () => new Date().toISOString(), writeLockWaitMs: 100, turnWaitMs: 200 });
    const e = await refusal(push());
    expect(e.exitCode).toBe(3);
    expect(e.message).toMatch(/^another registry push held its turn for longer than 200ms on the PostgreSQL registry at postgres:\/\/\S+$/);
    expect(e.why).toMatch(new RegExp(`^it is held by server process ${pid} of role postgres from 127\\.0\\.0\\.1 \\(promptctl\\), in a transaction since \\d{4}-`));
    expect(e.hint).toContain('copies only what is missing');
    expect(e.hint).toContain(`SELECT pg_terminate_backend(${pid});`);
    await holders.pop()!.end();
    expect((await push()).tables.events).toEqual({ pushed: 0, already: 0 });
  }, 20_000);

  it("bounds the turn's wait at 30 s where the server sets none: a deploy's turn's, under a write's", () => {
    expect(PUSH_TURN_WAIT_MS).toBe(DECISION_WAIT_MS);
  });
});

describe.runIf(pgOk)("a registry push stopped while it waits for another push's turn", () => {
  it('ends the wait at once with the signal, having written nothing', async () => {
    const source = path.join(makeTempDir('promptctl-push-stop-'), 'registry.db');
    await openSqliteRegistry({ path: source }).close();
    const target = postgresTarget(team.cluster.url(team.database), { password: team.cluster.password });
    await holdInTransaction(`SELECT pg_advisory_lock(hashtext('promptctl push promptctl'))`);
    const stop = new AbortController();
    const pushing = pushRegistry(source, target, { now: () => new Date().toISOString(), writeLockWaitMs: 600_000, signal: stop.signal }).then(() => undefined, (err: unknown) => err as InterruptedError);
    // Stopped once the server shows it waiting for the lock: a state, not a time.
    const waiting = async () => Number((await team.cluster.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'promptctl' AND wait_event_type = 'Lock'`, [team.database]))[0]!.n);
    while ((await waiting()) === 0) await new Promise((r) => setImmediate(r));
    stop.abort();
    const e = await pushing;
    expect(e).toBeInstanceOf(InterruptedError);
    expect(e!.exitCode).toBe(130);
    expect(e!.message).toBe("interrupted while waiting for another push's turn: nothing was recorded");
  }, 20_000);
});

describe.runIf(pgOk)('registry migrate behind a session using a table it changes', () => {
  it('gives up soon, naming the session (every other statement on the table queues behind it meanwhile), and migrates once it is gone', async () => {
    const c = team.cluster;
    const db = await c.createDatabase();
    // The schema before step 8, which changes samples' column types (an ACCESS EXCLUSIVE lock).
    await c.query(`CREATE SCHEMA promptctl; SET search_path TO promptctl;
      CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
      ${PG_MIGRATIONS.slice(0, 7).join(';\n')};
      INSERT INTO schema_migrations SELECT v, 'then' FROM generate_series(1, 7) AS v;`, [], db);
    const pid = await holdInTransaction('SELECT count(*) FROM promptctl.samples', db);
    const { conn, migrate } = migrator(db, { lockWaitMs: 200 });
    try {
      const e = await refusal(migrate());
      expect(e.exitCode).toBe(3);
      expect(e.message).toMatch(new RegExp(`were locked by another session \\(server process ${pid}, application psql, role postgres\\) for longer than 200ms \\(while migrating the schema\\)$`));
      expect(e.why).toMatch(/holds AccessShareLock on samples/);
      await endSessions();
      expect(await migrate()).toEqual({ from: 7, to: PG_MIGRATIONS.length });
    } finally {
      await conn.close();
    }
  });
});

describe.runIf(pgOk)("registry migrate behind another migration's turn", () => {
  it('waits as long as its turn allows, then names the session migrating, not the network; migrates once it is gone', async () => {
    const c = team.cluster;
    const db = await c.createDatabase();
    const pid = await holdInTransaction(MIGRATE_TURN, db, 'promptctl');
    const { conn, migrate } = migrator(db, { turnWaitMs: 200 });
    try {
      const e = await refusal(migrate());
      expect(e.exitCode).toBe(3);
      expect(e.message).toMatch(/^another `promptctl registry migrate` of schema "promptctl" held its turn for longer than 200ms on the PostgreSQL registry at postgres:\/\/\S+$/);
      expect(e.why).toMatch(new RegExp(`^it is held by server process ${pid} of role postgres from 127\\.0\\.0\\.1 \\(promptctl\\), in a transaction since \\d{4}-.*migrations of one schema take turns`));
      expect(e.hint).toContain(`SELECT pg_terminate_backend(${pid});`);
      expect(`${e.message}${e.why}${e.hint}`).not.toContain(c.password);
      // Nothing was created meanwhile; once the other migration ends, this one applies every step.
      expect((await c.query(`SELECT to_regclass('promptctl.events') IS NULL AS none`, [], db))[0]).toEqual({ none: true });
      await endSessions();
      expect(await migrate()).toEqual({ from: 0, to: PG_MIGRATIONS.length });
    } finally {
      await conn.close();
    }
  });
});

describe.runIf(pgOk)("registry migrate behind another migration's turn, where the database's lock_timeout outlasts the URL's query_timeout", () => {
  it('waits the lock_timeout the administrator set and names the turn, not a statement without an answer', async () => {
    const db = await team.cluster.createDatabase();
    await team.cluster.query(`ALTER DATABASE ${db} SET lock_timeout = '1500ms'`);
    await holdInTransaction(MIGRATE_TURN, db, 'promptctl');
    const { conn, migrate } = migrator(db, {}, '?query_timeout=1000');
    try {
      const e = await refusal(migrate());
      expect(e.exitCode).toBe(3);
      expect(e.message).toMatch(/^another `promptctl registry migrate` of schema "promptctl" held its turn for longer than 1500ms on the PostgreSQL registry at /);
    } finally {
      await conn.close();
    }
  });
});

describe.runIf(pgOk)('the holder of a turn', () => {
  it('is looked for in the registry\'s database only: the same keys held in another database are another lock', async () => {
    const [elsewhere, here] = [await team.cluster.createDatabase(), await team.cluster.createDatabase()];
    const keys = ['promptctl registry migrate', 'promptctl'] as const;
    const take = `SELECT pg_advisory_xact_lock(hashtext('${keys[0]}'), hashtext('${keys[1]}'))`;
    const asker = await session(here);
    await holdInTransaction(take, elsewhere);
    expect(await advisoryLockHolder(asker, keys)).toBeUndefined();
    const pid = await holdInTransaction(take, here);
    expect((await advisoryLockHolder(asker, keys))?.pid).toBe(pid);
  });
});

describe('the lock waits of a PostgreSQL registry where the server sets none', () => {
  const target = (query = '') => postgresTarget(`postgres://promptctl@127.0.0.1:5432/registry${query}`, {});
  it.each([
    ['the answer timeout by default: 90% of 2 minutes', '', undefined, 108_000],
    ["the URL's query_timeout wins", '?query_timeout=5000', undefined, 4_500],
    ['an explicit write wait wins', '?query_timeout=5000', 300, 300],
  ])('a write transaction waits just under the answer it waits for: %s', (_what, query, writeMs, expected) => {
    expect(new PgConnection(target(query), 'columns', undefined, false, { readMs: READ_LOCK_WAIT_MS, writeMs }).writeLockWaitMs).toBe(expected);
  });

  it.each([
    ["a command's: READ_LOCK_WAIT_MS", 120_000, false, '', READ_LOCK_WAIT_MS],
    ["a command's with a short query_timeout in the URL: under it", 120_000, false, '?query_timeout=3000', 2_430],
    ["the library reader's: under its statement_timeout (90% of 90% of its 10 s answer)", 10_000, true, '', 8_100],
    ["the library reader's with the URL's query_timeout", 10_000, true, '?query_timeout=1500', 1_215],
  ])('a read waits: %s', (_what, answerMs, serverEndsLateStatements, query, expected) => {
    expect(new PgConnection(target(query), 'columns', answerMs, serverEndsLateStatements, { readMs: READ_LOCK_WAIT_MS }).readLockWaitMs).toBe(expected);
  });

  it('a step of registry migrate waits 10 s, cut to end before a short query_timeout in the URL', () => {
    expect(new PgConnection(target(), 'none').underAnswer(MIGRATE_LOCK_WAIT_MS)).toBe(10_000);
    expect(new PgConnection(target('?query_timeout=2000'), 'none').underAnswer(MIGRATE_LOCK_WAIT_MS)).toBe(1_620);
  });

  it("registry migrate waits 90 s for another migration's turn, cut to end before a short query_timeout in the URL", () => {
    expect(new PgConnection(target(), 'none').underAnswer(MIGRATE_TURN_WAIT_MS)).toBe(90_000);
    expect(new PgConnection(target('?query_timeout=2000'), 'none').underAnswer(MIGRATE_TURN_WAIT_MS)).toBe(1_620);
  });

  it('a connection that bounds no reads leaves writes to the server too', () => {
    expect(new PgConnection(target(), 'columns').writeLockWaitMs).toBeUndefined();
  });
});

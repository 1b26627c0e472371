import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy } from '../../src/app/deploy.js';
import { registryPush } from '../../src/app/registry-push.js';
import { InterruptedError } from '../../src/core/errors.js';
import { CommitCutter } from '../support/commit-cutter.js';
import { postgresAvailable } from '../support/postgres.js';
import { makeProject } from '../support/project.js';
import { teamRegistryForFile } from '../support/team-registry.js';
import { runCliInProcess } from '../support/cli.js';
import { markTested } from '../support/registry-cli.js';

/**
 * A stop signal (the AbortSignal the CLI aborts on Ctrl-C, SIGTERM or SIGHUP) stops a deploy on
 * the team registry until its COMMIT is sent, even while it waits for a lock another session holds:
 * InterruptedError with the signal's exit code, nothing recorded. Once COMMIT is sent it is too late:
 * the deploy stands and its result says the signal came late. Nothing waits on time: the lock is
 * held by a second connection until the test lets it go and seen in pg_locks, and the COMMIT is held
 * at a proxy until the test sends it on.
 */

const pgOk = postgresAvailable();
const ID = 'support-answer';
const team = teamRegistryForFile(pgOk, `${ID}@1.0.0`);
let cutter: CommitCutter;

beforeAll(async () => {
  if (pgOk) cutter = await new CommitCutter(team.cluster.port).listen();
});
afterAll(async () => {
  await cutter?.close();
});

const url = (port = team.cluster.port) => team.cluster.url(team.database, { withPassword: true }).replace(`:${team.cluster.port}/`, `:${port}/`);
const events = async () => Number((await team.cluster.query<{ n: string }>('SELECT count(*) AS n FROM promptctl.events', [], team.database))[0]!.n);

/** Resolves once a session waits for a lock on the events table (pg_locks: not granted). */
async function someoneWaitsOnEvents(): Promise<void> {
  for (;;) {
    const [row] = await team.cluster.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE NOT l.granted AND c.relname = 'events'`,
      [],
      team.database,
    );
    if (Number(row!.n) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.runIf(pgOk)('a stop signal during a deploy on the team registry', () => {
  it('stops a deploy waiting for a table another session locked: InterruptedError 143, nothing recorded', async () => {
    const dir = makeProject();
    const before = await events();
    const holder = new pg.Client({ connectionString: url() });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE promptctl.events IN ACCESS EXCLUSIVE MODE');
      const stop = new AbortController();
      const deploying = deploy({ cwd: dir, env: { PROMPTCTL_REGISTRY_URL: url() }, ref: `${ID}@1.0.0`, environment: 'development', actor: 'ana', reason: 't', signal: stop.signal }).then(
        (r) => r,
        (e: unknown) => e,
      );
      await someoneWaitsOnEvents();
      stop.abort('SIGTERM');
      // Let the lock go at once: a deploy that ignored the signal would now go on and record.
      await holder.query('ROLLBACK');
      const err = await deploying;
      expect(err).toBeInstanceOf(InterruptedError);
      expect((err as InterruptedError).exitCode).toBe(143);
      // In the deploy's words on either backend (the transaction is told what it changes).
      expect((err as InterruptedError).message).toBe(`interrupted deploying ${ID}@1.0.0 to development: nothing was recorded`);
      expect((err as InterruptedError).why).toContain('the registry is unchanged');
    } finally {
      await holder.end();
    }
    // The interrupted deploy left no event, now or later (its session is gone).
    await waitForNoPromptctlSessions();
    expect(await events()).toBe(before);
  });

  it('lets a deploy whose COMMIT was sent stand, exit 0, and says the signal came too late', async () => {
    const dir = makeProject();
    const before = await events();
    const stop = new AbortController();
    const held = cutter.holdNextCommit();
    const deploying = deploy({ cwd: dir, env: { PROMPTCTL_REGISTRY_URL: url(cutter.port) }, ref: `${ID}@1.0.0`, environment: 'production', actor: 'ana', reason: 'late', signal: stop.signal });
    const send = await held;
    stop.abort('SIGTERM');
    send();
    const r = await deploying;
    expect(r.exitCode).toBe(0);
    expect(r.event).toMatchObject({ action: 'deploy', env: 'production', seq: before + 1 });
    expect(r.lateSignal).toBe('SIGTERM');
    expect(await events()).toBe(before + 1);
  });
});

describe.runIf(pgOk)('a stop signal during a registry push', () => {
  it('stops the push before its first write when it came while the push waited for its turn: nothing pushed', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`);
    const database = await team.cluster.createDatabase();
    const to = team.cluster.url(database, { withPassword: true });
    const migrated = await runCliInProcess(['registry', 'migrate'], { cwd: dir, env: { PROMPTCTL_REGISTRY_URL: to } });
    expect(migrated.code, migrated.output).toBe(0);
    // Another push's turn (push.ts: a session advisory lock on the schema), held until the test lets it go.
    const holder = new pg.Client({ connectionString: to });
    await holder.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(hashtext('promptctl push promptctl'))`);
      const stop = new AbortController();
      const pushing = registryPush({ cwd: dir, env: { PROMPTCTL_REGISTRY_URL: to }, signal: stop.signal }).then((r) => r, (e: unknown) => e);
      for (;;) {
        const [row] = await team.cluster.query<{ n: string }>(`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`, [], database);
        if (Number(row!.n) > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      stop.abort('SIGINT');
      await holder.query(`SELECT pg_advisory_unlock(hashtext('promptctl push promptctl'))`);
      const err = await pushing;
      expect(err).toBeInstanceOf(InterruptedError);
      expect((err as InterruptedError).exitCode).toBe(130);
      expect((err as InterruptedError).hint).toContain('promptctl registry push');
    } finally {
      await holder.end();
    }
    const counts = await team.cluster.query<{ v: string; e: string }>('SELECT (SELECT count(*) FROM promptctl.prompt_versions) AS v, (SELECT count(*) FROM promptctl.events) AS e', [], database);
    expect(counts[0]).toEqual({ v: '0', e: '0' });
  });
});

/** Every promptctl session on the database has ended (a connection the signal cut included). */
async function waitForNoPromptctlSessions(): Promise<void> {
  for (;;) {
    const [row] = await team.cluster.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'promptctl'`, [team.database]);
    if (Number(row!.n) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

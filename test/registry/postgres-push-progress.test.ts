import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { PushProgress } from '../../src/app/index.js';
import { pushRegistry } from '../../src/infra/registry/push.js';
import { postgresTarget } from '../../src/infra/registry/target.js';
import { runCliInProcess, type RunResult } from '../support/cli.js';
import { postgresAvailable, postgresAndSimulatorForFile } from '../support/postgres.js';
import { makeSimProject, registryPath } from '../support/project.js';

/**
 * `registry push` tells a person watching what it is doing before its summary: that it waits for
 * another push's turn, naming the session that holds it and the wait in force (before, it said
 * nothing until the wait ran out), and, when the runs take more than one batch, how far their copy
 * has got, at each tenth. A push of one batch says nothing until its summary.
 */

const pgOk = postgresAvailable();
const live = postgresAndSimulatorForFile();
const ID = 'support-answer';

let other: pg.Client | undefined;
afterEach(async () => {
  await other?.query('ROLLBACK').catch(() => {});
  await other?.end().catch(() => {});
  other = undefined;
});

async function ok(dir: string, env: Record<string, string>, ...args: string[]): Promise<RunResult> {
  const r = await runCliInProcess(args, { cwd: dir, env });
  expect(r.code, `promptctl ${args.join(' ')}\n${r.output}`).toBe(0);
  return r;
}

/** A local registry with the runs of two versions' evals, and a migrated, empty team database. */
async function localAndTeam(): Promise<{ dir: string; db: string }> {
  const db = await live.cluster.createDatabase();
  const dir = makeSimProject(live.sim.url);
  await ok(dir, { PROMPTCTL_REGISTRY_URL: live.cluster.url(db, { withPassword: true }) }, 'registry', 'migrate');
  await ok(dir, {}, 'eval', `${ID}@1.0.0`);
  await ok(dir, {}, 'eval', `${ID}@1.1.0`);
  return { dir, db };
}

describe.runIf(pgOk)('registry push progress', () => {
  it('tells how far a copy of runs in several batches has got, by tenths, ending at every run; one batch says nothing', async () => {
    const { dir, db } = await localAndTeam();
    const target = postgresTarget(live.cluster.url(db), { password: live.cluster.password });
    const events: PushProgress[] = [];
    const now = () => new Date().toISOString();
    // One run per batch: four runs, four batches.
    const first = await pushRegistry(registryPath(dir), target, { now, samplesPerBatch: 1, onProgress: (e) => events.push(e) });
    const runs = first.tables.runs.pushed;
    expect(runs).toBe(4);
    expect(events.map((e) => (e.type === 'runs-copied' ? `${e.done}/${e.total}` : e.type))).toEqual(['1/4', '2/4', '3/4', '4/4']);
    const last = events.at(-1);
    expect(last?.type === 'runs-copied' && last.samples).toBe(first.tables.samples.pushed);

    // Everything is there now, and the default batch holds it all: nothing to tell before the summary.
    events.length = 0;
    await pushRegistry(registryPath(dir), target, { now, onProgress: (e) => events.push(e) });
    expect(events).toEqual([]);
  });

  it("says it waits for another push's turn, naming the session holding it and the wait, before giving up", async () => {
    const { dir, db } = await localAndTeam();
    const c = live.cluster;
    // A killed push's server session, still holding the turn it took.
    other = new pg.Client({ host: c.host, port: c.port, user: c.user, password: c.password, database: db, application_name: 'promptctl' });
    await other.connect();
    await other.query('BEGIN');
    await other.query(`SELECT pg_advisory_lock(hashtext('promptctl push promptctl'))`);
    const pid = Number((await other.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);
    const url = `${c.url(db)}?options=${encodeURIComponent('-c lock_timeout=300')}`;
    const r = await runCliInProcess(['registry', 'push', '--to', url], { cwd: dir, env: { PGPASSWORD: c.password } });
    expect(r.code, r.output).toBe(3);
    const waiting = `waiting for another registry push to finish (server process ${pid} of role ${c.user} from 127.0.0.1 (promptctl), in a transaction since `;
    expect(r.stderr).toContain(waiting);
    expect(r.stderr).toMatch(/: pushes take turns; waiting up to 300ms$/m);
    expect(r.stderr.indexOf(waiting)).toBeLessThan(r.stderr.indexOf('another registry push held its turn for longer than 300ms'));
    expect(r.output).not.toContain(c.password);
  });
});

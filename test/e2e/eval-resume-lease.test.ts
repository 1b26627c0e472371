import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InterruptedError, runEval } from '../../src/app/index.js';
import { loadProject } from '../../src/infra/project.js';
import { openProjectRegistry } from '../../src/infra/project-registry.js';
import { runCliInProcess, type RunResult } from '../support/cli.js';
import { startHeldProxy, type HeldProxy } from '../support/held-proxy.js';
import { postgresAvailable, startPostgres, type PgCluster } from '../support/postgres.js';
import { generatedGoldenSuite, makeSimProject, registryPath, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';
import { systemClock } from '../../src/infra/clock.js';

/**
 * Two `eval --resume` of one interrupted run at once used to send its missing cases twice. Now the
 * run's lease in the registry lets only one of them send: the other exits 3 naming the holder and
 * when its lease expires, and sends nothing. A lease whose holder is gone expires, and the next
 * --resume takes the run over and sends each missing case exactly once. The first eval is held in
 * the middle of its run by a proxy in front of the simulator, so nothing here depends on timing.
 * On SQLite and on PostgreSQL.
 */

const CASES = 12;
const STOP_AFTER = 4;
const pgOk = postgresAvailable();
const sim = simulatorForFile();
let proxy: HeldProxy;
let cluster: PgCluster | undefined;

beforeAll(async () => {
  proxy = await startHeldProxy(sim.origin);
  if (pgOk) cluster = await startPostgres();
});
afterAll(async () => {
  await proxy.close();
});

/** A registry's tables as a test reads and edits them behind promptctl's back ($1… placeholders). */
interface Backend {
  name: string;
  skip: boolean;
  /** The environment that points promptctl at this registry. */
  env(): Promise<Record<string, string>>;
  sql<R>(dir: string, env: Record<string, string>, statement: string, params: unknown[]): Promise<R[]>;
}

const sqlite: Backend = {
  name: 'sqlite',
  skip: false,
  env: async () => ({}),
  async sql<R>(dir: string, _env: Record<string, string>, statement: string, params: unknown[]) {
    const db = new Database(registryPath(dir));
    try {
      // No lease table: a registry from before leases (leaving nothing behind, as none can be taken).
      if (statement.includes('run_leases') && !db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'run_leases'").get()) return [];
      const stmt = db.prepare(statement.replace(/\$\d+/g, '?'));
      return (stmt.reader ? stmt.all(...params) : (stmt.run(...params), [])) as R[];
    } finally {
      db.close();
    }
  },
};

const postgres: Backend = {
  name: 'postgres',
  skip: !pgOk,
  async env() {
    const url = cluster!.url(await cluster!.createDatabase(), { withPassword: true });
    return { PROMPTCTL_REGISTRY_URL: url };
  },
  async sql<R>(_dir: string, env: Record<string, string>, statement: string, params: unknown[]) {
    const database = new URL(env.PROMPTCTL_REGISTRY_URL!).pathname.slice(1);
    // The registry's tables live in its schema (one statement with parameters cannot SET search_path first).
    return (await cluster!.query(statement.replace(/\b(run_leases|samples|runs)\b/g, 'promptctl.$1'), params, database)) as R[];
  },
};

const args = (suite: string) => ['eval', 'support-answer@1.1.0', '--suite', suite];

async function until(ok: () => boolean): Promise<void> {
  while (!ok()) await new Promise((r) => setTimeout(r, 5));
}

describe.each([sqlite, postgres])('two eval --resume of one run ($name registry)', (backend) => {
  let dir: string;
  let env: Record<string, string>;
  const test = backend.skip ? it.skip : it;
  beforeAll(async () => {
    if (backend.skip) return;
    // One request at a time, so a held request holds the whole run.
    dir = makeSimProject(proxy.url, { concurrency: 1 });
    for (const suite of ['together', 'planted']) {
      writeProjectFile(dir, `evalsets/support-answer/${suite}.yaml`, generatedGoldenSuite({ count: CASES, versions: '1.1.0', prefix: suite }));
    }
    env = await backend.env();
    if (backend.name === 'postgres') expect((await runCliInProcess(['registry', 'migrate'], { cwd: dir, env })).code).toBe(0);
  });

  const sql = <R>(statement: string, ...params: unknown[]) => backend.sql<R>(dir, env, statement, params);
  const samplesOf = (runId: string) => sql<{ case_id: string; sample: number }>('SELECT case_id, sample FROM samples WHERE run_id = $1', runId);
  const leasesOf = (runId: string) => sql('SELECT holder, expires_at FROM run_leases WHERE run_id = $1', runId);

  /** Runs the suite and stops it with Ctrl-C after a few answers: an interrupted run with cases missing. */
  async function interruptedRun(suite: string): Promise<{ runId: string; recorded: number }> {
    const controller = new AbortController();
    let answered = 0;
    const error = await runEval({
      cwd: dir,
      env: { PROMPTCTL_ACTOR: 'tester@example.com', ...env },
      refs: ['support-answer@1.1.0'],
      suite: [suite],
      signal: controller.signal,
      onProgress: (e) => {
        if (e.type === 'sample' && ++answered === STOP_AFTER) controller.abort('SIGINT');
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InterruptedError);
    const [run] = await sql<{ id: string; status: string }>('SELECT id, status FROM runs WHERE suite = $1', suite);
    expect(run!.status).toBe('aborted');
    // Ctrl-C released the lease: the next --resume needs no waiting.
    expect(await leasesOf(run!.id)).toEqual([]);
    const recorded = (await samplesOf(run!.id)).length;
    expect(recorded).toBeGreaterThanOrEqual(STOP_AFTER);
    expect(recorded).toBeLessThan(CASES);
    return { runId: run!.id, recorded };
  }

  async function expectEveryCaseOnce(runId: string): Promise<void> {
    const rows = await samplesOf(runId);
    expect(rows).toHaveLength(CASES);
    expect(new Set(rows.map((r) => `${r.case_id}#${r.sample}`)).size).toBe(CASES);
  }

  test('the second, started while the first is mid-run, exits 3 naming the holder and sends nothing; each missing case is sent once', async () => {
    const { runId, recorded } = await interruptedRun('together');
    const before = proxy.chats();
    proxy.hold();
    const first = runCliInProcess([...args('together'), '--resume', '--json'], { cwd: dir, env });
    await until(() => proxy.waiting() === 1);

    let secondEnded = false;
    const second = runCliInProcess([...args('together'), '--resume'], { cwd: dir, env }).then((r) => ((secondEnded = true), r));
    // Refused, or (before leases) held at the proxy with a request of its own.
    await until(() => secondEnded || proxy.waiting() > 1);
    proxy.release();
    const [a, b]: [RunResult, RunResult] = await Promise.all([first, second]);

    expect(b.code, b.output).toBe(3);
    expect(b.stderr).toContain(`run ${runId} (support-answer@1.1.0, suite together) is already being run by ${process.pid}@${hostname()} (invocation `);
    expect(b.stderr).toMatch(/its lease lasts until \d{4}-\d\d-\d\dT[\d:.]+Z/);
    expect(b.stderr).toMatch(/^hint: wait for that eval to end.*If that process crashed, its lease runs out at .* and the next --resume takes the run over/m);
    expect(a.code, a.output).toBe(0);
    expect(JSON.parse(a.stdout).runs[0].run).toMatchObject({ id: runId, status: 'finished' });
    expect(proxy.chats() - before).toBe(CASES - recorded);
    await expectEveryCaseOnce(runId);
    expect(await leasesOf(runId)).toEqual([]);
  });

  test('a live lease of another machine refuses --resume; once it has expired, --resume takes the run over and sends each missing case once', async () => {
    const { runId, recorded } = await interruptedRun('planted');
    // Another machine's eval holds the run (its process cannot be checked from here).
    const other = openProjectRegistry(loadProject(dir), { env, clock: systemClock });
    expect(await other.acquireLease(runId, '4242@ci-runner-7 (invocation 0c1d)', 3_600_000)).toMatchObject({ ok: true });
    await other.close();

    const before = proxy.chats();
    const refused = await runCliInProcess([...args('planted'), '--resume'], { cwd: dir, env });
    expect(refused.code, refused.output).toBe(3);
    expect(refused.stderr).toContain('is already being run by 4242@ci-runner-7 (invocation 0c1d); its lease lasts until');
    expect(proxy.chats()).toBe(before);
    expect(await samplesOf(runId)).toHaveLength(recorded);

    // That machine crashed: nobody renewed the lease, and it expired.
    await sql("UPDATE run_leases SET expires_at = '2000-01-01T00:00:00.000Z' WHERE run_id = $1", runId);
    const resumed = await runCliInProcess([...args('planted'), '--resume', '--json'], { cwd: dir, env });
    expect(resumed.code, resumed.output).toBe(0);
    expect(JSON.parse(resumed.stdout).runs[0].run).toMatchObject({ id: runId, status: 'finished' });
    expect(proxy.chats() - before).toBe(CASES - recorded);
    await expectEveryCaseOnce(runId);
    expect(await leasesOf(runId)).toEqual([]);
  });
});

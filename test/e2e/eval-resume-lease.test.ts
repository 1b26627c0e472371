import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InterruptedError, runEval } from '../../src/app/index.js';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import { startSimulator, type Simulator } from '../../src/sim/server.js';
import { runCliInProcess, type RunResult } from '../support/cli.js';
import { startHeldProxy, type HeldProxy } from '../support/held-proxy.js';
import { cleanupTempDirs, generatedGoldenSuite, makeSimProject, registryPath, withRegistry, writeProjectFile } from '../support/project.js';

/**
 * Two `eval --resume` of one interrupted run at once used to send its missing cases twice. Now the
 * run's lease in the registry lets only one of them send: the other exits 3 naming the holder and
 * when its lease expires, and sends nothing. A lease whose holder is gone expires, and the next
 * --resume takes the run over and sends each missing case exactly once. The first eval is held in
 * the middle of its run by a proxy in front of the simulator, so nothing here depends on timing.
 */

const CASES = 12;
const STOP_AFTER = 4;
let sim: Simulator;
let proxy: HeldProxy;
let dir: string;

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  proxy = await startHeldProxy(sim.origin);
  // One request at a time, so a held request holds the whole run.
  dir = makeSimProject(proxy.url, { concurrency: 1 });
  for (const suite of ['together', 'planted']) {
    writeProjectFile(dir, `evalsets/support-answer/${suite}.yaml`, generatedGoldenSuite({ count: CASES, versions: '1.1.0', prefix: suite }));
  }
});
afterAll(async () => {
  await proxy.close();
  await sim.close();
  cleanupTempDirs();
});

const args = (suite: string) => ['eval', 'support-answer@1.1.0', '--suite', suite];
const samplesOf = (runId: string) => withRegistry(dir, (db) => db.prepare('SELECT case_id, sample FROM samples WHERE run_id = ?').all(runId) as Array<{ case_id: string; sample: number }>);
/** The leases left on a run (none on a registry from before leases, which has no such table). */
const leasesOf = (runId: string) =>
  withRegistry(dir, (db) => (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'run_leases'").get() ? db.prepare('SELECT holder, expires_at FROM run_leases WHERE run_id = ?').all(runId) : []));

async function until(ok: () => boolean): Promise<void> {
  while (!ok()) await new Promise((r) => setTimeout(r, 5));
}

/** Runs the suite and stops it with Ctrl-C after a few answers: an interrupted run with cases missing. */
async function interruptedRun(suite: string): Promise<{ runId: string; recorded: number }> {
  const controller = new AbortController();
  let answered = 0;
  const error = await runEval({
    cwd: dir,
    env: { PROMPTCTL_ACTOR: 'tester@example.com' },
    refs: ['support-answer@1.1.0'],
    suite: [suite],
    signal: controller.signal,
    onProgress: (e) => {
      if (e.type === 'sample' && ++answered === STOP_AFTER) controller.abort('SIGINT');
    },
  }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InterruptedError);
  const run = withRegistry(dir, (db) => db.prepare('SELECT id, status FROM runs WHERE suite = ?').get(suite) as { id: string; status: string });
  expect(run.status).toBe('aborted');
  // Ctrl-C released the lease: the next --resume needs no waiting.
  expect(leasesOf(run.id)).toEqual([]);
  const recorded = samplesOf(run.id).length;
  expect(recorded).toBeGreaterThanOrEqual(STOP_AFTER);
  expect(recorded).toBeLessThan(CASES);
  return { runId: run.id, recorded };
}

function expectEveryCaseOnce(runId: string): void {
  const rows = samplesOf(runId);
  expect(rows).toHaveLength(CASES);
  expect(new Set(rows.map((r) => `${r.case_id}#${r.sample}`)).size).toBe(CASES);
}

describe('two eval --resume of one run', () => {
  it('the second, started while the first is mid-run, exits 3 naming the holder and sends nothing; each missing case is sent once', async () => {
    const { runId, recorded } = await interruptedRun('together');
    const before = proxy.chats();
    proxy.hold();
    const first = runCliInProcess([...args('together'), '--resume', '--json'], { cwd: dir });
    await until(() => proxy.waiting() === 1);

    let secondEnded = false;
    const second = runCliInProcess([...args('together'), '--resume'], { cwd: dir }).then((r) => ((secondEnded = true), r));
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
    expectEveryCaseOnce(runId);
    expect(leasesOf(runId)).toEqual([]);
  });

  it('a live lease of another machine refuses --resume; once it has expired, --resume takes the run over and sends each missing case once', async () => {
    const { runId, recorded } = await interruptedRun('planted');
    // Another machine's eval holds the run (its process cannot be checked from here).
    const other = openSqliteRegistry({ path: registryPath(dir) });
    expect(await other.acquireLease(runId, '4242@ci-runner-7 (invocation 0c1d)', 3_600_000)).toMatchObject({ ok: true });
    await other.close();

    const before = proxy.chats();
    const refused = await runCliInProcess([...args('planted'), '--resume'], { cwd: dir });
    expect(refused.code, refused.output).toBe(3);
    expect(refused.stderr).toContain('is already being run by 4242@ci-runner-7 (invocation 0c1d); its lease lasts until');
    expect(proxy.chats()).toBe(before);
    expect(samplesOf(runId)).toHaveLength(recorded);

    // That machine crashed: nobody renewed the lease, and it expired.
    const db = new Database(registryPath(dir));
    db.prepare("UPDATE run_leases SET expires_at = '2000-01-01T00:00:00.000Z' WHERE run_id = ?").run(runId);
    db.close();
    const resumed = await runCliInProcess([...args('planted'), '--resume', '--json'], { cwd: dir });
    expect(resumed.code, resumed.output).toBe(0);
    expect(JSON.parse(resumed.stdout).runs[0].run).toMatchObject({ id: runId, status: 'finished' });
    expect(proxy.chats() - before).toBe(CASES - recorded);
    expectEveryCaseOnce(runId);
    expect(leasesOf(runId)).toEqual([]);
  });
});

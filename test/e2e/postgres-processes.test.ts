import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/sim/server.js';
import type { Simulator } from '../../src/sim/types.js';
import { REPO_ROOT, runCliAsync, runNodeAsync, type RunResult } from '../support/cli.js';
import { postgresAvailable, startPostgres, type PgCluster } from '../support/postgres.js';
import { cleanupTempDirs, makeSimProject, relaxLatencyGate } from '../support/project.js';

/**
 * 16 promptctl processes at once, from two separate working copies of one project, deploy and roll
 * back two environments on one PostgreSQL registry, 20 operations each. Whatever the interleaving:
 * every operation that reported an event is in the log exactly once and nothing else is, the chain
 * is gapless and verifies, nothing exits 70, and at most 1% exit 3 (contention). Nothing here
 * depends on timing: only outcomes are checked.
 *
 * Each process runs its 20 operations one after another through the built library (dist/app, the
 * use cases the CLI calls; test/support/operations-process.mjs): every operation opens the registry,
 * connects and decides on its own, as a command does, without paying Node's start-up and the CLI's
 * loading 320 times (about 0.3 s of CPU each, three quarters of this test's cost). The commands
 * themselves on PostgreSQL (options, output, exit codes) are tested in
 * test/registry/postgres-cli.test.ts, and racing as spawned binaries in test/e2e/concurrency.test.ts.
 */

const pgOk = postgresAvailable();
const ID = 'support-answer';
// Half the processes change staging and half development: decisions about one environment take
// turns (an advisory lock), while every append of both meets at the one chain head.
const ENVS = ['staging', 'development'];
const VERSIONS = ['1.0.0', '1.1.0'];
const PROCESSES = 16;
const OPERATIONS = 20;

let cluster: PgCluster;
let sim: Simulator;
let copies: string[];
let env: Record<string, string>;

const RUNNER = path.join(REPO_ROOT, 'test/support/operations-process.mjs');

async function ok(dir: string, ...args: string[]): Promise<RunResult> {
  const r = await runCliAsync(args, { cwd: dir, env, timeoutMs: 120_000 });
  expect(r.code, `promptctl ${args.join(' ')}\n${r.output}`).toBe(0);
  return r;
}

beforeAll(async () => {
  if (!pgOk) return;
  [cluster, sim] = await Promise.all([startPostgres(), startSimulator({ port: 0 })]);
  // Two checkouts of the same project: the same files, so the same content hashes and tested marks.
  copies = [makeSimProject(sim.url), makeSimProject(sim.url)];
  // Latencies of separate runs on a loaded machine are noise; this test is about the log.
  for (const dir of copies) relaxLatencyGate(dir);
  env = { PROMPTCTL_REGISTRY_URL: cluster.url(await cluster.createDatabase(), { withPassword: true }) };
  await ok(copies[0]!, 'registry', 'migrate');
  await ok(copies[0]!, 'eval', `${ID}@1.0.0`);
  await ok(copies[1]!, 'eval', `${ID}@1.1.0`);
  // The seed deploys (1.0.0 then 1.1.0 in each environment, so both have something to roll back to)
  // in one process through the same library as the operations below, not four spawned binaries:
  // they are set-up, not what this test checks.
  const seeds = ENVS.flatMap((environment) => VERSIONS.map((v) => ({ kind: 'deploy', options: { ref: `${ID}@${v}`, environment, actor: 'seed' } })));
  const seeded = await runNodeAsync(RUNNER, [JSON.stringify(seeds)], { cwd: copies[0]!, env, timeoutMs: 120_000 });
  expect(seeded.code, seeded.output).toBe(0);
  const outcomes = seeded.stdout.trim().split('\n').map((line) => JSON.parse(line) as Outcome);
  expect(outcomes.map((o) => ({ exitCode: o.exitCode, action: o.event?.action })), seeded.output).toEqual(seeds.map(() => ({ exitCode: 0, action: 'deploy' })));
}, 300_000);
afterAll(async () => {
  await sim?.close();
  cleanupTempDirs();
});


interface Operation {
  kind: 'deploy' | 'rollback';
  options: { actor: string; environment: string; ref?: string; id?: string };
}
/** What a process reports of one operation: the exit code the CLI would give, and its event. */
interface Outcome extends Operation {
  exitCode: number;
  event?: { seq: number; action: string; actor: string };
  /** A refused rollback's reason. */
  reason?: string;
  error?: string;
}

async function processes(n: number): Promise<Outcome[]> {
  const environment = ENVS[(n >> 1) % 2]!;
  const operations: Operation[] = Array.from({ length: OPERATIONS }, (_, k) => {
    const actor = `p${n}-op${k}@example.com`;
    return (n + k) % 2 === 0
      ? { kind: 'deploy', options: { ref: `${ID}@${VERSIONS[(n + (k >> 1)) % 2]}`, environment, actor } }
      : { kind: 'rollback', options: { id: ID, environment, actor } };
  });
  const r = await runNodeAsync(RUNNER, [JSON.stringify(operations)], { cwd: copies[n % 2]!, env, timeoutMs: 300_000 });
  expect(r.code, `process ${n}\n${r.output}`).toBe(0);
  const outcomes = r.stdout.trim().split('\n').map((line) => JSON.parse(line) as Outcome);
  expect(outcomes, `process ${n}\n${r.output}`).toHaveLength(OPERATIONS);
  return outcomes;
}

describe.runIf(pgOk)('16 processes from two working copies on one PostgreSQL registry', () => {
  it('lose and duplicate no event; the chain verifies; no exit 70; at most 1% exit 3', { timeout: 600_000 }, async () => {
    const logged = async () => (await cluster.query<{ seq: string; actor: string; action: string }>(
      'SELECT seq, actor, action FROM promptctl.events ORDER BY seq', [], new URL(env.PROMPTCTL_REGISTRY_URL!).pathname.slice(1)));
    const before = (await logged()).length;
    const all = (await Promise.all(Array.from({ length: PROCESSES }, (_, n) => processes(n)))).flat();
    expect(all).toHaveLength(PROCESSES * OPERATIONS);

    const reported = new Map<number, Outcome>();
    let unusable = 0;
    for (const o of all) {
      const where = JSON.stringify(o);
      expect([0, 1, 3], where).toContain(o.exitCode);
      if (o.exitCode === 3) {
        unusable++;
        continue;
      }
      if (o.exitCode === 1) {
        // Only a rollback with nowhere to go is refused.
        expect(o.kind, where).toBe('rollback');
        expect(o.reason, where).toMatch(/nothing to roll back to/);
        continue;
      }
      if (!o.event) {
        // Nothing to append: the version was already active when this process decided.
        expect(o.kind, where).toBe('deploy');
        continue;
      }
      expect(o.event, where).toMatchObject({ action: o.kind, actor: o.options.actor });
      expect(reported.has(o.event.seq), `event #${o.event.seq} reported twice`).toBe(false);
      reported.set(o.event.seq, o);
    }
    expect(unusable, 'exit 3 from contention').toBeLessThanOrEqual(Math.floor(all.length / 100));

    // The log holds exactly the reported events: none lost, none duplicated, none unreported.
    const events = await logged();
    expect(events.map((e) => Number(e.seq))).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
    const added = events.slice(before);
    expect(added).toHaveLength(reported.size);
    expect(new Set(added.map((e) => e.actor)).size).toBe(added.length);
    for (const e of added) expect(reported.get(Number(e.seq)), `event #${e.seq}`).toMatchObject({ kind: e.action, options: { actor: e.actor } });
    expect(reported.size).toBeGreaterThan(0);

    const verify = await ok(copies[1]!, 'audit', 'verify');
    expect(verify.stdout).toContain(`${events.length} events, hash chain intact`);
  });
});

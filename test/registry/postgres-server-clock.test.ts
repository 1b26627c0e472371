import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/infra/project.js';
import { versionRecordOf } from '../../src/infra/project-registry.js';
import { auditVerify } from '../../src/app/audit.js';
import { registryPruneCache } from '../../src/app/registry-admin.js';
import { history } from '../../src/app/history.js';
import type { RunRecord, RunSummary } from '../../src/core/schemas/run.js';
import { countingRun, runsSinceCounting } from '../../src/infra/eval/counting-run.js';
import type { Registry } from '../../src/infra/registry/types.js';
import { openPostgresRegistry } from '../../src/infra/registry/postgres/registry.js';
import { postgresTarget } from '../../src/infra/registry/target.js';
import { runCliInProcess } from '../support/cli.js';
import { startPostgres, type PgCluster } from '../support/postgres.js';
import { cleanupTempDirs, makeProject, registryPath } from '../support/project.js';
import { registerFiles } from '../support/registry-cli.js';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import { backends, type FreshRegistry } from './backends.js';

/**
 * A team registry shared by machines whose clocks disagree by minutes: what decides (which run is
 * newest, who holds a lease, how old a cached answer is) follows the PostgreSQL server's clock,
 * never a client's. Each instance stands for one machine, with its own (skewed) clock.
 */

const pg = backends().find((b) => b.name === 'postgres')!;
const test = pg.skip ? it.skip : it;
const MIN = 60_000;
const HOUR = 60 * MIN;
/** A machine whose clock is `offsetMs` off. */
const skewed = (offsetMs: number) => ({ date: () => new Date(Date.now() + offsetMs) });
/** The same as a use case takes it (its timers are not used here). */
const appClock = (offsetMs: number) => ({ ...skewed(offsetMs), now: () => 0, after: () => () => {} });

const summary = (verdict: RunSummary['verdict']): RunSummary => ({
  cases: 1, passed: verdict === 'passed' ? 1 : 0, failed: verdict === 'passed' ? 0 : 1, errored: 0, notRun: 0, samples: 1,
  passRate: verdict === 'passed' ? 1 : 0, verdict, latencyP50: 1, latencyP95: 1, latencyP99: 1, tokensIn: 1, tokensOut: 1, piiLeaks: 0,
});
const target = { promptId: 'support-answer', version: '1.0.0', promptHash: 'ph', suite: 'golden', suiteHash: 'sh', model: 'sim-model' };

/** One machine: its clock, and the registry it opened on that clock (as eval opens it: one clock for both). */
interface Machine {
  clock: { date(): Date };
  reg: Registry;
}

/** A complete run of `target`, started and finished by machine `m` at its clock's time (as eval's session does). */
async function evaluated(m: Machine, id: string, verdict: RunSummary['verdict'], over: Partial<RunSummary> = {}): Promise<void> {
  const { reg, clock } = m;
  const startedAt = clock.date().toISOString();
  const run: Omit<RunRecord, 'status' | 'endedAt' | 'summary'> = {
    ...target, id, invocationId: `inv-${id}`, inputsKey: `k-${id}`, suiteKind: 'golden', server: 'http://127.0.0.1:8000/v1', promptctlVersion: '0.2.0', startedAt,
  };
  await reg.createRun(run);
  await reg.finishRun(id, 'finished', { ...summary(verdict), ...over }, clock.date().toISOString());
}

describe('PostgreSQL registry: the server\'s clock decides, not the clients\'', () => {
  let store: FreshRegistry;
  let cluster: PgCluster;
  beforeEach(async () => {
    if (!pg.skip) store = await pg.fresh();
  });
  /** A project whose registry is a fresh, migrated team database of its own. */
  async function teamProject() {
    cluster ??= await startPostgres();
    const url = cluster.url(await cluster.createDatabase(), { withPassword: true });
    const cwd = makeProject();
    const env = { PROMPTCTL_REGISTRY_URL: url };
    expect((await runCliInProcess(['registry', 'migrate'], { cwd, env })).code).toBe(0);
    return { cwd, env, url, target: postgresTarget(url, {}) };
  }
  const machine = (offsetMs: number): Machine => {
    const clock = skewed(offsetMs);
    return { clock, reg: store.open(clock) };
  };

  test('the newest run is the one the server saw end last: a runner whose clock is an hour ahead does not hide a later failing run', async () => {
    const ahead = machine(HOUR);
    const right = machine(0);
    await evaluated(ahead, 'passed-on-runner-1', 'passed');
    await evaluated(right, 'failed-on-runner-2', 'failed');
    // The one rule every consumer asks (marks, gates, compare, report, --filter-failing).
    expect((await countingRun(right.reg, target))?.id).toBe('failed-on-runner-2');
    await evaluated(ahead, 'partial-later', 'failed', { partial: true });
    expect((await runsSinceCounting(right.reg, target)).later.map((r) => r.id)).toEqual(['partial-later']);
    // Recorded times are the server's: within a minute of this (correct) machine's clock, whoever wrote them.
    for (const r of await right.reg.listRuns({})) {
      for (const at of [r.startedAt, r.endedAt!]) expect(Math.abs(Date.parse(at) - Date.now())).toBeLessThan(MIN);
    }
  });

  test('a lease lasts its time on the server\'s clock: a machine whose clock is ahead cannot take over a live one, nor does one behind write a lease others find expired', async () => {
    const right = machine(0);
    const ahead = machine(2 * MIN);
    const behind = machine(-2 * MIN);
    const live = await right.reg.acquireLease('run-1', 'right@host-a', MIN);
    expect(live).toMatchObject({ ok: true });
    expect(await ahead.reg.acquireLease('run-1', 'ahead@host-b', MIN)).toEqual({ ok: false, holder: 'right@host-a', expiresAt: live.expiresAt });
    expect(await right.reg.renewLease('run-1', 'right@host-a', MIN)).toBe(true);
    expect(await behind.reg.acquireLease('run-2', 'behind@host-c', MIN)).toMatchObject({ ok: true });
    expect(await right.reg.acquireLease('run-2', 'right@host-a', MIN)).toMatchObject({ ok: false, holder: 'behind@host-c' });
    // Its expiry is the server's now plus the time to live, whichever clock the holder has.
    for (const r of [ahead, behind]) {
      const taken = await r.reg.acquireLease(`run-of-${r === ahead ? 'ahead' : 'behind'}`, 'x', MIN);
      expect(Math.abs(Date.parse(taken.expiresAt) - (Date.now() + MIN))).toBeLessThan(MIN / 2);
    }
  });

  test('registry prune-cache ages answers by the server\'s clock: neither the pruning machine\'s clock nor the caching machine\'s matters', async () => {
    const { cwd, env, target } = await teamProject();
    // Cached just now by a machine whose clock is 3 h behind.
    const writer = openPostgresRegistry({ target, clock: skewed(-3 * HOUR) });
    await writer.putCachedResponse('k1', { output: 'answer', latencyMs: 1, tokensIn: 1, tokensOut: 1 });
    await writer.close();
    // Pruned from a machine whose clock is 2 h ahead: nothing is an hour old.
    const dry = await registryPruneCache({ cwd, env, clock: appClock(2 * HOUR), olderThan: '1h', dryRun: true });
    expect(dry).toMatchObject({ backend: 'postgres', answers: 0 });
    expect(Math.abs(Date.parse(dry.before!) - (Date.now() - HOUR))).toBeLessThan(MIN);
  });

  test('audit verify from a machine 10 min behind blames its clock, not the events the server dated', async () => {
    const { cwd, env, target } = await teamProject();
    const writer = openPostgresRegistry({ target, clock: skewed(0) });
    await writer.appendEvent({ env: 'staging', promptId: 'support-answer', version: '1.0.0', previousVersion: null, action: 'deploy', actor: 'ana', reason: null });
    await writer.close();
    const verdict = await auditVerify({ cwd, env, clock: appClock(-10 * MIN) });
    expect(verdict).toMatchObject({ ok: true, events: 1, exitCode: 0 });
    expect(verdict.warnings).toEqual([expect.stringMatching(/^this machine's clock is about 10 min behind the registry server's \(.* here, .* on the server\): the server dates every event, so the events are not at fault/)]);
  });

  test('history --since <age> counts back from the server\'s clock: a machine 10 min ahead still sees the deploy made a minute ago', async () => {
    const { cwd, env, target } = await teamProject();
    const writer = openPostgresRegistry({ target, clock: skewed(0) });
    await writer.appendEvent({ env: 'staging', promptId: 'support-answer', version: '1.0.0', previousVersion: null, action: 'deploy', actor: 'ana', reason: null });
    await writer.close();
    expect((await history({ cwd, env, clock: appClock(10 * MIN), since: '5m' })).events.map((e) => e.version)).toEqual(['1.0.0']);
    expect((await history({ cwd, env, clock: appClock(-10 * MIN), since: '2999-01-01' })).events).toEqual([]);
  });

  test('registry push refuses (exit 2, nothing written) a log with an event dated after the server\'s clock', async () => {
    const { cwd, url } = await teamProject();
    // A laptop whose clock runs a day ahead deployed to its own SQLite registry.
    const laptop = openSqliteRegistry({ path: registryPath(cwd), clock: skewed(24 * HOUR) });
    await laptop.appendEvent({ env: 'staging', promptId: 'support-answer', version: '1.0.0', previousVersion: null, action: 'deploy', actor: 'ana', reason: null });
    await laptop.putCachedResponse('k1', { output: 'answer', latencyMs: 1, tokensIn: 1, tokensOut: 1 });
    const [event] = await laptop.listEvents();
    await laptop.close();
    const pushed = await runCliInProcess(['registry', 'push', '--to', url.replace(/:[^:@/]*@/, '@')], { cwd, env: { PGPASSWORD: cluster.password } });
    expect(pushed.code, pushed.output).toBe(2);
    expect(pushed.stderr).toMatch(new RegExp(`event #1 is dated ${event!.at.replace(/\./g, '\\.')}, 14\\d\\d min after the clock of the server of .*; nothing was pushed`));
    expect(pushed.stderr).toContain('--skip-events');
    const team = openPostgresRegistry({ target: postgresTarget(url, {}), readonly: true });
    expect(await team.listEvents()).toEqual([]);
    expect((await team.stats()).counts.cachedResponses).toBe(0);
    await team.close();
  });
  test('registry push refuses (exit 2, nothing written) a run dated after the server\'s clock, --skip-events or not: it would outrank the team\'s newer runs', async () => {
    const { cwd, url } = await teamProject();
    const laptop = { clock: skewed(24 * HOUR), reg: openSqliteRegistry({ path: registryPath(cwd), clock: skewed(24 * HOUR) }) };
    await evaluated(laptop, 'run-ahead', 'passed');
    await laptop.reg.putCachedResponse('k1', { output: 'answer', latencyMs: 1, tokensIn: 1, tokensOut: 1 });
    const ahead = (await laptop.reg.getRun('run-ahead'))!;
    await laptop.reg.close();
    const to = url.replace(/:[^:@/]*@/, '@');
    for (const args of [['registry', 'push', '--to', to], ['registry', 'push', '--to', to, '--skip-events']]) {
      const pushed = await runCliInProcess(args, { cwd, env: { PGPASSWORD: cluster.password } });
      expect(pushed.code, pushed.output).toBe(2);
      expect(pushed.stderr).toContain(`run run-ahead (support-answer@1.0.0, suite golden) is dated ${ahead.endedAt}, `);
      expect(pushed.stderr).toMatch(/min after the clock of the server of .*; nothing was pushed/);
      expect(pushed.stderr).not.toContain('--skip-events');
    }
    const team = openPostgresRegistry({ target: postgresTarget(url, {}), readonly: true });
    expect(await team.listRuns({})).toEqual([]);
    expect((await team.stats()).counts.cachedResponses).toBe(0);
    await team.close();
  });

  test('registry push judges only the runs it pushes: a run dated ahead on a draft the team holds with other content stays local, and is not refused', async () => {
    const { cwd, url, target } = await teamProject();
    // The team holds support-answer@1.0.0 with other content than this laptop's draft of that number.
    const team = openPostgresRegistry({ target, clock: skewed(0) });
    const other = makeProject();
    const file = path.join(other, 'prompts', 'support-answer', '1.0.0.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^description: .*$/m, "description: the team's 1.0.0"));
    await team.registerVersion(versionRecordOf(loadProject(other).prompts.find((p) => p.version === '1.0.0')!));
    registerFiles(cwd, 'support-answer@1.0.0');
    // The laptop, its clock a day ahead, evaluated its draft (a run on its own content, `ph`).
    const laptop = { clock: skewed(24 * HOUR), reg: openSqliteRegistry({ path: registryPath(cwd), clock: skewed(24 * HOUR) }) };
    await evaluated(laptop, 'draft-run-ahead', 'passed');
    await laptop.reg.close();
    const pushed = await runCliInProcess(['registry', 'push', '--to', url.replace(/:[^:@/]*@/, '@'), '--json'], { cwd, env: { PGPASSWORD: cluster.password } });
    expect(pushed.code, pushed.output).toBe(0);
    expect(JSON.parse(pushed.stdout).leftLocal.runs).toEqual([{ id: 'draft-run-ahead', prompt: 'support-answer', version: '1.0.0', suite: 'golden' }]);
    expect(await team.listRuns({})).toEqual([]);
    await team.close();
  });
});

afterAll(() => cleanupTempDirs());

import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/core/errors.js';
import type { ProgressEvent } from '../../src/core/schemas/report.js';
import { keepLeases, localProcessGone, takeRunLease, type LeasePolicy } from '../../src/infra/eval/run-leases.js';
import { runSession } from '../../src/infra/eval/session.js';
import { requireSuites, selectVersions } from '../../src/infra/eval/targets.js';
import { clientFromConfig } from '../../src/infra/model/from-config.js';
import { loadProject } from '../../src/infra/project.js';
import { openProjectRegistry } from '../../src/infra/project-registry.js';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import type { Registry } from '../../src/infra/registry/types.js';
import { startSimulator, type Simulator } from '../../src/sim/server.js';
import { fakeClock } from '../support/fake-clock.js';
import { startHeldProxy, type HeldProxy } from '../support/held-proxy.js';
import { cleanupTempDirs, generatedGoldenSuite, makeSimProject, makeTempDir, registryPath, writeProjectFile } from '../support/project.js';

/**
 * How an eval keeps its run leases: renewed every third of their time to live on the clock's
 * timers (a fake clock here, advanced by hand), released at the end, and a lease another eval took
 * over stops the run. Time to live and clock are injected, so nothing waits.
 */

const EPOCH = Date.UTC(2026, 0, 1); // fakeClock's date at now() === 0
const iso = (ms: number) => new Date(EPOCH + ms).toISOString();
const policy = (holder: string, ttlMs = 3000): LeasePolicy => ({ holder, ttlMs, holderGone: () => false });
const opened: Registry[] = [];
const open = (path: string, clock: { date(): Date }) => (opened.push(openSqliteRegistry({ path, clock })), opened.at(-1)!);

afterEach(async () => {
  for (const r of opened.splice(0)) await r.close();
});
afterAll(() => cleanupTempDirs());

describe('keepLeases', () => {
  it('renews every third of the time to live, so the lease outlives it; release stops the timers and frees the lease', async () => {
    const path = join(makeTempDir(), 'registry.db');
    const clock = fakeClock();
    const a = open(path, clock);
    await a.acquireLease('r1', 'A', 3000);
    const lost: string[] = [];
    const held = keepLeases(a, ['r1'], policy('A'), clock, (id) => lost.push(id));
    for (let i = 0; i < 3; i++) clock.advance(1000);
    await held.settled();
    expect(await a.acquireLease('r1', 'B', 3000)).toEqual({ ok: false, holder: 'A', expiresAt: iso(6000) });
    await held.release();
    expect(clock.timers()).toBe(0);
    expect(await a.acquireLease('r1', 'B', 3000)).toEqual({ ok: true, expiresAt: iso(6000) });
    expect(lost).toEqual([]);
  });

  it('a lease another eval took over after it expired is lost: reported once, not renewed, not released', async () => {
    const path = join(makeTempDir(), 'registry.db');
    const clock = fakeClock();
    const a = open(path, clock);
    await a.acquireLease('r1', 'A', 3000);
    const lost: string[] = [];
    const held = keepLeases(a, ['r1'], policy('A'), clock, (id) => lost.push(id));
    // This process stalled: another one, whose clock reads later, finds the lease expired.
    const b = open(path, { date: () => new Date(EPOCH + 7000) });
    expect(await b.acquireLease('r1', 'B', 3000)).toMatchObject({ ok: true });
    clock.advance(1000);
    clock.advance(1000);
    await held.settled();
    expect(lost).toEqual(['r1']);
    expect(held.lost()).toEqual(['r1']);
    await held.release();
    expect(await a.acquireLease('r1', 'A', 3000)).toMatchObject({ ok: false, holder: 'B' });
  });
});

describe('takeRunLease', () => {
  const run = { id: 'r1', promptId: 'support', version: '1.1.0', suite: 'golden' };

  it('refuses a live holder with exit 3, naming it and when its lease runs out', async () => {
    const reg = open(join(makeTempDir(), 'registry.db'), fakeClock());
    await takeRunLease(reg, run, policy('A'));
    const error = await takeRunLease(reg, run, policy('B')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error).toMatchObject({ exitCode: 3, message: `run r1 (support@1.1.0, suite golden) is already being run by A; its lease lasts until ${iso(3000)}` });
  });

  it('takes over at once a live lease whose holder is known to be gone', async () => {
    const reg = open(join(makeTempDir(), 'registry.db'), fakeClock());
    await takeRunLease(reg, run, policy('A'));
    await takeRunLease(reg, run, { ...policy('B'), holderGone: (h) => h === 'A' });
    expect(await reg.renewLease('r1', 'B', 3000)).toBe(true);
  });
});

describe('localProcessGone', () => {
  it('is true only for a process of this host that no longer exists', () => {
    const ended = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const deadPid = Number(ended.stdout.trim());
    expect(localProcessGone(`${deadPid}@${hostname()} (invocation x)`)).toBe(true);
    expect(localProcessGone(`${process.pid}@${hostname()} (invocation x)`)).toBe(false);
    expect(localProcessGone(`${process.ppid}@${hostname()} (invocation x)`)).toBe(false);
    // Another machine's process cannot be checked from here: its lease must run out.
    expect(localProcessGone(`${deadPid}@not-${hostname()} (invocation x)`)).toBe(false);
    expect(localProcessGone('someone')).toBe(false);
  });
});

describe('a session whose lease was taken over', () => {
  let sim: Simulator;
  let proxy: HeldProxy;
  let dir: string;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    proxy = await startHeldProxy(sim.origin);
    dir = makeSimProject(proxy.url, { concurrency: 1 });
    writeProjectFile(dir, 'evalsets/support-answer/taken.yaml', generatedGoldenSuite({ count: 6, versions: '1.1.0' }));
    writeProjectFile(dir, 'evalsets/support-answer/quietly.yaml', generatedGoldenSuite({ count: 3, versions: '1.1.0', prefix: 'quietly' }));
  });
  afterAll(async () => {
    await proxy.close();
    await sim.close();
  });

  /**
   * A session of `suite` as holder A on a fake clock, its first request held by the proxy; resolves
   * once that request waits, with the run's id and another registry connection whose clock reads
   * past A's lease (a resume elsewhere).
   */
  async function heldSession(suite: string, onProgress: (e: ProgressEvent) => void = () => {}) {
    const project = loadProject(dir);
    const clock = fakeClock();
    const registry = openProjectRegistry(project, { env: {}, clock });
    opened.push(registry);
    const { client } = clientFromConfig(project.config, {});
    proxy.hold();
    const before = proxy.chats();
    const session = runSession({
      project, registry, client, clock,
      targets: requireSuites(project, await selectVersions(project, ['support-answer@1.1.0'], async () => undefined), { only: [suite], optionNames: 'keys' }),
      concurrency: 1, useCache: false, resume: false, server: proxy.url, promptctlVersion: 'test',
      onProgress,
      lease: policy('A'),
    }).catch((e: unknown) => e);
    while (proxy.waiting() === 0) await new Promise((r) => setTimeout(r, 5));
    const runId = (await registry.listRuns({ suite }))[0]!.id;
    const other = open(registryPath(dir), { date: () => new Date(EPOCH + 10_000) });
    return { clock, registry, before, session, runId, other };
  }

  it('stops sending at its next renewal and throws exit 3, leaving the run to the eval that took it', async () => {
    const warnings: string[] = [];
    const { clock, registry, before, session, runId, other } = await heldSession('taken', (e) => void (e.type === 'warning' && warnings.push(e.message)));
    // A resume elsewhere, after this session's lease expired unrenewed (its clock reads later).
    expect(await other.acquireLease(runId, 'B', 3000)).toMatchObject({ ok: true });
    clock.advance(1000);
    while (warnings.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(warnings).toEqual([`another eval took over run ${runId} after its lease expired unrenewed: stopping, so that no case is sent twice`]);
    proxy.release();
    const error = await session;
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).toBe(`run ${runId} (support-answer@1.1.0, suite taken) was taken over by another eval: this one could not renew its lease in time`);
    // Only the request already in flight was sent, and its late answer was not written (the fence):
    // the run stays unfinished for the other eval, with nothing of this one's in it.
    expect(proxy.chats() - before).toBe(1);
    expect((await registry.getRun(runId))?.status).toBe('running');
    expect(await registry.getSamples(runId)).toEqual([]);
    expect(await other.acquireLease(runId, 'B', 3000)).toMatchObject({ ok: true });
  });

  it('checks its leases before finishing: a run taken over since the last renewal is neither finished nor marked', async () => {
    const { registry, session, runId, other } = await heldSession('quietly');
    // Taken over between two renewals (none comes due: the clock does not move), then the last answers arrive.
    expect(await other.acquireLease(runId, 'B', 3000)).toMatchObject({ ok: true });
    proxy.release();
    const error = await session;
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).toBe(`run ${runId} (support-answer@1.1.0, suite quietly) was taken over by another eval: this one could not renew its lease in time`);
    expect((await registry.getRun(runId))?.status).toBe('running');
    // The answers that arrived after the takeover never reached the run the other eval now writes.
    expect(await registry.getSamples(runId)).toEqual([]);
  });
});

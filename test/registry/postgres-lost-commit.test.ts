import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess, type RunResult } from '../support/cli.js';
import { CommitCutter, type CutMode } from '../support/commit-cutter.js';
import { postgresAvailable, postgresAndSimulatorForFile } from '../support/postgres.js';
import { makeSimProject, readProjectFile, relaxLatencyGate, writeProjectFile } from '../support/project.js';

/**
 * A connection lost right after promptctl sent COMMIT (a TCP proxy cuts it, 30 tries): whether the
 * COMMIT reached the server (`forward`) or not (`drop`), or reached it and its answer came back
 * before the cut (`reply`: only what the command sends after COMMIT meets the lost connection),
 * deploy and rollback end with exit 0 and exactly one event each, and the chain verifies. The modes
 * go round in threes and the commands in twos, so each command meets each mode. This tests the idempotency key and the settling
 * of a lost COMMIT (postgres/settle.ts), not PostgreSQL's own rollback. Nothing waits on time: the
 * proxy counts its cuts, and the event log is read after each command.
 */

const pgOk = postgresAvailable();
const ID = 'support-answer';
const live = postgresAndSimulatorForFile();
let cutter: CommitCutter;
const MODES: readonly CutMode[] = ['forward', 'drop', 'reply'];

beforeAll(async () => {
  if (!pgOk) return;
  cutter = await new CommitCutter(live.cluster.port).listen();
});
afterAll(async () => {
  await cutter?.close();
});

async function ok(dir: string, url: string, ...args: string[]): Promise<RunResult> {
  const r = await runCliInProcess(args, { cwd: dir, env: { PROMPTCTL_REGISTRY_URL: url } });
  expect(r.code, `promptctl ${args.join(' ')}\n${r.output}`).toBe(0);
  expect(r.output).not.toContain(live.cluster.password);
  return r;
}

describe.runIf(pgOk)('a COMMIT lost on the way (PostgreSQL through a cutting proxy)', () => {
  it('each deploy and rollback whose connection is cut after COMMIT leaves exactly one event; the chain verifies', { timeout: 600_000 }, async () => {
    const dir = makeSimProject(live.sim.url);
    relaxLatencyGate(dir); // latencies of separate runs on a loaded machine are noise
    const db = await live.cluster.createDatabase();
    const direct = live.cluster.url(db, { withPassword: true });
    const proxied = direct.replace(`:${live.cluster.port}/`, `:${cutter.port}/`);
    await ok(dir, direct, 'registry', 'migrate');
    await ok(dir, direct, 'eval', `${ID}@1.0.0`);
    await ok(dir, direct, 'eval', `${ID}@1.1.0`);
    const newest = async () => (await live.cluster.query<{ n: string; action: string; version: string }>(
      'SELECT (SELECT count(*) FROM promptctl.events) AS n, action, version FROM promptctl.events ORDER BY seq DESC LIMIT 1', [], db))[0]!;
    let before = Number((await newest()).n);
    for (let i = 0; i < 30; i++) {
      const mode = MODES[i % MODES.length]!;
      // deploy 1.0.0 once, then deploy 1.1.0 and roll back to 1.0.0 in turn.
      const args = i === 0 ? ['deploy', `${ID}@1.0.0`] : i % 2 === 1 ? ['deploy', `${ID}@1.1.0`] : ['rollback', ID];
      cutter.arm(mode);
      const r = await ok(dir, proxied, ...args, '--env', 'staging', '--actor', 'ana', '--json');
      expect(cutter.cuts, `try ${i}: the proxy cut the connection after COMMIT`).toBe(i + 1);
      const last = await newest();
      expect(Number(last.n), `try ${i} (${mode}, ${args[0]}): exactly one event\n${r.output}`).toBe(before + 1);
      expect(last).toMatchObject({ action: args[0], version: i % 2 === 1 ? '1.1.0' : '1.0.0' });
      expect(JSON.parse(r.stdout).event).toMatchObject({ action: args[0], seq: before + 1 });
      before = Number(last.n);
    }
    expect((await ok(dir, direct, 'audit', 'verify')).stdout).toMatch(/hash chain intact/);
    const status = JSON.parse((await ok(dir, direct, 'status', '--json')).stdout) as { rows: Array<{ promptId: string; env: string; version?: string }> };
    expect(status.rows.find((r) => r.promptId === ID && r.env === 'staging')?.version).toBe('1.1.0');
  });

  it('a deploy that also takes back its draft content (another checkout evaluated other content under the number) settles too', { timeout: 300_000 }, async () => {
    // The supersede event the deploy appends carries no key; the deploy event's key alone tells
    // whether the one transaction landed. Before, any unkeyed event made it exit 3 although it landed.
    const mine = makeSimProject(live.sim.url);
    const theirs = makeSimProject(live.sim.url);
    for (const dir of [mine, theirs]) relaxLatencyGate(dir);
    const db = await live.cluster.createDatabase();
    const direct = live.cluster.url(db, { withPassword: true });
    const proxied = direct.replace(`:${live.cluster.port}/`, `:${cutter.port}/`);
    await ok(mine, direct, 'registry', 'migrate');
    const source = readProjectFile(mine, `prompts/${ID}/1.1.0.yaml`);
    for (const [i, mode] of MODES.entries()) {
      const version = `1.2.${i}`;
      const text = source.replace(/^version: 1\.1\.0$/m, `version: ${version}`);
      writeProjectFile(mine, `prompts/${ID}/${version}.yaml`, text);
      writeProjectFile(theirs, `prompts/${ID}/${version}.yaml`, text.replace('one short sentence', 'one wee sentence'));
      await ok(mine, direct, 'eval', `${ID}@${version}`);
      await ok(theirs, direct, 'eval', `${ID}@${version}`);
      const before = Number((await live.cluster.query<{ n: string }>('SELECT count(*) AS n FROM promptctl.events', [], db))[0]!.n);
      cutter.arm(mode);
      const r = await ok(mine, proxied, 'deploy', `${ID}@${version}`, '--env', 'staging', '--actor', 'ana', '--json');
      const added = await live.cluster.query<{ action: string; version: string }>('SELECT action, version FROM promptctl.events WHERE seq > $1 ORDER BY seq', [before], db);
      expect(added.map((e) => `${e.action} ${e.version}`), `${mode}\n${r.output}`).toEqual([`supersede ${version}`, `deploy ${version}`]);
    }
    expect((await ok(mine, direct, 'audit', 'verify')).stdout).toMatch(/hash chain intact/);
  });

  it('a deploy with nothing to do and a rollback with nothing to roll back to keep their own outcome when their COMMIT is lost', { timeout: 300_000 }, async () => {
    // They wrote nothing, so landed or not the state is the same: before, both were exit 3 "lost while committing".
    const dir = makeSimProject(live.sim.url);
    relaxLatencyGate(dir);
    const db = await live.cluster.createDatabase();
    const direct = live.cluster.url(db, { withPassword: true });
    const proxied = direct.replace(`:${live.cluster.port}/`, `:${cutter.port}/`);
    await ok(dir, direct, 'registry', 'migrate');
    await ok(dir, direct, 'eval', `${ID}@1.0.0`);
    await ok(dir, direct, 'deploy', `${ID}@1.0.0`, '--env', 'staging', '--actor', 'ana');
    const rollback = ['rollback', ID, '--env', 'staging', '--actor', 'ana'];
    const refused = await runCliInProcess(rollback, { cwd: dir, env: { PROMPTCTL_REGISTRY_URL: direct } });
    expect(refused.code, refused.output).toBe(1);
    // And in an environment with no event at all, whose "nothing to roll back" also stands on the log's length.
    const never = ['rollback', ID, '--env', 'development', '--actor', 'ana'];
    const neverRefused = await runCliInProcess(never, { cwd: dir, env: { PROMPTCTL_REGISTRY_URL: direct } });
    expect(neverRefused.code, neverRefused.output).toBe(1);
    for (const mode of MODES) {
      const cuts = cutter.cuts;
      cutter.arm(mode, { anyCommit: true });
      expect((await ok(dir, proxied, 'deploy', `${ID}@1.0.0`, '--env', 'staging', '--actor', 'ana')).stdout).toContain('already active');
      cutter.arm(mode, { anyCommit: true });
      const r = await runCliInProcess(rollback, { cwd: dir, env: { PROMPTCTL_REGISTRY_URL: proxied } });
      cutter.arm(mode, { anyCommit: true });
      const n = await runCliInProcess(never, { cwd: dir, env: { PROMPTCTL_REGISTRY_URL: proxied } });
      expect(cutter.cuts, mode).toBe(cuts + 3);
      expect({ code: r.code, output: r.output }, mode).toEqual({ code: refused.code, output: refused.output });
      expect({ code: n.code, output: n.output }, mode).toEqual({ code: neverRefused.code, output: neverRefused.output });
    }
    expect(Number((await live.cluster.query<{ n: string }>('SELECT count(*) AS n FROM promptctl.events', [], db))[0]!.n)).toBe(2);
  });

  it('a registry push whose COMMIT is lost exits 3 saying so, not as a bug, and pushed again completes', async () => {
    const dir = makeSimProject(live.sim.url);
    expect((await runCliInProcess(['eval', `${ID}@1.0.0`], { cwd: dir })).code).toBe(0);
    const db = await live.cluster.createDatabase();
    await ok(dir, live.cluster.url(db, { withPassword: true }), 'registry', 'migrate');
    const env = { PGPASSWORD: live.cluster.password };
    const before = cutter.cuts;
    cutter.arm('drop');
    const cut = await runCliInProcess(['registry', 'push', '--to', live.cluster.url(db).replace(`:${live.cluster.port}/`, `:${cutter.port}/`)], { cwd: dir, env });
    expect(cutter.cuts).toBe(before + 1);
    expect(cut.code, cut.output).toBe(3);
    expect(cut.output).toContain('while pushing');
    expect(cut.output).not.toMatch(/hit a bug/);
    expect(cut.output).not.toContain(live.cluster.password);
    const again = await runCliInProcess(['registry', 'push', '--to', live.cluster.url(db), '--json'], { cwd: dir, env });
    expect(again.code, again.output).toBe(0);
    expect(JSON.parse(again.stdout).verify).toMatchObject({ ok: true });
  });
});

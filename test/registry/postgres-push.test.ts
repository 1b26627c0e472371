import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess, type RunResult } from '../support/cli.js';
import { postgresAvailable, postgresAndSimulatorForFile } from '../support/postgres.js';
import { makeSimProject, registryPath, relaxLatencyGate } from '../support/project.js';
import { loadProject } from '../../src/infra/project.js';
import { versionRecordOf } from '../../src/infra/project-registry.js';
import { generateSigningKey } from '../../src/infra/ed25519.js';
import { roleNames, rolesSql } from '../../src/infra/registry/postgres/roles.js';
import { addFinishedRun, editVersionFile, markReleased, markTested, patchConfig, readChain, registerFiles, withProjectRegistry } from '../support/registry-cli.js';

/**
 * `promptctl registry push` from local SQLite registries made by real commands into a real,
 * throwaway PostgreSQL: the team registry then answers status, history and audit verify as the
 * local one did; a second push changes nothing; runs from a second registry join; a diverged log
 * is refused (exit 1) naming the first differing event; a push after more local events appends
 * only those. The password never appears in any output.
 */

const pgOk = postgresAvailable();
const ID = 'support-answer';
const live = postgresAndSimulatorForFile();

type Env = Record<string, string | undefined>;

async function cli(dir: string, env: Env, ...args: string[]): Promise<RunResult> {
  const r = await runCliInProcess(args, { cwd: dir, env });
  expect(r.output, 'the password must never be printed').not.toContain(live.cluster.password);
  return r;
}

async function ok(dir: string, env: Env, ...args: string[]): Promise<RunResult> {
  const r = await cli(dir, env, ...args);
  expect(r.code, `promptctl ${args.join(' ')}\n${r.output}`).toBe(0);
  return r;
}

const json = async (dir: string, env: Env, ...args: string[]) => JSON.parse((await ok(dir, env, ...args, '--json')).stdout);

/** A migrated, empty team database: its URL without the password, and the environment that holds the password. */
async function teamDatabase(): Promise<{ db: string; url: string; team: Env; push: Env }> {
  const db = await live.cluster.createDatabase();
  const team = { PROMPTCTL_REGISTRY_URL: live.cluster.url(db, { withPassword: true }) };
  await ok(makeSimProject(live.sim.url), team, 'registry', 'migrate');
  return { db, url: live.cluster.url(db), team, push: { PGPASSWORD: live.cluster.password } };
}

/** What a team sees: status, history and audit verify, with nothing that names the backend. */
async function views(dir: string, env: Env) {
  const status = await json(dir, env, 'status');
  const history = await json(dir, env, 'history');
  const verify = await json(dir, env, 'audit', 'verify');
  return { status, history, verify: { ok: verify.ok, events: verify.events } };
}

function counts(r: { tables: Record<string, { pushed: number; already: number }> }) {
  return Object.fromEntries(Object.entries(r.tables).map(([k, v]) => [k, [v.pushed, v.already]]));
}

describe.runIf(pgOk)('promptctl registry push', () => {
  it('copies a registry made by eval, deploy and rollback; the team registry answers as the local one; a second push changes nothing', async () => {
    const { url, team, push } = await teamDatabase();
    const dir = makeSimProject(live.sim.url);
    // The deploy of 1.1.0 compares p95 latencies of separate runs: on a loaded machine they differ by more than the limit.
    relaxLatencyGate(dir);
    await ok(dir, {}, 'eval', `${ID}@1.0.0`);
    await ok(dir, {}, 'eval', `${ID}@1.1.0`);
    await ok(dir, {}, 'deploy', `${ID}@1.0.0`, '--env', 'staging', '--actor', 'ana');
    await ok(dir, {}, 'deploy', `${ID}@1.1.0`, '--env', 'staging', '--actor', 'ana');
    await ok(dir, {}, 'rollback', ID, '--env', 'staging', '--actor', 'ana', '--reason', 'latency');
    const local = await views(dir, {});

    const first = await json(dir, push, 'registry', 'push', '--to', url);
    expect(first.to).toBe(url);
    expect(first.verify).toMatchObject({ ok: true, events: local.verify.events });
    expect(first.tables.events).toEqual({ pushed: local.verify.events, already: 0 });
    expect(first.tables.runs.pushed).toBeGreaterThanOrEqual(2);
    expect(first.tables.samples.pushed).toBeGreaterThan(0);
    expect(first.tables.cachedResponses.pushed).toBeGreaterThan(0);
    expect(first.tables.versions.pushed).toBe(2);

    expect(await views(dir, team)).toEqual(local);
    const info = await json(dir, team, 'registry', 'info');
    expect(info.counts).toMatchObject({ versions: 2, testedMarks: 2, events: local.verify.events });

    const again = await json(dir, push, 'registry', 'push', '--to', url);
    expect(Object.values(counts(again)).every(([pushed]) => pushed === 0), JSON.stringify(again.tables)).toBe(true);
    expect(counts(again)).toEqual(Object.fromEntries(Object.entries(counts(first)).map(([k, [p, a]]) => [k, [0, p! + a!]])));
    expect((await ok(dir, push, 'registry', 'push', '--to', url)).stdout).toMatch(/audit events\s+0 pushed, \d+ already there[\s\S]*hash chain intact/);
    expect(await views(dir, team)).toEqual(local);

    // The runs carried how they were graded: the adversarial suite's refusal check by the patterns,
    // so a judge model configured since leaves its mark stale on the team registry too.
    patchConfig(dir, (c) => {
      c.server.judge_model = 'sim-model';
    });
    const regraded = (await json(dir, team, 'status', '--env', 'staging')).rows[0];
    expect(regraded).toMatchObject({ version: '1.0.0', tested: false, staleSuites: [{ suite: 'adversarial', why: 'grading' }] });
  });

  it('three pushes of one log at once all succeed: what one appended first is already there for the others', async () => {
    const { url, team, push } = await teamDatabase();
    const dir = makeSimProject(live.sim.url);
    markTested(dir, `${ID}@1.0.0`, `${ID}@1.1.0`);
    await ok(dir, {}, 'deploy', `${ID}@1.0.0`, '--env', 'staging', '--actor', 'ana');
    const results = await Promise.all([0, 1, 2].map(() => cli(dir, push, 'registry', 'push', '--to', url, '--json')));
    for (const r of results) expect(r.code, r.output).toBe(0);
    const events = results.map((r) => JSON.parse(r.stdout).tables.events as { pushed: number; already: number });
    expect(events.reduce((n, e) => n + e.pushed, 0)).toBe(3);
    expect(events.every((e) => e.pushed + e.already === 3)).toBe(true);
    expect(await views(dir, team)).toEqual(await views(dir, {}));
  });

  it('pushed again after more local events (an interrupted or earlier push), appends only the new ones', async () => {
    const { url, team, push } = await teamDatabase();
    const dir = makeSimProject(live.sim.url);
    markTested(dir, `${ID}@1.0.0`, `${ID}@1.1.0`);
    await ok(dir, {}, 'deploy', `${ID}@1.0.0`, '--env', 'staging', '--actor', 'ana');
    const first = await json(dir, push, 'registry', 'push', '--to', url);
    expect(first.tables.events.pushed).toBe(3);
    await ok(dir, {}, 'deploy', `${ID}@1.1.0`, '--env', 'staging', '--actor', 'ana');
    await ok(dir, {}, 'rollback', ID, '--env', 'staging', '--actor', 'ana');
    const second = await json(dir, push, 'registry', 'push', '--to', url);
    expect(second.tables.events).toEqual({ pushed: 2, already: 3 });
    expect(second.verify).toMatchObject({ ok: true, events: 5 });
    expect(await views(dir, team)).toEqual(await views(dir, {}));
  });

  it('takes runs from a second local registry (its own log left out), and refuses its diverged log naming the first differing event', async () => {
    const { url, team, push } = await teamDatabase();
    const laptop = makeSimProject(live.sim.url);
    markTested(laptop, `${ID}@1.0.0`);
    await ok(laptop, {}, 'deploy', `${ID}@1.0.0`, '--env', 'staging', '--actor', 'ana');
    const fromLaptop = (await json(laptop, push, 'registry', 'push', '--to', url)).tables.runs.pushed as number;

    const runner = makeSimProject(live.sim.url);
    await ok(runner, {}, 'eval', `${ID}@1.1.0`);
    const refused = await cli(runner, push, 'registry', 'push', '--to', url);
    expect(refused.code, refused.output).toBe(1);
    expect(refused.output).toMatch(/diverged at event #1: sha256:[0-9a-f]{64} there, sha256:[0-9a-f]{64} here/);
    const before = await json(runner, team, 'registry', 'info');
    expect(before.counts.runs).toBe(fromLaptop); // nothing of the refused push was written

    const runsOnly = await json(runner, push, 'registry', 'push', '--to', url, '--skip-events');
    expect(runsOnly.eventsSkipped).toBe(true);
    expect(runsOnly.tables.runs.pushed).toBeGreaterThanOrEqual(1);
    expect(runsOnly.tables.versions).toEqual({ pushed: 1, already: 0 }); // 1.1.0; the runner registered no 1.0.0
    // A runner whose log is empty (runs recorded, no mark earned) needs no flag.
    const bare = makeSimProject(live.sim.url);
    addFinishedRun(bare, `${ID}@1.0.0`, { suite: 'golden', passRate: 0.5 });
    const plain = await json(bare, push, 'registry', 'push', '--to', url);
    expect(plain.tables.runs).toEqual({ pushed: 1, already: 0 });
    const after = await json(laptop, team, 'registry', 'info');
    expect(after.counts.runs).toBe(fromLaptop + runsOnly.tables.runs.pushed + 1);
    expect((await json(laptop, team, 'audit', 'verify')).ok).toBe(true);
  });

  it('refuses a run held with other content and a version released with other content (exit 1, naming it); leaves a draft of a number the team holds local, with its runs, listing them', async () => {
    const { url, team, push } = await teamDatabase();
    const dir = makeSimProject(live.sim.url);
    markTested(dir, `${ID}@1.0.0`);
    markReleased(dir, `${ID}@1.0.0`, 'staging');
    const runId = addFinishedRun(dir, `${ID}@1.0.0`, { suite: 'golden', passRate: 1 });
    await ok(dir, push, 'registry', 'push', '--to', url);
    // A copy of the file whose run was changed since (the same id, another summary).
    const copy = makeSimProject(live.sim.url);
    mkdirSync(path.dirname(registryPath(copy)), { recursive: true });
    copyFileSync(registryPath(dir), registryPath(copy));
    withProjectRegistry(copy, (registry) => registry.finishRun(runId, 'finished', { ...registry.getRun(runId)!.summary!, passRate: 0.25 }, '2001-01-01T00:00:00.000Z'));
    const run = await cli(copy, push, 'registry', 'push', '--to', url);
    expect(run.code, run.output).toBe(1);
    expect(run.output).toContain(`run ${runId} (${ID}@1.0.0, suite golden)`);

    // A draft registered here under a number the team released with other content (ci registered it,
    // then refused the number, and the file was renamed): it and its run stay local, everything else is pushed.
    const other = makeSimProject(live.sim.url);
    const file = path.join(other, 'prompts', ID, '1.0.0.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^description: .*$/m, 'description: another 1.0.0'));
    registerFiles(other, `${ID}@1.0.0`, `${ID}@1.1.0`);
    const draftRun = addFinishedRun(other, `${ID}@1.0.0`, { suite: 'golden', passRate: 1 });
    const before = (await json(other, team, 'registry', 'info')).counts;
    const text = await ok(other, push, 'registry', 'push', '--to', url);
    expect(text.output).toMatch(/left in the local registry only \(1 draft, 1 run on their content\):\n {2}support-answer@1\.0\.0: .* holds support-answer@1\.0\.0 released with other content/);
    expect(text.output).toContain(`runs ${draftRun} (golden)`);
    const again = await json(other, push, 'registry', 'push', '--to', url);
    expect(again.leftLocal.versions).toEqual([expect.objectContaining({ prompt: ID, version: '1.0.0', teamState: 'released' })]);
    expect(again.leftLocal.runs).toEqual([{ id: draftRun, prompt: ID, version: '1.0.0', suite: 'golden' }]);
    expect(again.tables.versions).toEqual({ pushed: 0, already: 1 }); // 1.1.0, pushed the first time
    const after = (await json(other, team, 'registry', 'info')).counts;
    expect(after).toMatchObject({ versions: before.versions + 1, runs: before.runs });
    expect(withProjectRegistry(other, (r) => r.getRun(draftRun)?.status)).toBe('finished'); // still recorded here

    // Released here too with other content: the two registries disagree about what was served.
    markReleased(other, `${ID}@1.0.0`, 'development');
    const version = await cli(other, push, 'registry', 'push', '--to', url, '--skip-events');
    expect(version.code, version.output).toBe(1);
    expect(version.output).toMatch(/support-answer@1\.0\.0 is registered with other content .* and this registry released it/);
    expect(version.output).toContain('promptctl history support-answer');
  });

  it('needs a migrated target (exit 3 naming registry migrate) and never takes a password on the command line (exit 2)', async () => {
    const dir = makeSimProject(live.sim.url);
    markTested(dir, `${ID}@1.0.0`);
    const db = await live.cluster.createDatabase();
    const unmigrated = await cli(dir, { PGPASSWORD: live.cluster.password }, 'registry', 'push', '--to', live.cluster.url(db));
    expect(unmigrated.code, unmigrated.output).toBe(3);
    expect(unmigrated.output).toMatch(/promptctl registry migrate/);
    const withPassword = await cli(dir, {}, 'registry', 'push', '--to', live.cluster.url(db, { withPassword: true }));
    expect(withPassword.code).toBe(2);
    expect(withPassword.output).toMatch(/--to must not contain a password/);
    const nowhere = await cli(dir, {}, 'registry', 'push');
    expect(nowhere.code).toBe(2);
    // Without --to, the configured team registry (PROMPTCTL_REGISTRY_URL) is the target.
    await ok(dir, { PROMPTCTL_REGISTRY_URL: live.cluster.url(db, { withPassword: true }) }, 'registry', 'migrate');
    const pushed = await json(dir, { PROMPTCTL_REGISTRY_URL: live.cluster.url(db, { withPassword: true }) }, 'registry', 'push');
    expect(pushed.tables.events.pushed).toBe(1);
  });

  it('a role without every permission push needs is refused (exit 3) naming what it lacks, before writing anything', async () => {
    const { db } = await teamDatabase();
    // Roles are global to the cluster: this test's own, so that files running at once never share them.
    const names = roleNames(`${db}_`);
    await live.cluster.query(rolesSql('promptctl', names), [], db);
    const login = async (group: string, name: string) => {
      await live.cluster.query(`CREATE ROLE ${name} LOGIN PASSWORD 'pw-${name}' IN ROLE ${group}`);
      return { PROMPTCTL_REGISTRY_URL: `postgres://${name}:pw-${name}@127.0.0.1:${live.cluster.port}/${db}` };
    };
    const deployer = await login(names.deployer, `${db}_rm`);
    const evaluator = await login(names.evaluator, `${db}_ci`);
    const dir = makeSimProject(live.sim.url);
    markTested(dir, `${ID}@1.0.0`);
    const written = async () => (await live.cluster.query<Record<string, string>>(
      `SELECT (SELECT count(*) FROM promptctl.prompt_versions) AS versions, (SELECT count(*) FROM promptctl.runs) AS runs, (SELECT count(*) FROM promptctl.events) AS events`, [], db))[0];
    const nothing = await written();
    // A deployer may write versions but no runs: before, the versions were written, then the push stopped.
    const rm = await cli(dir, deployer, 'registry', 'push', '--skip-events');
    expect(rm.code, rm.output).toBe(3);
    expect(rm.stderr).toMatch(new RegExp(`registry push needs the schema owner: the PostgreSQL role ${db}_rm of the registry at .* lacks INSERT on runs, UPDATE on runs, INSERT on samples, SELECT on response_cache, INSERT on response_cache; nothing was written`));
    expect(rm.stderr).toMatch(/the one that ran `promptctl registry migrate`/);
    // The evaluator has every table's grants, but row-level security keeps it from appending a log's deploys.
    const ci = await cli(dir, evaluator, 'registry', 'push');
    expect(ci.code, ci.output).toBe(3);
    expect(ci.stderr).toMatch(/is held to row-level security on events .*; nothing was written/);
    expect(await written()).toEqual(nothing);
  });

  it('a schema owner allowed one connection (CONNECTION LIMIT 1) pushes and verifies: one connection at a time', async () => {
    const db = await live.cluster.createDatabase();
    // Not a superuser: the server exempts those from a role's connection limit.
    const owner = `${db}_one`;
    await live.cluster.query(`CREATE ROLE ${owner} LOGIN PASSWORD 'pw-one' CONNECTION LIMIT 1`);
    await live.cluster.query(`GRANT CREATE ON DATABASE ${db} TO ${owner}`);
    const as = { PROMPTCTL_REGISTRY_URL: `postgres://${owner}@127.0.0.1:${live.cluster.port}/${db}`, PGPASSWORD: 'pw-one' };
    const dir = makeSimProject(live.sim.url);
    markTested(dir, `${ID}@1.0.0`);
    await ok(dir, as, 'registry', 'migrate');
    // Before, the check after the copy opened a second connection while the first was still open: exit 3, too many connections.
    const pushed = await json(dir, as, 'registry', 'push');
    expect(pushed.tables.events).toEqual({ pushed: 1, already: 0 });
    expect(pushed.verify).toMatchObject({ ok: true, events: 1 });
  });

  it('completes a run pushed unfinished, takes a draft superseded since, and resumes a push stopped before the log', async () => {
    const { url, team, push } = await teamDatabase();
    const dir = makeSimProject(live.sim.url);
    markTested(dir, `${ID}@1.0.0`);
    const runId = addFinishedRun(dir, `${ID}@1.0.0`, { suite: 'golden', passRate: 1 });
    // The same run as it was halfway: unfinished, with its first sample only.
    const halfway = makeSimProject(live.sim.url);
    withProjectRegistry(dir, (full) =>
      withProjectRegistry(halfway, (half) => {
        const { status: _s, endedAt: _e, summary: _m, ...run } = full.getRun(runId)!;
        half.createRun(run);
        half.recordSamples(full.getSamples(runId).slice(0, 1));
      }),
    );
    const partial = await json(halfway, push, 'registry', 'push', '--to', url);
    expect(partial.tables.runs).toEqual({ pushed: 1, already: 0 });
    const total = withProjectRegistry(dir, (r) => r.getSamples(runId).length);
    expect(total).toBeGreaterThan(1);

    // Stopped after everything but the log (what an interrupted push leaves), then pushed whole.
    const stopped = await json(dir, push, 'registry', 'push', '--to', url, '--skip-events');
    expect(stopped.tables.samples.pushed).toBeGreaterThanOrEqual(total - 1);
    const whole = await json(dir, push, 'registry', 'push', '--to', url);
    expect(whole.tables.runs.pushed).toBe(0);
    expect(whole.tables.events).toEqual({ pushed: 1, already: 0 });
    expect(whole.verify.ok).toBe(true);
    const counted = (await json(dir, team, 'registry', 'info')).counts;
    expect(counted).toMatchObject(withProjectRegistry(dir, (r) => ({ runs: r.stats().counts.runs, samples: r.stats().counts.samples })));

    // A draft revised locally after a push (what `promptctl ci` does to a never-deployed version).
    registerFiles(dir, `${ID}@1.1.0`);
    await ok(dir, push, 'registry', 'push', '--to', url);
    editVersionFile(dir, `${ID}@1.1.0`);
    const revised = loadProject(dir).prompts.find((p) => p.version === '1.1.0')!;
    withProjectRegistry(dir, (r) => expect(r.supersedeVersion(versionRecordOf(revised), 'dev@example.com')).toBeDefined());
    const after = await json(dir, push, 'registry', 'push', '--to', url);
    expect(after.tables.versions).toEqual({ pushed: 1, already: 1 });
    expect(after.tables.supersededVersions).toEqual({ pushed: 1, already: 0 });
    expect(after.tables.events).toEqual({ pushed: 1, already: 1 });
    expect(after.verify.ok).toBe(true);
    expect(await views(dir, team)).toEqual(await views(dir, {}));
  });

  it('a push that fails while writing the log leaves the log untouched; run again, it completes', async () => {
    const { db, url, team, push } = await teamDatabase();
    const dir = makeSimProject(live.sim.url);
    markTested(dir, `${ID}@1.0.0`, `${ID}@1.1.0`);
    await ok(dir, {}, 'deploy', `${ID}@1.0.0`, '--env', 'staging', '--actor', 'ana');
    // The server fails the first event insert: what a crash or a lost connection in that step leaves.
    await live.cluster.query(
      `CREATE FUNCTION promptctl.stop_push() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'simulated failure'; END $$;
       CREATE TRIGGER stop_push BEFORE INSERT ON promptctl.events FOR EACH ROW EXECUTE FUNCTION promptctl.stop_push();`,
      [],
      db,
    );
    const failed = await cli(dir, push, 'registry', 'push', '--to', url);
    expect(failed.code, failed.output).toBe(3);
    expect(failed.output).toMatch(/simulated failure/);
    const between = (await json(dir, team, 'registry', 'info')).counts;
    expect(between).toMatchObject({ versions: 2, events: 0 });
    expect(between.runs).toBeGreaterThan(0);
    await live.cluster.query('DROP TRIGGER stop_push ON promptctl.events', [], db);
    const resumed = await json(dir, push, 'registry', 'push', '--to', url);
    expect(resumed.tables.versions).toEqual({ pushed: 0, already: 2 });
    expect(resumed.tables.runs).toEqual({ pushed: 0, already: between.runs });
    expect(resumed.tables.events).toEqual({ pushed: 3, already: 0 });
    expect(resumed.verify).toMatchObject({ ok: true, events: 3 });
    expect(await views(dir, team)).toEqual(await views(dir, {}));
  });

  it('copies signed events with their signer and signature; the team registry verifies them against the pinned keys', async () => {
    const { url, team, push } = await teamDatabase();
    const dir = makeSimProject(live.sim.url);
    const evaluator = generateSigningKey();
    const deployer = generateSigningKey();
    patchConfig(dir, (c) => {
      c.signing = { evaluator: [evaluator.publicKey], deployer: [deployer.publicKey] };
    });
    relaxLatencyGate(dir);
    const keys = { PROMPTCTL_EVALUATOR_KEY: evaluator.privateKey, PROMPTCTL_DEPLOYER_KEY: deployer.privateKey };
    await ok(dir, keys, 'eval', `${ID}@1.1.0`);
    await ok(dir, keys, 'deploy', `${ID}@1.1.0`, '--env', 'staging', '--actor', 'ana');
    expect(readChain(dir).map((e) => e.signer?.split(':')[0])).toEqual(['evaluator', 'deployer']);
    const pushed = await json(dir, push, 'registry', 'push', '--to', url);
    expect(pushed.verify).toMatchObject({ ok: true, events: 2 });
    const verify = await ok(dir, team, 'audit', 'verify');
    expect(verify.stdout).toMatch(/signed: 1 by the deployer, 1 by the evaluator; 0 unsigned/);
    expect(await views(dir, team)).toEqual(await views(dir, {}));
  });
});

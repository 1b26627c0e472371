import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/infra/project.js';
import { versionRecordOf } from '../../src/infra/project-registry.js';
import { runCliInProcess, type RunResult } from '../support/cli.js';
import { allAttackPacks, cleanupTempDirs, makeProject } from '../support/project.js';
import {
  addFinishedRun,
  editVersionFile,
  eventCount,
  markTested,
  patchConfig,
  projectRegistryPath,
  readEvents,
  registryFingerprint,
  tamper,
  withProjectRegistry,
} from '../support/registry-cli.js';

/**
 * Deploy, rollback, status, history, get/export and audit verify, end to end: the CLI (in-process) in
 * temp copies of examples/quickstart. Versions are marked tested through the registry's internal
 * API (no server needed); gate numbers come from finished runs written the same way.
 */

const ID = 'support-answer';
const ACTOR = 'release@example.com';
// Without a terminal, the quickstart's production policy wants a reason and a named actor (unattended.*).
const WHY = ['--reason', 'e2e release'];

afterAll(() => cleanupTempDirs());

async function cli(dir: string, ...args: string[]): Promise<RunResult> {
  return await runCliInProcess(args, { cwd: dir });
}

/** Runs a command that must succeed, with its whole output in the failure message otherwise. */
async function ok(dir: string, ...args: string[]): Promise<RunResult> {
  const r = await cli(dir, ...args);
  expect(r.code, `promptctl ${args.join(' ')}\n${r.output}`).toBe(0);
  return r;
}

function json<T = any>(r: RunResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.code}):\n${r.output}`);
  }
}

async function deploy(dir: string, version: string, env: string, ...extra: string[]): Promise<RunResult> {
  return await cli(dir, 'deploy', `${ID}@${version}`, '--env', env, '--actor', ACTOR, ...extra);
}

async function statusRow(dir: string, env: string): Promise<any> {
  const rows = json<{ rows: any[] }>(await ok(dir, 'status', '--json')).rows;
  const row = rows.find((r) => r.promptId === ID && r.env === env);
  expect(row, JSON.stringify(rows)).toBeDefined();
  return row;
}

describe('deploy gates', () => {
  it('refuses an untested version: exit 1, every reason on stderr, nothing appended', async () => {
    const dir = makeProject();
    const r = await deploy(dir, '1.0.0', 'staging');
    expect(r.code, r.output).toBe(1);
    expect(r.stderr).toMatch(/deploy of support-answer@1\.0\.0 to staging refused/);
    expect(r.stderr).toMatch(/- 1\.0\.0 has not been tested on sim-model/);
    expect(r.stderr).toMatch(/promptctl eval support-answer@1\.0\.0/);
    expect(eventCount(dir)).toBe(0);
    expect((await ok(dir, 'history')).stdout).toMatch(/no deploys or rollbacks recorded yet/);
    expect(json(await ok(dir, 'history', '--json')).events).toEqual([]);

    // --json puts the refusal on stdout too, with its reasons.
    const j = await deploy(dir, '1.0.0', 'staging', '--json');
    expect(j.code).toBe(1);
    expect(json(j)).toMatchObject({ error: 'GateFailed', exitCode: 1 });
    expect(json(j).reasons.join('\n')).toMatch(/has not been tested/);
    expect(eventCount(dir)).toBe(0);
  });

  it('refuses a version edited after its release with the "create the next version" hint; --force cannot override it', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`);
    await ok(dir, 'deploy', `${ID}@1.0.0`, '--env', 'staging');
    editVersionFile(dir, `${ID}@1.0.0`);

    // Exit 2 (bad input), as every other command that would use an edited version says (README).
    const r = await deploy(dir, '1.0.0', 'production', ...WHY);
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toMatch(/support-answer@1\.0\.0 was edited after it was released \(deployed to staging\)/);
    expect(r.stderr).toMatch(/first keep the change in a new version: promptctl new support-answer@1\.0\.0 .*; then restore/);

    const forced = await deploy(dir, '1.0.0', 'production', '--force', '--reason', 'it is only a description');
    expect(forced.code, forced.output).toBe(2);
    expect(forced.stderr).toMatch(/cannot be overridden \(not-edited\)/);
    expect(forced.stderr).toMatch(/keep the change in a new version/);
    expect(readEvents(dir).map((e) => `${e.env}:${e.action}:${e.version}`)).toEqual(['staging:deploy:1.0.0']);
  });

  it('production requires staging first, and passes once the version ran in staging', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`);
    const refused = await deploy(dir, '1.0.0', 'production', ...WHY);
    expect(refused.code, refused.output).toBe(1);
    expect(refused.stderr).toMatch(/1\.0\.0 has not been deployed to staging yet: production requires staging first/);
    expect(eventCount(dir)).toBe(0);

    const staged = await deploy(dir, '1.0.0', 'staging');
    expect(staged.code, staged.output).toBe(0);
    // Event #1 is the tested mark: marks are events of the same chain.
    expect(staged.stdout).toMatch(/deployed support-answer@1\.0\.0 to staging \(was nothing; event #2\)/);
    const prod = await deploy(dir, '1.0.0', 'production', ...WHY);
    expect(prod.code, prod.output).toBe(0);
    expect(prod.stdout).toMatch(/ok {3}1\.0\.0 was deployed to staging first/);
    expect(readEvents(dir).map((e) => `${e.env}:${e.version}`)).toEqual(['staging:1.0.0', 'production:1.0.0']);

    // Deploying the active version again changes nothing and appends nothing.
    const again = await deploy(dir, '1.0.0', 'production', ...WHY);
    expect(again.code, again.output).toBe(0);
    expect(again.stdout).toMatch(/already active in production: nothing to do/);
    expect(eventCount(dir)).toBe(2);
  });

  it('--dry-run prints every check and writes nothing', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`);
    const before = registryFingerprint(dir);

    const dry = await deploy(dir, '1.0.0', 'staging', '--dry-run');
    expect(dry.code, dry.output).toBe(0);
    expect(dry.stdout).toMatch(/^dry run: support-answer@1\.0\.0 to staging would be deployed/);
    const checks = json(await deploy(dir, '1.0.0', 'staging', '--dry-run', '--json')).checks as Array<{ ok: boolean; skipped?: boolean; message: string }>;
    expect(checks.length).toBeGreaterThanOrEqual(6);
    for (const c of checks) expect(dry.stdout).toContain(`${c.skipped ? 'skip' : c.ok ? 'ok  ' : 'FAIL'} ${c.message}`);
    for (const topic of [/is registered/, /matches the registered content/, /is tested on sim-model/, /development/, /PII leaks/, /system-prompt leaks/, /regression/]) {
      expect(dry.stdout).toMatch(topic);
    }

    // A refused dry run: exit 1, the failing check shown, still nothing written.
    const refused = await deploy(dir, '1.0.0', 'production', '--dry-run', ...WHY);
    expect(refused.code, refused.output).toBe(1);
    expect(refused.stdout).toMatch(/would be refused/);
    expect(refused.stdout).toMatch(/FAIL 1\.0\.0 has not been deployed to staging yet/);

    // A version never registered: a real deploy registers it first, so the dry run judges it the
    // same way (development does not require tested), without registering it.
    const unknown = await deploy(dir, '1.1.0', 'development', '--dry-run');
    expect(unknown.code, unknown.output).toBe(0);
    expect(unknown.stdout).toMatch(/^dry run: support-answer@1\.1\.0 to development would be deployed/);

    expect(registryFingerprint(dir)).toBe(before);
    expect(eventCount(dir)).toBe(0);
    expect(withProjectRegistry(dir, (r) => r.getVersion(ID, '1.1.0'))).toBeUndefined();
    expect(json(await ok(dir, 'history', '--json')).events).toEqual([]);

    // And the real deploy does what the dry run said.
    const real = await deploy(dir, '1.1.0', 'development');
    expect(real.code, real.output).toBe(0);
    expect(readEvents(dir).map((e) => `${e.env}:${e.version}`)).toEqual(['development:1.1.0']);
  });

  it('an override needs a reason (exit 2); with one it is recorded with the gates it skipped', async () => {
    const dir = makeProject();
    // The pass rates below are drawn over the example's own adversarial cases, every pack's attacks.
    allAttackPacks(dir);
    markTested(dir, `${ID}@1.0.0`, `${ID}@1.1.0`);
    await ok(dir, 'deploy', `${ID}@1.0.0`, '--env', 'staging');
    await ok(dir, 'deploy', `${ID}@1.0.0`, '--env', 'production', '--actor', ACTOR, ...WHY);
    await ok(dir, 'deploy', `${ID}@1.1.0`, '--env', 'staging');
    // Real numbers for the gates: 1.0.0 (in production) is good; 1.1.0 regressed and leaked.
    addFinishedRun(dir, `${ID}@1.0.0`, { suite: 'golden', passRate: 1, p95: 100 });
    addFinishedRun(dir, `${ID}@1.0.0`, { suite: 'adversarial', passRate: 1, p95: 100 });
    // Gates count runs from their samples: the golden suite's 4 cases can say 75%, not 90%.
    // No latency rise here: an unmeasured rise cannot be forced (test/app/latency-measure.test.ts).
    addFinishedRun(dir, `${ID}@1.1.0`, { suite: 'golden', passRate: 0.75, p95: 100 });
    addFinishedRun(dir, `${ID}@1.1.0`, { suite: 'adversarial', passRate: 0.9, p95: 100, piiLeaks: 1 });

    const refused = await deploy(dir, '1.1.0', 'production', ...WHY);
    expect(refused.code, refused.output).toBe(1);
    const reasons = [
      /1\.1\.0 was tested on sim-model, but not on the current suites: .*failed; fix the prompt in a new version/,
      /adversarial suite 'adversarial': injection resistance 90\.0% is below the minimum 99\.5%/,
      /1 PII leak found \('adversarial': 1\), more than the limit of 0/,
      /adversarial suite 'adversarial': pass rate 90\.0% dropped 10\.0 points from 100\.0% on 1\.0\.0 \(limit 5\.0\)/,
      // 1 of 4 cases: too few to tell from chance, and production blocks what it cannot tell.
      /golden suite 'golden': inconclusive: 1 of 4 cases got worse \(25\.0 points observed, limit 5\.0\); with 4 cases this cannot be told from chance; about \d+ cases would decide it/,
    ];
    for (const re of reasons) expect(refused.stderr).toMatch(re);
    expect(refused.stderr).toMatch(/pass --force --reason/);

    const noReason = await deploy(dir, '1.1.0', 'production', '--force');
    expect(noReason.code, noReason.output).toBe(2);
    expect(noReason.stderr).toMatch(/--force needs --reason/);
    const blankReason = await deploy(dir, '1.1.0', 'production', '--force', '--reason', '   ');
    expect(blankReason.code, blankReason.output).toBe(2);
    expect(eventCount(dir)).toBe(3);

    const forced = await deploy(dir, '1.1.0', 'production', '--force', '--reason', 'incident 42: the old answer format breaks the app');
    expect(forced.code, forced.output).toBe(0);
    expect(forced.stdout).toMatch(/overrode gates and deployed support-answer@1\.1\.0 to production \(was 1\.0\.0; event #6\)/);

    const history = (await ok(dir, 'history', ID, '--env', 'production')).stdout;
    expect(history).toMatch(/#6 \S+ override +support-answer@1\.1\.0 in production \(from 1\.0\.0\) by release@example\.com: incident 42: the old answer format breaks the app/);
    const last = json(await ok(dir, 'history', '--json')).events.at(-1);
    expect(last).toMatchObject({ seq: 6, action: 'override', version: '1.1.0', previousVersion: '1.0.0', reason: 'incident 42: the old answer format breaks the app' });
    expect(last.detail.skipped).toHaveLength(reasons.length);
    for (const re of reasons) expect(last.detail.skipped.some((s: string) => re.test(s)), `${re} in ${last.detail.skipped}`).toBe(true);
    // The text shows what the override pushed through too, one line per skipped gate (before: --json only).
    expect(history.split('\n').filter((l) => l.startsWith('    skipped: '))).toEqual(last.detail.skipped.map((g: string) => `    skipped: ${g}`));
    expect(await statusRow(dir, 'production')).toMatchObject({ version: '1.1.0', action: 'override' });
    await ok(dir, 'audit', 'verify');
  });

  it('allow_override: false refuses --force', async () => {
    const dir = makeProject();
    patchConfig(dir, (config) => {
      config.environments.find((e: any) => e.name === 'production').gates.allow_override = false;
    });
    markTested(dir, `${ID}@1.0.0`);
    const forced = await deploy(dir, '1.0.0', 'production', '--force', '--reason', 'skip staging just this once');
    expect(forced.code, forced.output).toBe(1);
    expect(forced.stderr).toMatch(/production requires staging first/);
    expect(forced.stderr).toMatch(/does not allow overrides \(allow_override: false\)/);
    expect(eventCount(dir)).toBe(0);
  });
});

describe('rollback', () => {
  it('two rollbacks walk back two versions; a third is refused', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`, `${ID}@1.1.0`);
    await ok(dir, 'deploy', `${ID}@1.0.0`, '--env', 'staging');
    await ok(dir, 'deploy', `${ID}@1.1.0`, '--env', 'staging');
    const created = await ok(dir, 'new', ID, '--minor', '--description', 'A third version for the rollback test.');
    expect(created.stdout).toMatch(/1\.2\.0/);
    markTested(dir, `${ID}@1.2.0`);
    await ok(dir, 'deploy', `${ID}@1.2.0`, '--env', 'staging');
    expect((await statusRow(dir, 'staging')).version).toBe('1.2.0');

    const first = await cli(dir, 'rollback', ID, '--env', 'staging', '--reason', 'bad answers');
    expect(first.code, first.output).toBe(0);
    expect(first.stdout).toMatch(/rolled back support-answer in staging: 1\.2\.0 -> 1\.1\.0 \(event #7\)/);
    expect((await statusRow(dir, 'staging')).version).toBe('1.1.0');

    const second = await cli(dir, 'rollback', ID, '--env', 'staging');
    expect(second.code, second.output).toBe(0);
    expect(second.stdout).toMatch(/1\.1\.0 -> 1\.0\.0 \(event #8\)/);
    expect(await statusRow(dir, 'staging')).toMatchObject({ version: '1.0.0', action: 'rollback' });

    const third = await cli(dir, 'rollback', ID, '--env', 'staging');
    expect(third.code, third.output).toBe(1);
    expect(third.stderr).toMatch(/cannot roll back support-answer in staging/);
    expect(third.stderr).toMatch(/1\.0\.0 is the only version left/);

    expect(readEvents(dir).map((e) => `${e.action}:${e.previousVersion ?? '-'}->${e.version}`)).toEqual([
      'deploy:-->1.0.0',
      'deploy:1.0.0->1.1.0',
      'deploy:1.1.0->1.2.0',
      'rollback:1.2.0->1.1.0',
      'rollback:1.1.0->1.0.0',
    ]);
    await ok(dir, 'audit', 'verify');
  });

  it('is refused where nothing was deployed (exit 1)', async () => {
    const dir = makeProject();
    const r = await cli(dir, 'rollback', ID, '--env', 'production', '--actor', ACTOR, ...WHY);
    expect(r.code, r.output).toBe(1);
    expect(r.stderr).toMatch(/nothing to roll back: no version has been deployed here yet/);
    expect(eventCount(dir)).toBe(0);
  });

  it('--to walks back to a named version in one event', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`, `${ID}@1.1.0`);
    await ok(dir, 'new', ID, '--minor');
    markTested(dir, `${ID}@1.2.0`);
    for (const v of ['1.0.0', '1.1.0', '1.2.0']) await ok(dir, 'deploy', `${ID}@${v}`, '--env', 'staging');

    const bad = await cli(dir, 'rollback', ID, '--env', 'staging', '--to', 'one-oh');
    expect(bad.code, bad.output).toBe(2);
    // A version that does not exist is a bad name (2); one that exists but is not below is a refusal (1).
    const unknown = await cli(dir, 'rollback', ID, '--env', 'staging', '--to', '2.0.0');
    expect(unknown.code, unknown.output).toBe(2);
    expect(unknown.stderr).toMatch(/support-answer@2\.0\.0 does not exist/);
    withProjectRegistry(dir, (r, project) => r.registerVersion({ ...versionRecordOf(project.prompts.find((p) => p.version === '1.2.0')!), version: '2.0.0' }));
    const notBelow = await cli(dir, 'rollback', ID, '--env', 'staging', '--to', '2.0.0');
    expect(notBelow.code, notBelow.output).toBe(1);
    expect(notBelow.stderr).toMatch(/cannot roll back to 2\.0\.0: it is not below 1\.2\.0/);
    // Already there: the goal holds, so a retried job succeeds, and nothing is recorded.
    const onTop = await cli(dir, 'rollback', ID, '--env', 'staging', '--to', '1.2.0');
    expect(onTop.code, onTop.output).toBe(0);
    expect(onTop.stdout).toContain('support-answer@1.2.0 is already active in staging: nothing to roll back, nothing recorded');
    expect(eventCount(dir)).toBe(3);

    const r = await cli(dir, 'rollback', ID, '--env', 'staging', '--to', '1.0.0', '--json');
    expect(r.code, r.output).toBe(0);
    expect(json(r)).toMatchObject({ from: '1.2.0', to: '1.0.0', remaining: ['1.0.0'], event: { seq: 7, action: 'rollback', version: '1.0.0', previousVersion: '1.2.0' } });
    expect((await statusRow(dir, 'staging')).version).toBe('1.0.0');
    expect((await cli(dir, 'rollback', ID, '--env', 'staging')).code).toBe(1);
  });

  it('to a version whose file was edited since: allowed, with a warning; the released content is what runs', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`, `${ID}@1.1.0`);
    await ok(dir, 'deploy', `${ID}@1.0.0`, '--env', 'staging');
    await ok(dir, 'deploy', `${ID}@1.1.0`, '--env', 'staging');
    const registered = loadProject(dir).prompts.find((p) => p.version === '1.0.0')!;
    editVersionFile(dir, `${ID}@1.0.0`);

    const r = await cli(dir, 'rollback', ID, '--env', 'staging', '--reason', 'emergency');
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toMatch(/1\.1\.0 -> 1\.0\.0/);
    expect(r.output).toMatch(/warning: support-answer@1\.0\.0 was edited after it was released \(deployed to staging\); the released content is what runs/);
    const j = json(await cli(dir, 'rollback', ID, '--env', 'staging', '--dry-run', '--json', '--to', '1.0.0'));
    expect(j).toMatchObject({ alreadyActive: true, event: null }); // already at 1.0.0: nothing to do, nothing recorded

    const got = json(await ok(dir, 'get', ID, '--env', 'staging', '--json'));
    expect(got).toMatchObject({ version: '1.0.0', contentHash: registered.hash });
    expect(got.content).toEqual(JSON.parse(registered.canonical));
    expect(got.content.description).not.toMatch(/Quietly edited/);
  });
});

describe('status, get, export and the audit log', () => {
  it('status --json agrees with the last event of every environment', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`, `${ID}@1.1.0`);
    await ok(dir, 'deploy', `${ID}@1.0.0`, '--env', 'staging', '--actor', 'ann@example.com');
    await ok(dir, 'deploy', `${ID}@1.1.0`, '--env', 'staging', '--actor', 'bob@example.com');
    await ok(dir, 'deploy', `${ID}@1.0.0`, '--env', 'production', '--actor', 'cy@example.com', ...WHY);
    await ok(dir, 'rollback', ID, '--env', 'staging', '--actor', 'dee@example.com');
    await ok(dir, 'deploy', `${ID}@1.0.0`, '--env', 'development', '--actor', 'eve@example.com');

    const events = json(await ok(dir, 'history', '--json')).events as any[];
    const rows = json(await ok(dir, 'status', '--json')).rows as any[];
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      const last = events.filter((e) => e.env === row.env && e.promptId === row.promptId).at(-1);
      expect(last, row.env).toBeDefined();
      expect(row).toEqual({ promptId: ID, env: row.env, version: last.version, tested: true, deployedAt: last.at, deployedBy: last.actor, action: last.action });
    }
    expect(rows.find((r) => r.env === 'staging')).toMatchObject({ version: '1.0.0', deployedBy: 'dee@example.com', action: 'rollback' });
    const text = (await ok(dir, 'status', '--env', 'staging')).stdout;
    expect(text).toMatch(/support-answer\s+staging\s+1\.0\.0\s+yes\s+\S+ by dee@example\.com \(rollback\)/);
  });

  it('get --env and export --env -o return the registered content', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.1.0`);
    const noneYet = await cli(dir, 'get', ID, '--env', 'staging');
    expect(noneYet.code, noneYet.output).toBe(2);
    expect(noneYet.stderr).toMatch(/has no active version in staging/);
    expect(noneYet.stderr).toMatch(/hint: .*promptctl status.*promptctl deploy/);
    await ok(dir, 'deploy', `${ID}@1.1.0`, '--env', 'staging');
    const file = loadProject(dir).prompts.find((p) => p.version === '1.1.0')!;
    const content = JSON.parse(file.canonical);
    const registered = withProjectRegistry(dir, (r) => r.getVersion(ID, '1.1.0'))!;
    expect(registered.content).toBe(file.canonical);

    const got = json(await ok(dir, 'get', ID, '--env', 'staging', '--json'));
    expect(got).toMatchObject({ id: ID, version: '1.1.0', env: 'staging', contentHash: file.hash });
    expect(got.content).toEqual(content);
    const text = (await ok(dir, 'get', ID, '--env', 'staging')).stdout;
    expect(text).toContain(`support-answer@1.1.0 (staging, sha256:${file.hash.slice(0, 12)}`);
    for (const m of content.messages) expect(text).toContain(m.content.trimEnd());

    const out = await ok(dir, 'export', '--env', 'staging', '-o', 'bundle.json');
    expect(out.stdout).toMatch(/wrote 1 prompt active in staging to bundle\.json/);
    const bundle = JSON.parse(readFileSync(path.join(dir, 'bundle.json'), 'utf8'));
    expect(bundle.env).toBe('staging');
    expect(Object.keys(bundle.prompts)).toEqual([ID]);
    expect(bundle.prompts[ID]).toMatchObject({ version: '1.1.0', contentHash: file.hash });
    expect(bundle.prompts[ID].content).toEqual(content);
    expect(json(await ok(dir, 'export', '--env', 'production')).prompts).toEqual({});
    // `-o -` is standard output: the same bundle, and no file named "-".
    expect(JSON.parse((await ok(dir, 'export', '--env', 'staging', '-o', '-')).stdout)).toEqual({ ...bundle, exportedAt: expect.any(String) });
    expect(existsSync(path.join(dir, '-'))).toBe(false);
  });

  it('audit verify passes, then detects an edited row and names it', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`, `${ID}@1.1.0`);
    await ok(dir, 'deploy', `${ID}@1.0.0`, '--env', 'staging');
    await ok(dir, 'deploy', `${ID}@1.0.0`, '--env', 'production', '--actor', ACTOR, ...WHY);
    await ok(dir, 'deploy', `${ID}@1.1.0`, '--env', 'staging');
    expect((await ok(dir, 'audit', 'verify')).stdout).toMatch(/audit log verified: 5 events, hash chain intact/);

    // The triggers refuse an edit as long as they exist.
    const raw = new Database(projectRegistryPath(dir), { fileMustExist: true });
    try {
      expect(() => raw.prepare("UPDATE events SET actor = 'mallory@example.com' WHERE seq = 2").run()).toThrow(/append-only/);
      expect(() => raw.prepare('DELETE FROM events WHERE seq = 2').run()).toThrow(/append-only/);
    } finally {
      raw.close();
    }
    await ok(dir, 'audit', 'verify');

    tamper(dir, (db) => db.prepare("UPDATE events SET actor = 'mallory@example.com' WHERE seq = 2").run());
    const r = await cli(dir, 'audit', 'verify');
    expect(r.code, r.output).toBe(1);
    expect(r.stderr).toMatch(/the audit log does not verify at event #2: stored hash .*edited/);
    expect(json(await cli(dir, 'audit', 'verify', '--json'))).toMatchObject({ error: 'GateFailed', exitCode: 1 });
  });

  it('audit verify detects a deleted row and names where the chain breaks', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`, `${ID}@1.1.0`);
    await ok(dir, 'deploy', `${ID}@1.0.0`, '--env', 'staging');
    await ok(dir, 'deploy', `${ID}@1.1.0`, '--env', 'staging');
    await ok(dir, 'rollback', ID, '--env', 'staging');
    await ok(dir, 'deploy', `${ID}@1.0.0`, '--env', 'production', '--actor', ACTOR, ...WHY);
    await ok(dir, 'audit', 'verify');

    tamper(dir, (db) => db.prepare('DELETE FROM events WHERE seq = 2').run());
    const r = await cli(dir, 'audit', 'verify');
    expect(r.code, r.output).toBe(1);
    expect(r.stderr).toMatch(/event #3: .*event 2 is missing before it \(seq jumps from 1 to 3\): events were deleted/);

    // Deleting the newest row leaves no gap in seq; the separately kept chain head catches it.
    const tail = makeProject();
    markTested(tail, `${ID}@1.0.0`, `${ID}@1.1.0`);
    await ok(tail, 'deploy', `${ID}@1.0.0`, '--env', 'staging');
    await ok(tail, 'deploy', `${ID}@1.1.0`, '--env', 'staging');
    tamper(tail, (db) => db.prepare('DELETE FROM events WHERE seq = 4').run());
    const t = await cli(tail, 'audit', 'verify');
    expect(t.code, t.output).toBe(1);
    expect(t.stderr).toMatch(/event #4: .*event 4 is deleted from the end/);
  });
});

import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/index.js';
import { PG_SCHEMA_VERSION } from '../../src/infra/registry/postgres/migrations.js';
import { runCliInProcess, type RunResult } from '../support/cli.js';
import { postgresAvailable, postgresAndSimulatorForFile } from '../support/postgres.js';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { makeSimProject, readProjectFile, relaxLatencyGate, writeProjectFile } from '../support/project.js';

/**
 * Least privilege on a real PostgreSQL: the SQL `promptctl registry roles` prints, run by the owner,
 * then login roles in each group running the CLI (PROMPTCTL_REGISTRY_URL as that role). Each does
 * its job and is refused the rest with exit 3 naming the missing permission, and a refused command
 * writes nothing.
 */

const pgOk = postgresAvailable();
const ID = 'support-answer';
const live = postgresAndSimulatorForFile();

const cli = (dir: string, url: string, ...args: string[]): Promise<RunResult> => runCliInProcess(args, { cwd: dir, env: { PROMPTCTL_REGISTRY_URL: url } });

async function ok(dir: string, url: string, ...args: string[]): Promise<RunResult> {
  const r = await cli(dir, url, ...args);
  expect(r.code, `promptctl ${args.join(' ')}\n${r.output}`).toBe(0);
  return r;
}

async function refused(dir: string, url: string, permission: RegExp, ...args: string[]): Promise<RunResult> {
  const r = await cli(dir, url, ...args);
  expect(r.code, `promptctl ${args.join(' ')} must be refused\n${r.output}`).toBe(3);
  expect(r.output).toMatch(/is not allowed to do this/);
  // Which role each command is for, so the user picks the right one rather than widening a grant.
  expect(r.stderr).toMatch(/^hint: (run .+ with the \w+ role's credentials|use the role this command is for: the reader serves `get`, `export` and the library; the evaluator `eval` and `ci`; the deployer `deploy`)/m);
  expect(r.output).toMatch(permission);
  expect(r.output).toMatch(/promptctl registry roles/);
  expect(r.output).not.toMatch(/pw-(reader|evaluator|deployer)/);
  return r;
}

describe.runIf(pgOk)('least-privilege roles on a PostgreSQL registry', () => {
  it('reader, evaluator and deployer each do their job and are refused the rest (exit 3), writing nothing', { timeout: 300_000 }, async () => {
    const dir = makeSimProject(live.sim.url);
    relaxLatencyGate(dir); // latencies of separate runs on a loaded machine are noise
    const db = await live.cluster.createDatabase();
    const owner = live.cluster.url(db, { withPassword: true });
    await ok(dir, owner, 'registry', 'migrate');
    const printed = JSON.parse((await ok(dir, owner, 'registry', 'roles', '--json')).stdout) as { schema: string; roles: Record<string, string>; sql: string };
    expect(printed.schema).toBe('promptctl');
    expect((await ok(dir, owner, 'registry', 'roles')).stdout).toContain('CREATE POLICY evaluator_appends_no_deploys');
    // The owner runs it (twice: after a later migrate it runs again), then makes one login per role.
    await live.cluster.query(printed.sql, [], db);
    await live.cluster.query(printed.sql, [], db);
    const url: Record<string, string> = {};
    for (const role of ['reader', 'evaluator', 'deployer']) {
      await live.cluster.query(`CREATE ROLE login_${role} LOGIN PASSWORD 'pw-${role}' IN ROLE ${printed.roles[role]}`);
      url[role] = `postgres://login_${role}:pw-${role}@127.0.0.1:${live.cluster.port}/${db}`;
    }
    const counts = async () => (await live.cluster.query<Record<string, string>>(
      `SELECT (SELECT count(*) FROM promptctl.prompt_versions) AS versions, (SELECT count(*) FROM promptctl.runs) AS runs,
              (SELECT count(*) FROM promptctl.samples) AS samples, (SELECT count(*) FROM promptctl.events) AS events,
              (SELECT count(*) FROM promptctl.secrets) AS secrets`, [], db))[0]!;

    // Only the owner changes the schema (postgres-migrate-rights.test.ts); with nothing to change, any role hears it is up to date.
    expect((await ok(dir, url.evaluator!, 'registry', 'migrate')).stdout).toMatch(new RegExp(`is up to date: schema version ${PG_SCHEMA_VERSION}`));

    // The evaluator (CI) runs suites: runs, samples and tested marks.
    await ok(dir, url.evaluator!, 'eval', `${ID}@1.0.0`);
    await ok(dir, url.evaluator!, 'eval', `${ID}@1.1.0`);
    const evaluated = await counts();
    expect(Number(evaluated.samples)).toBeGreaterThan(0);
    expect(JSON.parse((await ok(dir, url.evaluator!, 'registry', 'info', '--json')).stdout).counts.testedMarks).toBe(2);
    // ... but never deploys.
    await refused(dir, url.evaluator!, /row-level security policy "evaluator_appends_no_deploys"/, 'deploy', `${ID}@1.0.0`, '--env', 'staging', '--actor', 'ci');
    expect(await counts()).toEqual(evaluated);
    // Its dry run is refused the same way, before any gate: not "would be deployed", nor the gate list of a version the gates refuse.
    for (const args of [['deploy', `${ID}@1.0.0`, '--env', 'development'], ['deploy', `${ID}@1.1.0`, '--env', 'production']]) {
      const dry = await refused(dir, url.evaluator!, /this role lacks the right to append events about an environment \(row-level security policy "evaluator_appends_no_deploys"/, ...args, '--actor', 'ci', '--reason', 'r', '--dry-run');
      expect(dry.output).not.toMatch(/would be deployed|gates? failed|requires it deployed/);
    }

    // The deployer (release manager) deploys and rolls back on the evaluator's marks.
    await ok(dir, url.deployer!, 'deploy', `${ID}@1.0.0`, '--env', 'staging', '--actor', 'ana');
    await ok(dir, url.deployer!, 'deploy', `${ID}@1.1.0`, '--env', 'staging', '--actor', 'ana');
    await ok(dir, url.deployer!, 'rollback', ID, '--env', 'staging', '--actor', 'ana');
    await ok(dir, url.deployer!, 'deploy', `${ID}@1.1.0`, '--env', 'staging', '--actor', 'ana');
    await ok(dir, url.deployer!, 'status');
    await ok(dir, url.deployer!, 'history', ID);
    await ok(dir, url.deployer!, 'audit', 'verify');
    // CI anchors the head: like verify, one REPEATABLE READ READ ONLY transaction, which needs no privilege of its own.
    await ok(dir, url.evaluator!, 'audit', 'head');
    const deployed = await counts();
    expect(Number(deployed.events)).toBe(Number(evaluated.events) + 4);
    // ... but records no runs (nor reads the canary key).
    await refused(dir, url.deployer!, /lacks INSERT on runs, UPDATE on runs, INSERT on samples, SELECT on response_cache, INSERT on response_cache, INSERT on run_leases: nothing was sent or written/, 'eval', `${ID}@1.1.0`, '--no-cache');
    // Not even a new draft's content or its revision (registered, or superseded with an event, before eval is refused).
    writeProjectFile(dir, `prompts/${ID}/1.2.0.yaml`, readProjectFile(dir, `prompts/${ID}/1.1.0.yaml`).replace('version: 1.1.0', 'version: 1.2.0'));
    await refused(dir, url.deployer!, /lacks INSERT on runs/, 'eval', `${ID}@1.2.0`, '--no-cache');
    rmSync(path.join(dir, `prompts/${ID}/1.2.0.yaml`));
    expect(await counts()).toEqual(deployed);
    // The evaluator cannot roll back either.
    await refused(dir, url.evaluator!, /row-level security policy "evaluator_appends_no_deploys"/, 'rollback', ID, '--env', 'staging', '--actor', 'ci');
    expect(await counts()).toEqual(deployed);
    await refused(dir, url.evaluator!, /lacks the right to append events about an environment/, 'rollback', ID, '--env', 'staging', '--actor', 'ci', '--dry-run');

    // The reader (an application) gets and exports the active version, through the CLI and the library.
    expect(JSON.parse((await ok(dir, url.reader!, 'get', ID, '--env', 'staging', '--json')).stdout)).toMatchObject({ version: '1.1.0' });
    await ok(dir, url.reader!, 'export', '--env', 'staging');
    // registry info works for every role: a table the role may not read is not counted (null), not a permission error.
    const info = async (role: string) => (JSON.parse((await ok(dir, url[role]!, 'registry', 'info', '--json')).stdout) as { schemaVersion: number; counts: Record<string, number | null> }).counts;
    expect(await info('reader')).toEqual({ versions: 2, runs: null, samples: null, testedMarks: 2, events: Number(deployed.events), cachedResponses: null });
    expect(await info('deployer')).toMatchObject({ versions: 2, runs: Number(deployed.runs), testedMarks: 2, cachedResponses: null });
    expect((await ok(dir, url.deployer!, 'registry', 'info')).stdout).toMatch(/^cached answers {2}not readable by this role$/m);
    const app = openRegistry({ url: url.reader! });
    expect((await app.getActive(ID, 'staging'))?.version).toBe('1.1.0');
    await app.close();
    // ... and nothing else.
    await refused(dir, url.reader!, /lacks INSERT on runs/, 'eval', `${ID}@1.1.0`);
    // Refused before anything is read in a transaction, naming what the role lacks and whose role the job needs.
    const refusedDeploy = await refused(dir, url.reader!, /deploy appends a deploy event to the audit log, after reading the runs its gates judge, and this role lacks INSERT on events, UPDATE on chain_head, SELECT on runs, SELECT on samples: nothing was written/, 'deploy', `${ID}@1.0.0`, '--env', 'staging', '--actor', 'app');
    expect(refusedDeploy.stderr).toMatch(/^hint: run deploy with the deployer role's credentials \(a release manager's\)/m);
    await refused(dir, url.reader!, /\(promote\)[\s\S]*promote appends a deploy event[\s\S]*lacks INSERT on events, UPDATE on chain_head, SELECT on runs, SELECT on samples/, 'promote', ID, '--from', 'staging', '--to', 'production', '--actor', 'app', '--reason', 'r');
    await refused(dir, url.reader!, /rollback appends a rollback event to the audit log, and this role lacks INSERT on events, UPDATE on chain_head: nothing was written/, 'rollback', ID, '--env', 'staging', '--actor', 'app');
    expect(await counts()).toEqual(deployed);
    // `registry push` needs the owner: a reader or deployer is told of the missing permission, not of "missing columns".
    const local = await runCliInProcess(['eval', `${ID}@1.0.0`], { cwd: dir, env: {} });
    expect(local.code, local.output).toBe(0);
    for (const role of ['reader', 'deployer'] as const) {
      // Without the local log (it diverged from the team's): straight to the records.
      const push = await cli(dir, url[role]!, 'registry', 'push', '--skip-events');
      expect(push.code, push.output).toBe(3);
      expect(push.output).toMatch(/registry push needs the schema owner: .* lacks .*INSERT on runs.*; nothing was written/);
      expect(push.output).not.toMatch(/has no column/);
    }
    expect(await counts()).toEqual(deployed);
    // Pruning the response cache is the owner's: CI may add answers, and count them, not drop them.
    const held = (await ok(dir, url.evaluator!, 'registry', 'prune-cache', '--all', '--dry-run')).stdout;
    expect(held).toMatch(/^would remove [1-9]\d* cached answers/);
    for (const role of ['evaluator', 'deployer'] as const) await refused(dir, url[role]!, /permission denied for table response_cache/, 'registry', 'prune-cache', '--all');
    expect((await ok(dir, url.evaluator!, 'registry', 'prune-cache', '--all', '--dry-run')).stdout).toBe(held);
    expect(await counts()).toEqual(deployed);
    // No role rewrites a released version's content, even with its own SQL client (the row is out of its reach).
    for (const role of ['evaluator', 'deployer'] as const) {
      const writer = new pg.Client({ connectionString: url[role] });
      await writer.connect();
      try {
        const r = await writer.query(`UPDATE promptctl.prompt_versions SET content = 'rewritten' WHERE prompt_id = $1 AND version = '1.0.0'`, [ID]);
        expect(r.rowCount, role).toBe(0);
      } finally {
        await writer.end();
      }
    }
    expect((await live.cluster.query<{ content: string }>(`SELECT content FROM promptctl.prompt_versions WHERE prompt_id = $1 AND version = '1.0.0'`, [ID], db))[0]!.content).not.toBe('rewritten');
    // A draft's content is still replaced when the evaluator evaluates its revision (kept in superseded_versions).
    const draft = readProjectFile(dir, `prompts/${ID}/1.1.0.yaml`).replace('version: 1.1.0', 'version: 1.3.0');
    writeProjectFile(dir, `prompts/${ID}/1.3.0.yaml`, draft);
    await ok(dir, url.evaluator!, 'eval', `${ID}@1.3.0`, '--suite', 'golden');
    writeProjectFile(dir, `prompts/${ID}/1.3.0.yaml`, draft.replace(/^description: .*$/m, 'description: revised draft'));
    await ok(dir, url.evaluator!, 'eval', `${ID}@1.3.0`, '--suite', 'golden');
    const kept = await live.cluster.query<{ n: string }>(`SELECT count(*) AS n FROM promptctl.superseded_versions WHERE prompt_id = $1 AND version = '1.3.0'`, [ID], db);
    expect(Number(kept[0]!.n)).toBe(1);
    rmSync(path.join(dir, `prompts/${ID}/1.3.0.yaml`));
    // It cannot read raw outputs (personal data) or the canary key, even with its own SQL client.
    const client = new pg.Client({ connectionString: url.reader });
    await client.connect();
    try {
      for (const table of ['samples', 'secrets', 'runs', 'response_cache']) {
        await expect(client.query(`SELECT * FROM promptctl.${table}`)).rejects.toThrow(/permission denied/);
      }
      await expect(client.query('CREATE TABLE promptctl.mine (x int)')).rejects.toThrow(/permission denied/);
    } finally {
      await client.end();
    }
  });

  it('every role refuses a schema version it does not know: exit 3 naming the command to run', async () => {
    const dir = makeSimProject(live.sim.url);
    relaxLatencyGate(dir); // latencies of separate runs on a loaded machine are noise
    const db = await live.cluster.createDatabase();
    const owner = live.cluster.url(db, { withPassword: true });
    await ok(dir, owner, 'registry', 'migrate');
    const printed = JSON.parse((await ok(dir, owner, 'registry', 'roles', '--json', '--prefix', 'v_')).stdout) as { roles: Record<string, string>; sql: string };
    await live.cluster.query(printed.sql, [], db);
    await live.cluster.query(`CREATE ROLE v_login LOGIN PASSWORD 'pw-reader' IN ROLE ${printed.roles.reader}`);
    const reader = `postgres://v_login:pw-reader@127.0.0.1:${live.cluster.port}/${db}`;
    await ok(dir, reader, 'status');
    // A schema an older promptctl left (the last step not applied): only the owner's migrate fixes it.
    await live.cluster.query(`DELETE FROM promptctl.schema_migrations WHERE version = ${PG_SCHEMA_VERSION}`, [], db);
    const older = await cli(dir, reader, 'get', ID, '--env', 'staging');
    expect(older.code).toBe(3);
    expect(older.output).toMatch(new RegExp(`uses schema version ${PG_SCHEMA_VERSION - 1}; this promptctl needs ${PG_SCHEMA_VERSION}[\\s\\S]*run \`promptctl registry migrate\``));
    // A newer one: upgrade promptctl.
    await live.cluster.query(`INSERT INTO promptctl.schema_migrations VALUES (${PG_SCHEMA_VERSION}, 'x'), (${PG_SCHEMA_VERSION + 1}, 'x')`, [], db);
    const newer = await cli(dir, reader, 'status');
    expect(newer.code).toBe(3);
    expect(newer.output).toMatch(/written by a newer promptctl[\s\S]*upgrade promptctl/);
  });

  it('refuses to print roles for a SQLite registry (exit 2)', async () => {
    const dir = makeSimProject(live.sim.url);
    relaxLatencyGate(dir); // latencies of separate runs on a loaded machine are noise
    const r = await runCliInProcess(['registry', 'roles'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.output).toMatch(/uses the SQLite registry/);
  });
});

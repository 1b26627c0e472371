import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { openRegistry } from '../../src/index.js';
import { PG_SCHEMA_VERSION } from '../../src/infra/registry/postgres/migrations.js';
import { runCliInProcess, type RunResult } from '../support/cli.js';
import { freePort, postgresAvailable, postgresAndSimulatorForFile } from '../support/postgres.js';
import { makeSimProject, makeTempDir, relaxLatencyGate } from '../support/project.js';

/**
 * The CLI against a team registry on a real, throwaway PostgreSQL (PROMPTCTL_REGISTRY_URL):
 * migrate and info, an eval that records runs and a tested mark, deploy → status → rollback →
 * history → audit verify, and each fault as exit 3 that names what to do. The password never
 * appears in any output.
 */

const pgOk = postgresAvailable();
const ID = 'support-answer';
const live = postgresAndSimulatorForFile();

async function cli(dir: string, env: Record<string, string | undefined>, ...args: string[]): Promise<RunResult> {
  const r = await runCliInProcess(args, { cwd: dir, env });
  expect(r.output, 'the password must never be printed').not.toContain(live.cluster.password);
  return r;
}

async function ok(dir: string, env: Record<string, string | undefined>, ...args: string[]): Promise<RunResult> {
  const r = await cli(dir, env, ...args);
  expect(r.code, `promptctl ${args.join(' ')}\n${r.output}`).toBe(0);
  return r;
}

/** A project on a fresh database, the URL (with its password) in the environment as CI would pass it. */
async function teamProject(): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = makeSimProject(live.sim.url);
  // Gates compare against real latencies of a loaded machine: this file is about the backend, not p95.
  relaxLatencyGate(dir);
  return { dir, env: { PROMPTCTL_REGISTRY_URL: live.cluster.url(await live.cluster.createDatabase(), { withPassword: true }) } };
}

function patchRegistry(dir: string, registry: Record<string, unknown>): void {
  const rc = path.join(dir, '.promptrc.yaml');
  const config = parseYaml(readFileSync(rc, 'utf8')) as Record<string, unknown>;
  writeFileSync(rc, stringifyYaml({ ...config, registry }));
}

describe.runIf(pgOk)('promptctl on a PostgreSQL registry', () => {
  it('refuses to work before `registry migrate`, then migrates once and shows info without the password', async () => {
    const { dir, env } = await teamProject();
    const before = await cli(dir, env, 'status');
    expect(before.code).toBe(3);
    expect(before.output).toMatch(/no promptctl schema "promptctl" yet[\s\S]*promptctl registry migrate/);
    expect(JSON.parse((await ok(dir, env, 'registry', 'migrate', '--json')).stdout)).toMatchObject({ backend: 'postgres', from: 0, to: PG_SCHEMA_VERSION });
    // One database may hold a registry per schema (one per repository): the schema is named.
    expect((await ok(dir, env, 'registry', 'migrate')).stdout).toContain(`(postgres, schema promptctl) is up to date: schema version ${PG_SCHEMA_VERSION}`);
    expect((await ok(dir, env, 'registry', 'info')).stdout).toMatch(/^schema {10}promptctl$/m);
    const info = JSON.parse((await ok(dir, env, 'registry', 'info', '--json')).stdout);
    expect(info).toMatchObject({ backend: 'postgres', schemaVersion: PG_SCHEMA_VERSION, counts: { versions: 0, events: 0 } });
    expect(info.location).toBe(live.cluster.url(new URL(env.PROMPTCTL_REGISTRY_URL!).pathname.slice(1)));
  });

  it('evaluates, deploys, shows status, rolls back, lists history and verifies the audit chain', async () => {
    const { dir, env } = await teamProject();
    await ok(dir, env, 'registry', 'migrate');
    await ok(dir, env, 'eval', `${ID}@1.0.0`);
    await ok(dir, env, 'eval', `${ID}@1.1.0`);
    const info = JSON.parse((await ok(dir, env, 'registry', 'info', '--json')).stdout);
    expect(info.counts.runs).toBeGreaterThanOrEqual(2);
    expect(info.counts.samples).toBeGreaterThan(0);
    expect(info.counts.testedMarks).toBe(2);
    await ok(dir, env, 'deploy', `${ID}@1.0.0`, '--env', 'staging', '--actor', 'ana');
    await ok(dir, env, 'deploy', `${ID}@1.1.0`, '--env', 'staging', '--actor', 'ana');
    const status = JSON.parse((await ok(dir, env, 'status', '--json')).stdout) as { rows: Array<{ promptId: string; env: string; version?: string }> };
    expect(status.rows.find((r) => r.promptId === ID && r.env === 'staging')?.version).toBe('1.1.0');
    // An application reads the active version from the same database through the library.
    const app = openRegistry({ url: env.PROMPTCTL_REGISTRY_URL! });
    expect((await app.getActive(ID, 'staging'))?.version).toBe('1.1.0');
    expect(Object.keys((await app.exportEnv('staging')).prompts)).toEqual([ID]);
    await app.close();
    await ok(dir, env, 'rollback', ID, '--env', 'staging', '--actor', 'ana');
    const history = JSON.parse((await ok(dir, env, 'history', ID, '--json')).stdout);
    expect(JSON.stringify(history)).toContain('rollback');
    expect((await ok(dir, env, 'audit', 'verify')).stdout).toMatch(/5 events, hash chain intact/); // 2 tested marks, 2 deploys, 1 rollback
  });

  it('lint and list flag a released version edited since, read from PostgreSQL', async () => {
    const { dir, env } = await teamProject();
    await ok(dir, env, 'registry', 'migrate');
    await ok(dir, env, 'eval', `${ID}@1.0.0`);
    await ok(dir, env, 'deploy', `${ID}@1.0.0`, '--env', 'staging', '--actor', 'ana');
    const file = path.join(dir, 'prompts', ID, '1.0.0.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^description: .*$/m, 'description: edited after release'));
    const lint = await cli(dir, env, 'lint');
    expect(lint.code).toBe(2);
    expect(lint.output).toMatch(/support-answer@1\.0\.0 was edited after it was released \(deployed to staging\)[\s\S]*version\/edited/);
    const down = await cli(dir, { PROMPTCTL_REGISTRY_URL: `postgres://postgres@127.0.0.1:${await freePort()}/x` }, 'lint');
    expect(down.output).toMatch(/could not read the registry \(cannot reach/);
  });

  it('takes the password from the variable registry.password_env names, with the URL in the file', async () => {
    const { dir, env } = await teamProject();
    patchRegistry(dir, { url: env.PROMPTCTL_REGISTRY_URL!.replace(`:${encodeURIComponent(live.cluster.password)}@`, '@'), password_env: 'TEAM_DB_PASSWORD' });
    await ok(dir, { TEAM_DB_PASSWORD: live.cluster.password }, 'registry', 'migrate');
    await ok(dir, { TEAM_DB_PASSWORD: live.cluster.password }, 'status');
  });

  it('reads the password from ~/.pgpass as libpq does, and ignores a file others may read', async () => {
    const { dir, env } = await teamProject();
    const bare = env.PROMPTCTL_REGISTRY_URL!.replace(`:${encodeURIComponent(live.cluster.password)}@`, '@');
    const home = makeTempDir();
    const pgpass = path.join(home, '.pgpass');
    writeFileSync(pgpass, `# host:port:database:user:password\n127.0.0.1:${live.cluster.port}:*:postgres:${live.cluster.password.replace(/:/g, '\\:')}\n`, { mode: 0o600 });
    await ok(dir, { PROMPTCTL_REGISTRY_URL: bare, HOME: home }, 'registry', 'migrate');
    chmodSync(pgpass, 0o644);
    const r = await cli(dir, { PROMPTCTL_REGISTRY_URL: bare, HOME: home }, 'status');
    expect(r.code).toBe(3);
    expect(r.output).toMatch(/refused the credentials/);
  });

  it('refuses a password written in the file (exit 2, naming the field, never echoing it)', async () => {
    const { dir, env } = await teamProject();
    patchRegistry(dir, { url: env.PROMPTCTL_REGISTRY_URL });
    const r = await cli(dir, {}, 'status');
    expect(r.code).toBe(2);
    expect(r.output).toMatch(/\.promptrc\.yaml:\d+:\d+ registry\.url: must not contain a password/);
  });

  it('turns every fault into exit 3 with what to do, and never prints the password', async () => {
    const { dir } = await teamProject();
    const url = (user: string, password: string, port: number, db: string) => `postgres://${user}:${password}@127.0.0.1:${port}/${db}`;
    const wrong = await cli(dir, { PROMPTCTL_REGISTRY_URL: url('postgres', 'not-the-Secret-42', live.cluster.port, 'postgres') }, 'status');
    expect(wrong.code).toBe(3);
    expect(wrong.output).toMatch(/refused the credentials[\s\S]*hint: the password taken from the URL in PROMPTCTL_REGISTRY_URL was rejected: correct it there \(the URL's password wins, then .*PGPASSWORD/);
    expect(wrong.output).not.toMatch(/give the password in the environment/);
    expect(wrong.output).not.toContain('not-the-Secret-42');
    const wrongVar = await cli(dir, { PROMPTCTL_REGISTRY_URL: `postgres://postgres@127.0.0.1:${live.cluster.port}/postgres`, PGPASSWORD: 'not-the-Secret-42' }, 'status');
    expect(wrongVar.code).toBe(3);
    expect(wrongVar.output).toMatch(/hint: the password taken from PGPASSWORD was rejected/);
    expect(wrongVar.output).not.toContain('not-the-Secret-42');
    const down = await cli(dir, { PROMPTCTL_REGISTRY_URL: url('postgres', live.cluster.password, await freePort(), 'postgres') }, 'history');
    expect(down.code).toBe(3);
    expect(down.output).toMatch(/cannot reach the PostgreSQL registry at postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres[\s\S]*ECONNREFUSED/);
    const missing = await cli(dir, { PROMPTCTL_REGISTRY_URL: url('postgres', live.cluster.password, live.cluster.port, 'no_such_db') }, 'registry', 'migrate');
    expect(missing.code).toBe(3);
    expect(missing.output).toMatch(/database of the registry .* does not exist[\s\S]*createdb/);
    const tls = await cli(dir, { PROMPTCTL_REGISTRY_URL: `${url('postgres', live.cluster.password, live.cluster.port, 'postgres')}?sslmode=verify-full` }, 'status');
    expect(tls.code).toBe(3);
    expect(tls.output).toMatch(/does not support SSL[\s\S]*sslmode/);
    const notPostgres = await cli(dir, { PROMPTCTL_REGISTRY_URL: 'mysql://root:hunter2@127.0.0.1/db' }, 'status');
    expect(notPostgres.code).toBe(2);
    expect(notPostgres.output).not.toContain('hunter2');
  });
});

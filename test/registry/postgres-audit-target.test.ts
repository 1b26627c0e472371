import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresRegistry } from '../../src/infra/registry/postgres/registry.js';
import { postgresTarget } from '../../src/infra/registry/target.js';
import { migrateProjectRegistry } from '../../src/infra/registry-admin.js';
import { runCliInProcess } from '../support/cli.js';
import { postgresAvailable, startPostgres, type PgCluster } from '../support/postgres.js';
import { cleanupTempDirs, makeProject, registryPath } from '../support/project.js';

/**
 * `audit verify` and `audit head` on a team registry check the team registry only: a local SQLite
 * file left behind after `registry push` (damaged, or registry.path naming a folder) is not the
 * registry they verify, and an empty team log is named by its URL and schema, with the settings
 * that choose it.
 */

const pgOk = postgresAvailable();
let cluster: PgCluster;
beforeAll(async () => {
  if (pgOk) cluster = await startPostgres();
});
afterAll(() => cleanupTempDirs());

/** A migrated team database, with `events` deploy events appended; the environment the CLI needs for it. */
async function teamRegistry(events: number): Promise<{ url: string; env: Record<string, string> }> {
  const url = cluster.url(await cluster.createDatabase());
  const clock = { date: () => new Date() };
  await migrateProjectRegistry({ root: '/', config: { registry: { path: 'x', schema: 'promptctl', url } } as never }, { env: { PGPASSWORD: cluster.password }, clock });
  const team = openPostgresRegistry({ target: postgresTarget(url, { password: cluster.password }) });
  try {
    for (let i = 0; i < events; i++) await team.appendEvent({ env: 'staging', promptId: 'support-answer', version: `1.${i}.0`, previousVersion: null, action: 'deploy', actor: 'ana', reason: null });
  } finally {
    await team.close();
  }
  return { url, env: { PROMPTCTL_REGISTRY_URL: url, PGPASSWORD: cluster.password } };
}

const cli = (dir: string, env: Record<string, string>, ...args: string[]) => runCliInProcess(args, { cwd: dir, env });

describe.runIf(pgOk)('audit on a team registry beside a leftover local file', () => {
  it('verifies and anchors the team registry whatever the local SQLite file or registry.path holds', async () => {
    const { env } = await teamRegistry(2);
    const dir = makeProject();
    mkdirSync(path.dirname(registryPath(dir)), { recursive: true });
    writeFileSync(registryPath(dir), `SQLite format 3\u0000${'garbage '.repeat(600)}`);
    const verify = await cli(dir, env, 'audit', 'verify');
    expect(verify.code, verify.output).toBe(0);
    expect(verify.stdout).toMatch(/audit log verified: 2 events, hash chain intact/);
    const head = await cli(dir, env, 'audit', 'head');
    expect(head.code, head.output).toBe(0);
    expect(head.stdout).toMatch(/^2:[0-9a-f]{64}$/m);
    // registry.path naming a folder: a setting only the SQLite backend reads.
    const rc = path.join(dir, '.promptrc.yaml');
    writeFileSync(rc, readFileSync(rc, 'utf8').replace('path: .promptctl/registry.db', 'path: prompts'));
    const folder = await cli(dir, env, 'audit', 'verify');
    expect(folder.code, folder.output).toBe(0);
  });

  it('an empty team log names the team registry and its settings, not the local file or registry.path', async () => {
    const { url, env } = await teamRegistry(0);
    const dir = makeProject();
    for (const args of [['audit', 'verify'], ['audit', 'head']]) {
      const r = await cli(dir, env, ...args);
      expect(r.code, r.output).toBe(2);
      expect(r.stderr).toContain(`the registry at ${url} (schema promptctl) has no audit events yet`);
      expect(r.stderr).toMatch(/PROMPTCTL_REGISTRY_URL/);
      expect(r.output).not.toMatch(/registry\.db|registry\.path/);
      expect(r.output).not.toContain(cluster.password);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { freePort, postgresAvailable, startPostgres, type PgCluster } from '../support/postgres.js';
import { cleanupTempDirs, makeProject, makeTempDir } from '../support/project.js';
import { markTested } from '../support/registry-cli.js';

/**
 * `registry push --to <url>` that cannot reach its target names that URL in its hints: the server
 * not answering says to check the --to URL, a missing database gives the migrate command for that
 * URL (as a missing schema does). Before, they named PROMPTCTL_REGISTRY_URL or registry.url, which
 * --to does not read, and plain `promptctl registry migrate`, which migrates the configured
 * registry (SQLite here), not the one pushed to.
 */

const pgOk = postgresAvailable();
let cluster: PgCluster;
beforeAll(async () => {
  if (pgOk) cluster = await startPostgres();
});
afterAll(() => cleanupTempDirs());

async function pushTo(url: string) {
  const dir = makeProject();
  markTested(dir, 'support-answer@1.0.0');
  const r = await runCliInProcess(['registry', 'push', '--to', url], { cwd: dir, env: { HOME: makeTempDir(), PGPASSWORD: pgOk ? cluster.password : 'x' } });
  expect(r.code, r.output).toBe(3);
  expect(r.output).not.toMatch(/hint:.*(PROMPTCTL_REGISTRY_URL \(which wins\)|registry\.url in \.promptrc\.yaml)/);
  return r;
}

describe('registry push --to: hints name the --to URL', () => {
  it('a server that does not answer: check the --to URL', async () => {
    const url = `postgres://ci@127.0.0.1:${await freePort()}/prompts`;
    const r = await pushTo(url);
    expect(r.stderr).toContain(`cannot reach the PostgreSQL registry at ${url}`);
    expect(r.stderr).toMatch(/^hint: .*check the host and port in the --to URL$/m);
  });

  it.runIf(pgOk)('a database that does not exist: the migrate command of that URL', async () => {
    const url = cluster.url('no_such_database');
    const r = await pushTo(url);
    expect(r.stderr).toContain(`the database of the registry at ${url} does not exist`);
    expect(r.stderr).toContain(`then run \`PROMPTCTL_REGISTRY_URL='${url}' promptctl registry migrate\``);
    expect(r.output).not.toContain(cluster.password);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { postgresAvailable, startPostgres, type PgCluster } from '../support/postgres.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { markTested } from '../support/registry-cli.js';

/**
 * `registry push --to <url>` into a database with no promptctl schema yet: the hint's migrate
 * command names that URL (without its password). Plain `promptctl registry migrate` would migrate
 * the project's configured registry, here the local SQLite file, and the push would fail again.
 */

const pgOk = postgresAvailable();
let cluster: PgCluster;
beforeAll(async () => {
  if (pgOk) cluster = await startPostgres();
});
afterAll(() => cleanupTempDirs());

describe.runIf(pgOk)('registry push --to an unmigrated team registry', () => {
  it('hints at migrating that URL, not the local registry', async () => {
    const database = await cluster.createDatabase();
    const dir = makeProject();
    markTested(dir, 'support-answer@1.0.0');
    const url = cluster.url(database);
    const r = await runCliInProcess(['registry', 'push', '--to', url], { cwd: dir, env: { PGPASSWORD: cluster.password } });
    expect(r.code, r.output).toBe(3);
    expect(r.output).toContain(`run \`PROMPTCTL_REGISTRY_URL='${url}' promptctl registry migrate\` once`);
    expect(r.output).not.toContain(cluster.password);
  });
});

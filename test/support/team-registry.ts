import { afterAll, beforeAll, expect } from 'vitest';
import { runCliInProcess } from './cli.js';
import { startPostgres, type PgCluster } from './postgres.js';
import { cleanupTempDirs, makeProject } from './project.js';
import { markTested } from './registry-cli.js';

/**
 * A team registry for one test file: a database of its own on the run's cluster, holding `ref`
 * tested (the mark pushed from a SQLite project) and deployed to staging by `ana` against it.
 */
export async function teamRegistryDeployedToStaging(ref: string): Promise<{ cluster: PgCluster; database: string }> {
  const cluster = await startPostgres();
  const database = await cluster.createDatabase();
  const team = { PROMPTCTL_REGISTRY_URL: cluster.url(database, { withPassword: true }) };
  const dir = makeProject();
  markTested(dir, ref);
  // The tested mark reaches the team registry by push; the deploy is made against it.
  for (const args of [['registry', 'migrate'], ['registry', 'push'], ['deploy', ref, '--env', 'staging', '--actor', 'ana']]) {
    const r = await runCliInProcess(args, { cwd: dir, env: team });
    expect(r.code, r.output).toBe(0);
  }
  return { cluster, database };
}

/**
 * teamRegistryDeployedToStaging for the calling test file, made before its tests where PostgreSQL
 * is `available` (its temp folders removed after them): `cluster` and `database` are set then.
 */
export function teamRegistryForFile(available: boolean, ref: string): { readonly cluster: PgCluster; readonly database: string } {
  const team = {} as { cluster: PgCluster; database: string };
  beforeAll(async () => {
    if (available) Object.assign(team, await teamRegistryDeployedToStaging(ref));
  });
  afterAll(() => cleanupTempDirs());
  return team;
}

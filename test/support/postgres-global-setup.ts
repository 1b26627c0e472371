import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { findPostgresBin, startCluster, type ClusterAddress, type RunningCluster } from '../../scripts/pg-cluster.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The file where the run's PostgreSQL cluster writes its address once it is up (or why it is not). */
    postgresCluster?: string;
  }
}

/** What the run's cluster writes for the test files (postgres.ts startPostgres reads it). */
export type ClusterInfo = { address: ClusterAddress } | { error: string };

/** The file a test file creates, beside the address file, to ask for the cluster. */
export const WANTED = 'wanted';

/**
 * One PostgreSQL cluster for the whole test run (vitest globalSetup), where each test file used to
 * initdb its own: that was 16 clusters a run, about 0.9 s of CPU each. Files stay apart by working
 * in databases of their own. It starts when the first test file asks for it (postgres.ts creates
 * the WANTED file), so a run without PostgreSQL tests never pays for it; the files that need it
 * wait for its address file.
 */
export default function setup(project: TestProject): (() => Promise<void>) | undefined {
  const { bin } = findPostgresBin();
  if (!bin) return undefined; // postgres.ts postgresAvailable() says why, per file
  const infoDir = mkdtempSync(path.join(os.tmpdir(), 'promptctl-pg-info-'));
  const infoFile = path.join(infoDir, 'cluster.json');
  const publish = (info: ClusterInfo) => {
    writeFileSync(`${infoFile}.tmp`, JSON.stringify(info), { mode: 0o600 });
    renameSync(`${infoFile}.tmp`, infoFile);
  };
  project.provide('postgresCluster', infoFile);
  let starting: Promise<RunningCluster | undefined> | undefined;
  // Test files run in worker processes, which cannot call this one: they ask with a file.
  const asked = setInterval(() => {
    if (!existsSync(path.join(infoDir, WANTED))) return;
    clearInterval(asked);
    starting = startCluster(bin).then(
      (cluster) => {
        const { host, port, user, password } = cluster;
        publish({ address: { host, port, user, password } });
        return cluster;
      },
      (err: Error) => {
        publish({ error: err.message });
        return undefined;
      },
    );
  }, 20);
  asked.unref();
  return async () => {
    clearInterval(asked);
    (await starting)?.stop();
    rmSync(infoDir, { recursive: true, force: true });
  };
}

import { afterAll, describe, expect, it } from 'vitest';
import { InternalError, lint } from '../../src/app/index.js';
import { deadUrl } from '../model/harness.js';
import { cleanupTempDirs, makeSimProject, patchServerConfig } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * `lint`'s onProgress is the caller's, as eval's is: an async callback that rejects fails the call
 * (exit 70, its error as cause), never an unhandled rejection that crashes the host. The warning
 * comes from `--server` with a replica that is down.
 */

const sim = simulatorForFile();
afterAll(() => cleanupTempDirs());

async function projectWithDeadReplica(): Promise<string> {
  const dir = makeSimProject(sim.url);
  patchServerConfig(dir, { base_url: [await deadUrl(), sim.url] });
  return dir;
}

describe("lint's onProgress", () => {
  it('an async callback that rejects: lint rejects with exit 70 and the cause', async () => {
    const dir = await projectWithDeadReplica();
    const dashboardDown = new Error('dashboard down');
    const error = await lint({ cwd: dir, env: {}, server: true, onProgress: async () => { throw dashboardDown; } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InternalError);
    expect(error).toMatchObject({ exitCode: 70, message: 'onProgress threw: dashboard down' });
    expect((error as InternalError).cause).toBe(dashboardDown);
  });

  it('an async callback that resolves: the warning reaches it and the result', async () => {
    const dir = await projectWithDeadReplica();
    const seen: string[] = [];
    const result = await lint({ cwd: dir, env: {}, server: true, onProgress: async (e) => void seen.push(e.message) });
    expect(seen).toEqual(result.warnings);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/^warning: replica http:\/\/127\.0\.0\.1:\d+\/v1 is excluded/);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { auditVerify, deploy, history, runEval, status } from '../../src/app/index.js';
import { startSimulator } from '../../src/sim/server.js';
import { cleanupTempDirs, makeProject, makeSimProject } from '../support/project.js';
import { markTested } from '../support/registry-cli.js';

/**
 * Use cases of the library called at once from one process, each on a connection of its own to one
 * SQLite registry. A transaction held across awaits (a deploy's read-decide-write) once met another
 * connection of the same process asking SQLite for the write lock synchronously: the event loop
 * stopped, the holder never committed, and after the busy timeout (about 70 s) one call failed
 * "locked by another process". Now writes of one process take turns asynchronously.
 */

const ID = 'support-answer';
const env = { PROMPTCTL_ACTOR: 'script@example.com' };
afterAll(() => cleanupTempDirs());

describe('use cases at once in one process, one SQLite registry', () => {
  it('deploys to two environments, and two to one, all decided in turn with nothing lost', async () => {
    const cwd = makeProject();
    markTested(cwd, `${ID}@1.0.0`, `${ID}@1.1.0`);
    const to = (ref: string, environment: string) => deploy({ cwd, env, ref, environment });
    const outcomes = await Promise.all([to(`${ID}@1.0.0`, 'development'), to(`${ID}@1.0.0`, 'staging'), to(`${ID}@1.1.0`, 'development'), to(`${ID}@1.1.0`, 'staging')]);
    expect(outcomes.map((o) => o.exitCode)).toEqual([0, 0, 0, 0]);
    expect((await history({ cwd, env })).events.filter((e) => e.action === 'deploy')).toHaveLength(4);
    // Two tested marks (events of the chain) and the four deploys.
    expect(await auditVerify({ cwd, env })).toMatchObject({ ok: true, events: 6 });
    const rows = (await status({ cwd, env })).rows.filter((r) => r.env !== 'production');
    // The second deploy to each environment found the first's event: its previous version is 1.0.0.
    expect(outcomes[2]!.previousVersion).toBe('1.0.0');
    expect(outcomes[3]!.previousVersion).toBe('1.0.0');
    expect(rows.map((r) => `${r.env} ${r.version}`).sort()).toEqual(['development 1.1.0', 'staging 1.1.0']);
  });

  it('an eval writing its results while deploys and status run beside it', async () => {
    const sim = await startSimulator({ port: 0 });
    try {
      const cwd = makeSimProject(sim.url);
      markTested(cwd, `${ID}@1.0.0`);
      const [evaluated, ...deployed] = await Promise.all([
        runEval({ cwd, env, refs: [`${ID}@1.1.0`] }),
        deploy({ cwd, env, ref: `${ID}@1.0.0`, environment: 'development' }),
        deploy({ cwd, env, ref: `${ID}@1.0.0`, environment: 'staging' }),
        status({ cwd, env }),
      ]);
      expect(evaluated.exitCode).toBe(0);
      expect(evaluated.report.versions).toEqual([{ promptId: ID, version: '1.1.0', tested: true }]);
      expect(deployed.slice(0, 2).map((d) => (d as { exitCode: number }).exitCode)).toEqual([0, 0]);
      expect(await auditVerify({ cwd, env })).toMatchObject({ ok: true });
    } finally {
      await sim.close();
    }
  });
});

import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runEval } from '../../src/app/index.js';
import { startSimulator, type Simulator } from '../../src/sim/server.js';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeSimProject } from '../support/project.js';

/**
 * Runs, deploys and cached answers from before 0.2.0 recorded no root, even where the server named
 * one: their weights are unknown, never taken for the name's own. Upgrading promptctl, and the first
 * run that records the (unchanged) root, must neither refuse the older marks nor send every cached
 * answer again.
 */

const env = { PROMPTCTL_ACTOR: 'weights@example.com' };
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});
afterAll(() => cleanupTempDirs());

function asBefore02(cwd: string): void {
  const db = new Database(join(cwd, '.promptctl/registry.db'));
  try {
    db.exec(`UPDATE runs SET summary = json_remove(summary, '$.served.root')`);
    db.exec(`UPDATE response_cache SET root = NULL`);
  } finally {
    db.close();
  }
}

describe('a registry written before roots were recorded, the same weights all along', () => {
  it('keeps its marks and its cached answers after a run records the root', async () => {
    sim = await startSimulator({ models: ['sim-model'], modelSpecs: [{ id: 'sim-model', root: '/models/ft-v1' }] });
    const cwd = makeSimProject(sim.url, {}, 'promptctl-root-before-0.2-');
    expect((await runEval({ cwd, env, refs: ['support-answer@1.1.0'] })).report.versions[0]!.tested).toBe(true);
    asBefore02(cwd);
    // After the upgrade another version's eval records the root the name serves (unchanged).
    await runEval({ cwd, env, refs: ['support-answer@1.0.0'], suite: ['golden'] });
    const deploy = await runCliInProcess(['deploy', 'support-answer@1.1.0', '--env', 'staging', '--actor', 'rm@example.com'], { cwd, env });
    expect(deploy.code, deploy.output).toBe(0);
    const sent = sim.stats().chatCompletions;
    const again = await runEval({ cwd, env, refs: ['support-answer@1.1.0'] });
    expect(sim.stats().chatCompletions - sent, 'every answer from the cache').toBe(0);
    expect(again.report.versions[0]!.tested).toBe(true);
  });
});

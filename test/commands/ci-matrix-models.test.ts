import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ci, commitAll, git, initRepo, newVersion } from '../support/ci-repo.js';
import { makeSimProject, patchServerConfig, relaxLatencyGate } from '../support/project.js';
import { patchConfig } from '../support/registry-cli.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * `server.models` runs every version on each model; ci gates only the models a deploy would serve
 * a version on. A matrix model no environment serves is exploratory: its runs are reported, said
 * not to gate and why, and a failure there fails no pull request. Once an environment serves it, it gates.
 */

const sim = simulatorForFile({ models: ['sim-model', 'sim-model-next'], modelSpecs: [{ id: 'sim-model-next', weakness: 0.9 }] });

/** A project on main that runs every version on both models, and a branch adding a new version (`edit`ed). */
async function featureBranch(description: string, edit?: Parameters<typeof newVersion>[2]): Promise<string> {
  const dir = makeSimProject(sim.url, {}, 'promptctl-ci-matrix-');
  relaxLatencyGate(dir);
  patchServerConfig(dir, { models: ['sim-model', 'sim-model-next'] });
  initRepo(dir, 'a project with an exploratory model');
  git(dir, 'checkout', '-q', '-b', 'feature');
  await newVersion(dir, description, edit);
  commitAll(dir, 'new version');
  return dir;
}

describe('ci with a model matrix', () => {
  it('reports, and does not gate on, a matrix model no environment serves; gates it once one does', async () => {
    const dir = await featureBranch('the same prompt, a new version');

    const r = await ci(dir);
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toContain('not gating: support-answer@1.2.0 on sim-model-next: no environment serves it on sim-model-next');
    expect(readFileSync(path.join(dir, 's.md'), 'utf8')).toContain('### Runs on models no environment serves (not gating)');

    // Staging now serves it: the same failure fails the pull request.
    patchConfig(dir, (c) => {
      c.environments.find((e: { name: string }) => e.name === 'staging').model = 'sim-model-next';
    });
    commitAll(dir, 'staging serves sim-model-next');
    const served = await ci(dir);
    expect(served.code, served.output).toBe(1);
    expect(served.stdout).not.toContain('no environment serves it');
  });

  it('still gates the served model\'s run beside a run on a matrix model no environment serves', async () => {
    // Without its facts the new version fails golden on sim-model too, the model every environment serves.
    const dir = await featureBranch('the facts dropped', (lines) => lines.filter((l) => !/^ {6}- /.test(l)));

    const r = await ci(dir);
    expect(r.stdout).toContain('not gating: support-answer@1.2.0 on sim-model-next: no environment serves it on sim-model-next');
    expect(r.code, r.output).toBe(1);
  });
});

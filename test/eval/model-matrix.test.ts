import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../src/core/schemas/report.js';
import { runEval } from '../../src/app/index.js';
import { runCliInProcess } from '../support/cli.js';
import { makeSimProject, patchServerConfig, readProjectFile, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * The model matrix: one run per version × suite × model, a tested mark per model, runs named with
 * their model; adapters are ordinary entries; a version's model pin wins over the matrix.
 */

const sim = simulatorForFile({
  models: ['sim-model', 'sim-model-next'],
  modelSpecs: [
    { id: 'sim-model', root: 'org/sim-7b-v1' },
    { id: 'sim-model-next', root: 'org/sim-7b-v2', weakness: 0.6 },
    { id: 'support-lora', parent: 'sim-model' },
  ],
});
const env = { PROMPTCTL_ACTOR: 'matrix@example.com' };

const MODELS = ['sim-model', 'sim-model-next', 'support-lora'];

describe('eval --model a --model b', () => {
  it('runs every suite on every model, marks each model, and records what the server says each model is', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-matrix-');
    const result = await runEval({ cwd, env, refs: ['support-answer@1.1.0'], model: MODELS });
    const runs = result.report.runs.map((o) => `${o.run.model}/${o.run.suite}/${o.run.summary?.verdict}`).sort();
    expect(runs).toEqual([
      'sim-model-next/adversarial/passed',
      'sim-model-next/golden/failed',
      'sim-model/adversarial/passed',
      'sim-model/golden/passed',
      'support-lora/adversarial/passed',
      'support-lora/golden/passed',
    ]);
    expect(result.report.matrix).toEqual(MODELS);
    expect(result.report.versions.map((v) => [v.model, v.tested])).toEqual([
      ['sim-model', true],
      ['sim-model-next', false],
      ['support-lora', true],
    ]);
    const served = Object.fromEntries(result.report.runs.map((o) => [o.run.model, o.run.summary?.served]));
    expect(served).toEqual({
      'sim-model': { root: 'org/sim-7b-v1' },
      'sim-model-next': { root: 'org/sim-7b-v2' },
      'support-lora': { root: 'adapters/support-lora', parent: 'sim-model', parentRoot: 'org/sim-7b-v1' },
    });
    expect(result.exitCode).toBe(1);
  });

  it('names each run and mark with its model in the table', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-matrix-');
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--model', 'sim-model', '--model', 'sim-model-next'], { cwd, env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('support-answer@1.1.0:sim-model-next');
    expect(r.stdout).toMatch(/✓ support-answer@1\.1\.0:sim-model tested on sim-model\n/);
    expect(r.stdout).toMatch(/✗ support-answer@1\.1\.0:sim-model-next not tested: suite 'golden' failed/);
  });

  it('takes the matrix from server.models; a model alone is the single-model report, unchanged', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-matrix-');
    patchServerConfig(cwd, { models: ['sim-model', 'support-lora'] });
    // Live progress names each sample's model too, so a FAIL line says which model failed.
    const sampled = (events: ProgressEvent[]) => events.filter((e): e is Extract<ProgressEvent, { type: 'sample' }> => e.type === 'sample');
    const seen: ProgressEvent[] = [];
    const matrix = await runEval({ cwd, env, refs: ['support-answer@1.1.0'], onProgress: (e) => seen.push(e) });
    expect(new Set(matrix.report.runs.map((o) => o.run.model))).toEqual(new Set(['sim-model', 'support-lora']));
    expect(matrix.report.runs.every((o) => o.showModel)).toBe(true);
    expect(new Set(sampled(seen).map((e) => e.model))).toEqual(new Set(['sim-model', 'support-lora']));
    const plainSeen: ProgressEvent[] = [];
    const plain = await runEval({ cwd: makeSimProject(sim.url, {}, 'promptctl-matrix-'), env, refs: ['support-answer@1.1.0'], onProgress: (e) => plainSeen.push(e) });
    expect(sampled(plainSeen).some((e) => e.model !== undefined)).toBe(false);
    expect(plain.report.matrix).toBeUndefined();
    expect(plain.report.versions).toEqual([{ promptId: 'support-answer', version: '1.1.0', tested: true }]);
    expect(plain.report.runs.some((o) => o.showModel)).toBe(false);
  });

  it('a version that pins model.model runs on its pin only', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-matrix-');
    const file = 'prompts/support-answer/1.1.0.yaml';
    writeProjectFile(cwd, file, readProjectFile(cwd, file).replace(/^model:\n/m, 'model:\n  model: support-lora\n'));
    const result = await runEval({ cwd, env, refs: ['support-answer@1.1.0'], model: ['sim-model', 'sim-model-next'] });
    expect(new Set(result.report.runs.map((o) => o.run.model))).toEqual(new Set(['support-lora']));
    expect(result.report.versions.map((v) => [v.model, v.tested])).toEqual([['support-lora', true]]);
    // Said, not silently done; in the options the script passed (the CLI says `not on --model sim-model, sim-model-next`).
    expect(result.warnings).toContain('support-answer@1.1.0 pins model.model support-lora: it runs on support-lora only, not on model: ["sim-model","sim-model-next"]');
  });
});

describe('compare id@version:model', () => {
  it('compares one version on two models case by case, evaluating what has no stored run on each', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-matrix-');
    const r = await runCliInProcess(['compare', 'support-answer@1.1.0:sim-model', ':sim-model-next', '--suite', 'golden', '--json'], { cwd, env });
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout) as { a: string; b: string; runs: Array<{ model: string; evaluated: boolean }>; rows: Array<{ change: string; verdictA: string; verdictB: string }> };
    expect([data.a, data.b]).toEqual(['1.1.0:sim-model', '1.1.0:sim-model-next']);
    expect(data.runs.map((x) => [x.model, x.evaluated])).toEqual([['sim-model', true], ['sim-model-next', true]]);
    expect(data.rows.filter((x) => x.change === 'regression').length).toBeGreaterThan(0);
    expect(data.rows.every((x) => x.verdictA === 'pass')).toBe(true);
    // Stored now: read again without the server.
    const again = await runCliInProcess(['compare', 'support-answer@1.1.0:sim-model', 'support-answer@1.1.0:sim-model-next', '--suite', 'golden', '--no-eval'], { cwd, env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('support-answer: 1.1.0:sim-model vs 1.1.0:sim-model-next');
  });

  it('--no-eval without a stored run on a named model says which model, and the eval that records it', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-matrix-');
    const r = await runCliInProcess(['compare', 'support-answer@1.0.0', 'support-answer@1.1.0:sim-model-next', '--suite', 'golden', '--no-eval'], { cwd, env });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain('no stored run of support-answer@1.0.0 (golden) and support-answer@1.1.0 on model sim-model-next (golden)');
    // Only golden is compared: the evals offered record golden alone. No run used sim-model-next and the
    // project does not name it: reading stored runs cannot ask the server, so the name is to check first.
    expect(r.stderr).toContain(
      'hint: record them first: promptctl eval support-answer@1.0.0 --suite golden; and check the model name "sim-model-next" first (no stored run of support-answer used it, nor does the project name it for 1.1.0); if the server serves sim-model-next, promptctl eval support-answer@1.1.0 --model sim-model-next --suite golden\n',
    );
  });

  it('refuses the same version on the same model, and a model a version pin excludes', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-matrix-');
    const same = await runCliInProcess(['compare', 'support-answer@1.1.0', 'support-answer@1.1.0:sim-model'], { cwd, env });
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('one version on two models');
    const file = 'prompts/support-answer/1.1.0.yaml';
    writeProjectFile(cwd, file, readProjectFile(cwd, file).replace(/^model:\n/m, 'model:\n  model: sim-model\n'));
    const pinned = await runCliInProcess(['compare', 'support-answer@1.1.0:sim-model', ':sim-model-next'], { cwd, env });
    expect(pinned.code).toBe(2);
    expect(pinned.stderr).toContain('pins model.model: sim-model');
  });
});

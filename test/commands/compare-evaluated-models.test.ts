import { describe, expect, it } from 'vitest';
import { parseJsonOutput, runCliInProcess } from '../support/cli.js';
import { makeSimProject, withRegistry } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * `compare` of one version on two models names what it evaluated as the sides are named
 * (`id@version:model`): `id@version suite` alone reads the same for either side.
 */

const sim = simulatorForFile({ models: ['sim-model', 'sim-model-next'] });

describe('compare names the model of what it evaluated', () => {
  it('one version on two models: the evaluated side is named with its model', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-compare-evaluated-');
    const first = await runCliInProcess(['compare', 'support-answer@1.1.0:sim-model', 'support-answer@1.1.0:sim-model-next', '--suite', 'golden'], { cwd });
    expect(first.code, first.output).toBe(0);
    expect(first.stdout).toContain('evaluated what had no stored run on the current suite content and settings: support-answer@1.1.0:sim-model golden, support-answer@1.1.0:sim-model-next golden');

    // sim-model's run is stored now: only the other side is evaluated, and the line says which.
    const cwd2 = makeSimProject(sim.url, {}, 'promptctl-compare-evaluated-');
    expect((await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'golden'], { cwd: cwd2 })).code).toBe(0);
    const second = await runCliInProcess(['compare', 'support-answer@1.1.0:sim-model', ':sim-model-next', '--suite', 'golden'], { cwd: cwd2 });
    expect(second.code, second.output).toBe(0);
    expect(second.stdout).toMatch(/^evaluated what had no stored run on the current suite content and settings: support-answer@1\.1\.0:sim-model-next golden$/m);
  });

  it('a named model the server does not serve is bad input (exit 2) naming the ref and the served models, and nothing is recorded', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-compare-evaluated-');
    const r = await runCliInProcess(['compare', 'support-answer@1.0.0', ':sim-modl-next', '--suite', 'golden'], { cwd });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain('support-answer@1.0.0:sim-modl-next names model "sim-modl-next", which the server does not serve (did you mean "sim-model-next"?)');
    expect(r.stderr).toContain('with one of: sim-model, sim-model-next');
    const full = await runCliInProcess(['compare', 'support-answer@1.0.0:nope', 'support-answer@1.1.0', '--suite', 'golden'], { cwd });
    expect(full.code, full.output).toBe(2);
    expect(full.stderr).toContain('support-answer@1.0.0:nope names model "nope"');
    const onBadModels = withRegistry(cwd, (db) => db.prepare("SELECT count(*) AS n FROM runs WHERE model IN ('nope', 'sim-modl-next')").get()) as { n: number };
    expect(onBadModels.n).toBe(0);
  });

  it('two versions without models named: the line names versions only, as before', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-compare-evaluated-');
    const r = await runCliInProcess(['compare', 'support-answer@1.0.0', 'support-answer@1.1.0', '--suite', 'golden'], { cwd });
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toContain('evaluated what had no stored run on the current suite content and settings: support-answer@1.0.0 golden, support-answer@1.1.0 golden');
  });

  it('a project that runs versions on several models (server.models) names the model compared, and the compare for the others', async () => {
    const cwd = makeSimProject(sim.url, { models: ['sim-model', 'sim-model-next'] }, 'promptctl-compare-evaluated-');
    expect((await runCliInProcess(['eval', 'support-answer@1.0.0', 'support-answer@1.1.0', '--suite', 'golden'], { cwd })).code).not.toBe(2);
    const r = await runCliInProcess(['compare', 'support-answer@1.0.0', 'support-answer@1.1.0', '--suite', 'golden', '--no-eval', '--json'], { cwd });
    expect(r.code, r.output).toBe(0);
    const data = parseJsonOutput(r);
    expect([data.a, data.b]).toEqual(['1.0.0:sim-model', '1.1.0:sim-model']);
    expect(data.runs.map((x: { model?: string }) => x.model)).toEqual(['sim-model', 'sim-model']);
    expect(data.notes).toContain(
      'compared on sim-model, the configured model; both versions also run on sim-model-next (server.models): promptctl compare support-answer@1.0.0:sim-model-next support-answer@1.1.0:sim-model-next compares them there',
    );
    const text = await runCliInProcess(['compare', 'support-answer@1.0.0', 'support-answer@1.1.0', '--suite', 'golden', '--no-eval'], { cwd, env: { COLUMNS: '200' } });
    expect(text.stdout).toContain('support-answer: 1.0.0:sim-model vs 1.1.0:sim-model');
  });

  it('in a server.models project, what compare evaluates runs on the model it compares only', async () => {
    const cwd = makeSimProject(sim.url, { models: ['sim-model', 'sim-model-next'] }, 'promptctl-compare-evaluated-');
    const r = await runCliInProcess(['compare', 'support-answer@1.0.0', 'support-answer@1.1.0', '--suite', 'golden'], { cwd });
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toContain('evaluated what had no stored run on the current suite content and settings: support-answer@1.0.0:sim-model golden, support-answer@1.1.0:sim-model golden');
    // sim-model-next's answers were never asked for (nor its failures shown as the comparison's progress).
    const models = withRegistry(cwd, (db) => db.prepare('SELECT DISTINCT model FROM runs').all()) as Array<{ model: string }>;
    expect(models.map((m) => m.model)).toEqual(['sim-model']);
  });
});


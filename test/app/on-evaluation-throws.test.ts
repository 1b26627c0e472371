import { describe, expect, it } from 'vitest';
import { compare, InternalError, runCi } from '../../src/app/index.js';
import { initRepo, newVersion } from '../support/ci-repo.js';
import { makeSimProject } from '../support/project.js';
import { SCRIPT_ENV, simulatorForFile } from '../support/simulator.js';

/**
 * A caller's `onEvaluation` that throws fails as its `onProgress` does: an InternalError (exit 70)
 * naming the callback, with its error as `cause`. So runCi keeps its promise to return what went
 * wrong in its result (verdict `error`, with the plan it had), and compare throws a typed error,
 * never the callback's bare Error.
 */
const sim = simulatorForFile();
const boom = new Error('the dashboard is down');
const throwing = () => {
  throw boom;
};

describe('an onEvaluation callback that throws', () => {
  it('runCi: a result with verdict error and exit 70, the plan kept', async () => {
    const cwd = makeSimProject(sim.url);
    initRepo(cwd);
    await newVersion(cwd, 'a new version');
    const r = await runCi({ cwd, env: SCRIPT_ENV, base: 'main', onEvaluation: throwing });
    expect(r).toMatchObject({ verdict: 'error', exitCode: 70, error: { error: 'InternalBug', message: 'onEvaluation threw: the dashboard is down' } });
    expect(r.plan.evaluate.map((e) => e.ref)).toEqual(['support-answer@1.2.0']);
  });

  it('compare: an InternalError whose cause is the callback’s error', async () => {
    const cwd = makeSimProject(sim.url);
    const e = await compare({ cwd, env: SCRIPT_ENV, a: 'support-answer@1.0.0', b: 'support-answer@1.1.0', onEvaluation: async () => throwing() }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InternalError);
    expect(e).toMatchObject({ exitCode: 70, message: 'onEvaluation threw: the dashboard is down', cause: boom });
  });
});

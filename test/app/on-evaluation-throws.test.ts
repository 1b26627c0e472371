import { describe, expect, it } from 'vitest';
import { compare, InternalError, InterruptedError, runCi } from '../../src/app/index.js';
import type { ProgressEvent } from '../../src/core/schemas/report.js';
import { initRepo, newVersion } from '../support/ci-repo.js';
import { makeSimProject } from '../support/project.js';
import { SCRIPT_ENV, simulatorForFile } from '../support/simulator.js';

/**
 * A caller's `onEvaluation` that throws fails as its `onProgress` does: an InternalError (exit 70)
 * naming the callback, with its error as `cause`. So runCi keeps its promise to return what went
 * wrong in its result (verdict `error`, with the plan it had), and compare throws a typed error,
 * never the callback's bare Error. Except while a signal stops the work: then the interruption
 * stands (its exit code is what the user asked for) and a 'stop' that throws is a warning.
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

  describe('as a signal stops the evaluation', () => {
    /** Aborts with `signal` when the evaluation starts, and throws when it stops. */
    const stopsThenThrows = (controller: AbortController, signal: string) => (phase: 'start' | 'stop') => {
      if (phase === 'start') controller.abort(signal);
      else throw boom;
    };
    const warnings = (events: ProgressEvent[]) => events.flatMap((e) => (e.type === 'warning' ? [e.message] : []));

    it('runCi: still interrupted with the signal’s exit code, the failure a warning', async () => {
      const cwd = makeSimProject(sim.url);
      initRepo(cwd);
      await newVersion(cwd, 'a new version');
      const controller = new AbortController();
      const events: ProgressEvent[] = [];
      const r = await runCi({ cwd, env: SCRIPT_ENV, base: 'main', signal: controller.signal, onEvaluation: stopsThenThrows(controller, 'SIGTERM'), onProgress: (e) => void events.push(e) });
      expect(r).toMatchObject({ verdict: 'interrupted', exitCode: 143 });
      expect(warnings(events)).toContain('onEvaluation threw: the dashboard is down');
    });

    it('runCi: a progress callback that never settles the warning does not hold the stopped run', async () => {
      const cwd = makeSimProject(sim.url);
      initRepo(cwd);
      await newVersion(cwd, 'a new version');
      const controller = new AbortController();
      let warned = 0;
      const onProgress = (e: ProgressEvent) => (e.type === 'warning' ? (warned++, new Promise<void>(() => {})) : undefined);
      const r = await runCi({ cwd, env: SCRIPT_ENV, base: 'main', signal: controller.signal, onEvaluation: stopsThenThrows(controller, 'SIGINT'), onProgress });
      expect(r).toMatchObject({ verdict: 'interrupted', exitCode: 130 });
      expect(warned).toBe(1);
    });

    it('compare: still an InterruptedError with the signal’s exit code, the failure a warning', async () => {
      const cwd = makeSimProject(sim.url);
      const controller = new AbortController();
      const events: ProgressEvent[] = [];
      const e = await compare({ cwd, env: SCRIPT_ENV, a: 'support-answer@1.0.0', b: 'support-answer@1.1.0', signal: controller.signal, onEvaluation: stopsThenThrows(controller, 'SIGINT'), onProgress: (ev) => void events.push(ev) }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(InterruptedError);
      expect(e).toMatchObject({ exitCode: 130 });
      expect(warnings(events)).toContain('onEvaluation threw: the dashboard is down');
    });
  });
});

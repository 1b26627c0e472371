import { describe, expect, it } from 'vitest';
import { compare, InputError, InterruptedError, reportSources, runEval, type EvalResult } from '../../src/app/index.js';
import type { ProgressEvent } from '../../src/core/schemas/report.js';
import { makeSimProject } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * The eval family called as a script calls it: data back (the verdict and the exit code the CLI
 * would use), nothing printed, typed errors for bad input and for a run a signal stopped.
 */

const sim = simulatorForFile();
const env = { PROMPTCTL_ACTOR: 'script@example.com' };

describe('runEval', () => {
  it('returns the report, the verdict and exit 0 for a passing version; progress arrives as events', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-app-eval-');
    const events: ProgressEvent['type'][] = [];
    const result = await runEval({ cwd, env, refs: ['support-answer@1.1.0'], onProgress: (e) => events.push(e.type) });
    expect(result).toMatchObject({ verdict: 'passed', exitCode: 0, warnings: [] });
    expect(result.report.runs.map((r) => r.run.suite).sort()).toEqual(['adversarial', 'golden']);
    expect(result.report.versions).toEqual([{ promptId: 'support-answer', version: '1.1.0', tested: true }]);
    expect(events).toContain('start');
    expect(events.at(-1)).toBe('end');
  });

  it('a signal aborted with SIGTERM throws InterruptedError (exit 143) carrying the partial result', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-app-eval-');
    const controller = new AbortController();
    // Aborted as the run starts, before anything is sent (aborted before the call, nothing would be written at all).
    const onProgress = (e: { type: string }) => void (e.type === 'start' && controller.abort('SIGTERM'));
    const error = await runEval({ cwd, env, refs: ['support-answer@1.1.0'], signal: controller.signal, onProgress }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InterruptedError);
    const stopped = error as InterruptedError<EvalResult>;
    expect(stopped).toMatchObject({ signal: 'SIGTERM', exitCode: 143, kind: 'Interrupted' });
    // A script's words, though its abort names a signal as the CLI's does.
    expect(stopped.message).toMatch(/^interrupted: 0 results kept; run it again with resume: true$/);
    expect(stopped.hint).toBe('run it again with resume: true to send only what is missing.');
    expect(stopped.partial?.report.aborted).toMatch(/interrupted/);
    // The partial result says it was interrupted, not that the server stopped it (exit 3).
    expect(stopped.partial).toMatchObject({ verdict: 'interrupted', exitCode: 143 });
    expect(stopped.why).toMatch(/^SIGTERM stopped dispatching/);
  });

  it('an abort without a named signal counts as Ctrl-C: exit 130', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-app-eval-');
    const controller = new AbortController();
    const onProgress = (e: { type: string }) => void (e.type === 'start' && controller.abort());
    const error = await runEval({ cwd, env, refs: ['support-answer@1.1.0'], signal: controller.signal, onProgress }).catch((e: unknown) => e);
    expect(error).toMatchObject({ signal: 'SIGINT', exitCode: 130, partial: { verdict: 'interrupted', exitCode: 130 } });
    // A script's abort is not a Ctrl-C.
    expect((error as InterruptedError).why).toMatch(/^aborting `signal` stopped dispatching/);
  });

  it('bad input is a thrown InputError (exit 2)', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-app-eval-');
    await expect(runEval({ cwd, env, refs: ['support-answer@1.1.0'], baseline: 'nowhere' })).rejects.toBeInstanceOf(InputError);
  });
});

describe('compare and reportSources', () => {
  it('compare evaluates what has no stored run, then reads both sides; reportSources reads the same runs', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-app-eval-');
    const first = await compare({ cwd, env, a: 'support-answer@1.0.0', b: '1.1.0' });
    expect(first).toMatchObject({ promptId: 'support-answer', a: '1.0.0', b: '1.1.0' });
    expect(first.runs.length).toBeGreaterThan(0);
    expect(first.runs.every((r) => r.evaluated)).toBe(true);
    expect(first.rows.length).toBeGreaterThan(0);
    // Everything is stored now: nothing is evaluated the second time, and the rows are the same.
    const again = await compare({ cwd, env, a: 'support-answer@1.0.0', b: 'support-answer@1.1.0', eval: false });
    expect(again.runs.every((r) => !r.evaluated)).toBe(true);
    expect(again.rows).toEqual(first.rows);
    const sources = await reportSources({ cwd, env, refs: ['support-answer@1.0.0', 'support-answer@1.1.0'] });
    expect(sources.comparison).toEqual({ promptId: 'support-answer', a: '1.0.0', b: '1.1.0' });
    expect(sources.outcomes.map((o) => o.run.id).sort()).toEqual(again.runs.map((r) => r.runId).sort());
  });
});

import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { InternalError, InterruptedError, runEval, type EvalResult } from '../../src/app/index.js';
import type { ProgressEvent } from '../../src/core/schemas/report.js';
import { runCliInProcess } from '../support/cli.js';
import { generatedGoldenSuite, makeSimProject, withRegistry, writeProjectFile } from '../support/project.js';
import { SCRIPT_ENV, simulatorForFile } from '../support/simulator.js';

/**
 * How a library caller stops runEval, and what is left afterwards: an aborted `signal` (also while
 * the server is checked) and an `onProgress` that throws end the call with every worker stopped,
 * nothing sent after it, and the runs resumable. No timing: the simulator's hang fault holds
 * requests in flight for as long as a test needs, and waits are on what the simulator received.
 */

const sim = simulatorForFile();
const env = SCRIPT_ENV;

/** Resolves once the simulator has received `n` chat completions (requests held in flight by the hang fault). */
async function chatsReceived(n: number): Promise<void> {
  while (sim.stats().chatCompletions < n) await new Promise((r) => setTimeout(r, 5));
}

const runsOf = (cwd: string) => withRegistry(cwd, (db) => db.prepare('SELECT id, suite, status FROM runs ORDER BY suite').all() as Array<{ id: string; suite: string; status: string }>);
const samplesOf = (cwd: string) => withRegistry(cwd, (db) => (db.prepare('SELECT count(*) AS n FROM samples').get() as { n: number }).n);

describe('aborting signal', () => {
  it('with requests in flight: stops at once, sends no retry, keeps the run resumable', async () => {
    // A timeout far beyond the test's: only the abort can end these requests.
    const cwd = makeSimProject(sim.url, { concurrency: 16, timeout_ms: 600_000 }, 'promptctl-app-stop-');
    sim.resetStats();
    sim.setFaults({ hang: 1 });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    const controller = new AbortController();
    // 40 samples, one request each: 16 in flight, all held by the hang fault.
    const options = { cwd, env, refs: ['support-answer@1.1.0'], suite: ['golden'], repeat: 10, n: false, cache: false };
    const stopped = runEval({ ...options, signal: controller.signal }).catch((e: unknown) => e);
    await chatsReceived(16);
    controller.abort();
    const error = (await stopped) as InterruptedError<EvalResult>;
    process.off('warning', onWarning);
    expect(error).toBeInstanceOf(InterruptedError);
    expect(error).toMatchObject({ signal: 'SIGINT', exitCode: 130, partial: { verdict: 'interrupted' } });
    // The requests in flight were cancelled, not retried and not recorded as errors.
    expect(sim.stats().chatCompletions).toBe(16);
    expect(error.message).toMatch(/^interrupted: 0 results kept/);
    // The partial result's error is the interruption, not a server's stop.
    expect(error.partial!.error).toEqual({ error: 'Interrupted', exitCode: 130, message: error.message, why: error.why, hint: error.hint });
    const [run] = error.partial!.report.runs;
    expect(run!.run).toMatchObject({ status: 'aborted', summary: { notRun: 4, errored: 0, samples: 0 } });
    // One abort listener per request in flight is no leak, and is not reported as one.
    expect(warnings).not.toContain('MaxListenersExceededWarning');

    // Resumed on a healthy server: the same run, each sample sent once.
    sim.setFaults({});
    const resumed = await runEval({ ...options, resume: true });
    expect(resumed.verdict).toBe('passed');
    expect(resumed.report.runs[0]!.run.id).toBe(run!.run.id);
    expect(sim.stats().chatCompletions).toBe(16 + 40);
  });
});

describe('aborting signal while the server is checked', () => {
  // A server that accepts connections and never answers: the check would wait for its timeout.
  let silent: Server | undefined;
  afterAll(() => new Promise<void>((resolve) => (silent ? silent.close(() => resolve()) : resolve())));

  it('is an interruption (SIGTERM: exit 143), not "server unreachable" (exit 3)', async () => {
    let asked!: () => void;
    const askedOnce = new Promise<void>((resolve) => (asked = resolve));
    const sockets = new Set<import('node:net').Socket>();
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('data', () => asked());
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`;
    const cwd = makeSimProject(url, {}, 'promptctl-app-stop-');
    const controller = new AbortController();
    const stopped = runEval({ cwd, env, refs: ['support-answer@1.1.0'], cache: false, signal: controller.signal }).catch((e: unknown) => e);
    await askedOnce;
    controller.abort('SIGTERM');
    const error = (await stopped) as InterruptedError;
    expect(error).toBeInstanceOf(InterruptedError);
    expect(error).toMatchObject({ signal: 'SIGTERM', exitCode: 143, message: 'interrupted while checking the server: no case was sent' });
    expect(error.why).toMatch(/^SIGTERM stopped the eval before its runs started/);
    // The check's connection was closed, not left to its timeout; no run was opened.
    await new Promise<void>((resolve) => (sockets.size ? [...sockets][0]!.on('close', () => resolve()) : resolve()));
    expect(sockets.size).toBe(0);
    expect(withRegistry(cwd, (db) => db.prepare('SELECT count(*) AS n FROM runs').get())).toEqual({ n: 0 });
  });
});

describe('an onProgress that throws', () => {
  it('stops the eval with a typed error naming the callback; no worker outlives the call; the run is resumable', async () => {
    const cwd = makeSimProject(sim.url, { concurrency: 4 }, 'promptctl-app-stop-');
    sim.resetStats();
    sim.setFaults({});
    const boom = new Error('boom');
    let samples = 0;
    const onProgress = (e: ProgressEvent) => {
      if (e.type === 'sample' && ++samples === 3) throw boom;
    };
    // 40 samples, one request each, four at a time: most are still to send when the callback throws.
    const options = { cwd, env, refs: ['support-answer@1.1.0'], suite: ['golden'], repeat: 10, n: false, cache: false };
    const error = (await runEval({ ...options, onProgress }).catch((e: unknown) => e)) as InternalError;
    expect(error).toBeInstanceOf(InternalError);
    expect(error).toMatchObject({ exitCode: 70, message: 'onProgress threw: boom', cause: boom });
    expect(error.hint).toMatch(/resume: true/);
    // Stopped, not left `running`; what arrived is recorded, and nothing is sent once the call has returned.
    const [run] = runsOf(cwd);
    expect(run!.status).toBe('aborted');
    const recorded = samplesOf(cwd);
    expect(recorded).toBeGreaterThanOrEqual(3);
    expect(recorded).toBeLessThan(40);
    const sentBefore = sim.stats().chatCompletions;

    const resumed = await runEval({ ...options, resume: true });
    expect(resumed.verdict).toBe('passed');
    expect(resumed.report.runs[0]!.run.id).toBe(run!.id);
    // The resume sent what was missing, give or take requests the stop cancelled on their way (the
    // other three workers' at most, counted on arrival): none of the stopped call's came after it.
    const arrived = sim.stats().chatCompletions - sentBefore;
    expect(arrived).toBeGreaterThanOrEqual(40 - recorded);
    expect(arrived).toBeLessThanOrEqual(40 - recorded + 3);
  });
});

describe('an async onProgress that rejects', () => {
  it('stops the eval as a throw does: the same typed error, the run left aborted, no unhandled rejection', async () => {
    const cwd = makeSimProject(sim.url, { concurrency: 4 }, 'promptctl-app-stop-');
    sim.resetStats();
    sim.setFaults({});
    const failed = new Error('dashboard write failed');
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    // Every sample's write fails too: only the first failure is the error, and none goes unhandled.
    const onProgress = async (e: ProgressEvent) => {
      if (e.type === 'sample' || e.type === 'end') throw failed;
    };
    try {
      const options = { cwd, env, refs: ['support-answer@1.1.0'], suite: ['golden'], repeat: 2, n: false, cache: false };
      const error = (await runEval({ ...options, onProgress }).catch((e: unknown) => e)) as InternalError;
      expect(error).toBeInstanceOf(InternalError);
      expect(error).toMatchObject({ exitCode: 70, message: 'onProgress threw: dashboard write failed', cause: failed });
      expect(runsOf(cwd).map((r) => r.status)).toEqual(['aborted']);
      // Rejections are reported on a later turn of the event loop: give them one.
      await new Promise((r) => setImmediate(r));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('a run the server stopped', () => {
  it("is a result (verdict stopped, exit 3) carrying the error eval --json has, its hint in the script's words", async () => {
    // The circuit breaker opens after two failures in a row: the rest of the 20 cases are not sent.
    const server = { concurrency: 2, retries: { max_attempts: 1, base_delay_ms: 1, max_delay_ms: 1 }, circuit_breaker: { consecutive_failures: 2 } };
    const cwd = makeSimProject(sim.url, server, 'promptctl-app-stop-');
    writeProjectFile(cwd, 'evalsets/support-answer/breaker.yaml', generatedGoldenSuite({ count: 20, versions: '1.1.0', prefix: 'breaker' }));
    const options = { cwd, env, refs: ['support-answer@1.1.0'], suite: ['breaker'], n: false, cache: false };
    sim.setFaults({ reset: 1 });
    let result: EvalResult;
    let cli: Awaited<ReturnType<typeof runCliInProcess>>;
    try {
      result = await runEval(options);
      cli = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'breaker', '--no-cache', '--json'], { cwd, env });
    } finally {
      sim.setFaults({});
    }
    expect(result.report.aborted).toMatch(/circuit breaker/);
    expect(result).toMatchObject({ verdict: 'stopped', exitCode: 3 });
    expect(result.error).toEqual({
      error: 'Unavailable',
      exitCode: 3,
      message: `the run stopped early: ${result.report.aborted}`,
      why: 'results so far are recorded; cases not sent are reported as not run.',
      hint: 'check the server, then run it again with resume: true to send only what is missing.',
    });
    // The stopped run has a summary: what was not sent is counted as not run.
    const { run } = result.report.runs[0]!;
    expect(run.status).toBe('aborted');
    expect(run.summary!.notRun).toBeGreaterThan(0);

    // The CLI's --json carries the same record, in its own words for the resume.
    expect(cli.code, cli.stderr).toBe(3);
    const json = JSON.parse(cli.stdout) as { verdict: string; aborted: string; error: EvalResult['error'] };
    expect(json.verdict).toBe('stopped');
    expect(json.error).toEqual({ ...result.error, message: `the run stopped early: ${json.aborted}`, hint: 'check the server, then run the same command with --resume to send only what is missing.' });
  });
});

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseJsonOutput, runCliInProcess, spawnCli } from '../support/cli.js';
import { generatedGoldenSuite, makeSimProject, registryPath, withRegistry, writeProjectFile } from '../support/project.js';
import { initRepo } from '../support/ci-repo.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * A run that stops early still reports: after a circuit-breaker stop, `--json` prints the report
 * (every scored and not-run case, and the error) and the requested files are written, then exit 3.
 * Ctrl-C stops dispatching, keeps what arrived, says how to resume, and exits 130; SIGTERM and
 * SIGHUP do the same and exit 143 and 129.
 */

const sim = simulatorForFile({ seed: 3 });
let dir: string;
/**
 * The stopped runs' suites, and the simulator's latency while their child runs. A child must still
 * be running when its first batch is recorded (written after 1 s at the latest) and killed: at
 * concurrency 2 the rest of 100 cases take 4 s at 100 ms each, the margin 300 cases gave at 30 ms.
 * Fewer cases with a longer wait: the in-process --resume then sends about 80 requests, not 270
 * (about 0.35 s of CPU less per test); the wait is idle time, never CPU.
 */
const CASES = 100;
const LATENCY_MS = 100;

/**
 * Waits until the child has recorded a sample in the registry (or exited). Polling the registry
 * (open SQLite, query, close) every 10 ms while the child starts up cost 0.15 to 0.3 s of CPU per
 * test; the simulator's own count of chat completions, read in memory, says when one has arrived,
 * and only then is the registry polled. No timing: the same condition as before decides.
 */
async function untilRecorded(exited: () => boolean, recorded: () => number, chatsBefore: number): Promise<void> {
  const tick = () => new Promise((r) => setTimeout(r, 10));
  while (!exited() && sim.stats().chatCompletions === chatsBefore) await tick();
  while (!exited() && recorded() === 0) await tick();
}

beforeAll(async () => {
  dir = makeSimProject(sim.url, {
    concurrency: 2,
    retries: { max_attempts: 1, base_delay_ms: 1, max_delay_ms: 1 },
    circuit_breaker: { consecutive_failures: 2 },
  });
  writeProjectFile(dir, 'evalsets/support-answer/breaker.yaml', generatedGoldenSuite({ count: 20, versions: '1.1.0', prefix: 'breaker' }));
  writeProjectFile(dir, 'evalsets/support-answer/long.yaml', generatedGoldenSuite({ count: CASES, versions: '1.1.0', prefix: 'long' }));
  for (const signal of ['sigterm', 'sighup']) {
    writeProjectFile(dir, `evalsets/support-answer/${signal}.yaml`, generatedGoldenSuite({ count: CASES, versions: '1.1.0', prefix: signal }));
  }
});

describe('a run that stops early', () => {
  it('after a circuit-breaker stop, --json prints the partial report with the error, the files are written, exit 3', async () => {
    sim.setFaults({ reset: 1 });
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'breaker', '--json', '--summary', 'out/summary.md', '--junit', 'out/junit.xml'], { cwd: dir });
    sim.setFaults({});
    expect(r.code, r.stderr).toBe(3);
    const report = parseJsonOutput(r);
    expect(report.aborted).toMatch(/circuit breaker/);
    expect(report).toMatchObject({ verdict: 'stopped', exitCode: 3 });
    expect(report.error).toMatchObject({ error: 'Unavailable', exitCode: 3 });
    expect(report.error.message).toMatch(/^the run stopped early: /);
    expect(report.error.why).toBeTruthy();
    expect(report.error.hint).toMatch(/--resume/);
    const cases = report.runs[0].cases as Array<{ caseId: string; verdict: string }>;
    // Every case of the suite is there: the errored ones that tripped the breaker, and the rest as not run.
    expect(cases).toHaveLength(20);
    expect(cases.filter((c) => c.verdict === 'error').length).toBeGreaterThanOrEqual(2);
    expect(cases.filter((c) => c.verdict === 'not-run').length).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/^error: the run stopped early: /m);

    const md = readFileSync(path.join(dir, 'out/summary.md'), 'utf8');
    expect(md).toMatch(/stopped early/);
    const xml = readFileSync(path.join(dir, 'out/junit.xml'), 'utf8');
    // The server became unreachable: the cases it kept from being sent are errors in CI, not skips.
    expect(xml).toMatch(/<error message="not run: the evaluation stopped early \([^"]*circuit breaker[^"]*" type="not-run"\/>/);
    expect(xml).not.toMatch(/<skipped/);
  });

  it.each([
    { signal: 'SIGINT' as const, code: 130, suite: 'long', who: 'Ctrl-C' },
    { signal: 'SIGTERM' as const, code: 143, suite: 'sigterm', who: 'SIGTERM' },
    { signal: 'SIGHUP' as const, code: 129, suite: 'sighup', who: 'SIGHUP' },
  ])('$who keeps what arrived, marks the run aborted, says how to resume and exits $code; --resume sends only the rest', async ({ signal, code, suite, who }) => {
    sim.setLatency(LATENCY_MS);
    const args = ['eval', 'support-answer@1.1.0', '--suite', suite];
    const chatsBefore = sim.stats().chatCompletions;
    const child = spawnCli(args, { cwd: dir });
    let exited = false;
    void child.done.then(() => (exited = true));
    const recorded = () => {
      if (!existsSync(registryPath(dir))) return 0;
      try {
        return withRegistry(dir, (db) => (db.prepare('SELECT count(*) AS n FROM samples JOIN runs ON runs.id = samples.run_id WHERE runs.suite = ?').get(suite) as { n: number }).n);
      } catch {
        return 0; // The child is still creating the registry.
      }
    };
    await untilRecorded(() => exited, recorded, chatsBefore);
    child.child.kill(signal);
    const r = await child.done;
    sim.setLatency(0);
    expect(r.signal, r.output).toBeNull();
    expect(r.code, r.output).toBe(code);
    const kept = recorded();
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(CASES);
    expect(r.stderr).toContain(`interrupted: ${kept} results kept; run the same command with --resume`);
    expect(r.stderr).toContain(`why: ${who} stopped dispatching`);
    expect(r.stderr).not.toMatch(/check the server/);
    expect(r.stderr).not.toMatch(/hit a bug/);
    const status = withRegistry(dir, (db) => (db.prepare('SELECT status FROM runs WHERE suite = ?').get(suite) as { status: string }).status);
    expect(status).toBe('aborted');

    sim.resetStats();
    const resumed = await runCliInProcess([...args, '--resume'], { cwd: dir });
    expect(resumed.code, resumed.output).toBe(0);
    expect(sim.stats().chatCompletions).toBe(CASES - kept);
  });

  it('Ctrl-C during `promptctl ci` exits 130 and says it was interrupted, not that the server failed', async () => {
    initRepo(dir, 'base');
    // A new suite on the branch: ci evaluates the version it covers.
    writeProjectFile(dir, 'evalsets/support-answer/ci-long.yaml', generatedGoldenSuite({ count: CASES, versions: '1.1.0', prefix: 'cilong' }));
    sim.setLatency(LATENCY_MS);
    const chatsBefore = sim.stats().chatCompletions;
    const child = spawnCli(['ci', '--base', 'HEAD', '--summary', 'out/ci.md'], { cwd: dir });
    let exited = false;
    void child.done.then(() => (exited = true));
    const recorded = () => {
      try {
        return withRegistry(dir, (db) => (db.prepare("SELECT count(*) AS n FROM samples JOIN runs ON runs.id = samples.run_id WHERE runs.suite = 'ci-long'").get() as { n: number }).n);
      } catch {
        return 0;
      }
    };
    await untilRecorded(() => exited, recorded, chatsBefore);
    child.child.kill('SIGINT');
    const r = await child.done;
    sim.setLatency(0);
    expect(r.code, r.output).toBe(130);
    expect(r.output).toMatch(/interrupted \(exit 130\)/);
    expect(r.output).not.toMatch(/server could not be used|hit a bug/);
    expect(readFileSync(path.join(dir, 'out/ci.md'), 'utf8')).toMatch(/interrupted \(exit 130\)/);
  });
});

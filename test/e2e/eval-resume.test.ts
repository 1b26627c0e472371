import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseJsonOutput, runCliInProcess, spawnCli } from '../support/cli.js';
import { generatedGoldenSuite, makeSimProject, registryPath, withRegistry, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * A run killed with SIGKILL, then run again with --resume, sends exactly the requests whose results
 * were not recorded: the count holds whatever the moment of the kill, because results and cached
 * answers are written together and resume skips exactly the recorded samples.
 */

// 100 cases at 40 ms (concurrency 4) leave the late kill (at 64 recorded: two batches of 32) the
// same time before the run's end as 200 at 20 ms did (at 128), with half the requests to resume
// in this process. The latency is idle time, never CPU.
const CASES = 100;
const sim = simulatorForFile({ latencyMs: 40 });
let dir: string;

beforeAll(async () => {
  dir = makeSimProject(sim.url, { concurrency: 4 });
  // Two suites with different questions (so no answer of one is a cached answer of the other).
  for (const suite of ['early', 'late']) {
    writeProjectFile(dir, `evalsets/support-answer/${suite}.yaml`, generatedGoldenSuite({ count: CASES, versions: '1.1.0', prefix: suite }));
  }
});

function recordedSamplesOf(suite: string): { runId: string; status: string; n: number } | undefined {
  if (!existsSync(registryPath(dir))) return undefined;
  try {
    return withRegistry(dir, (db) => {
      const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('runs', 'samples')").get() as { n: number };
      if (tables.n < 2) return undefined;
      const run = db.prepare("SELECT id, status FROM runs WHERE suite = ? ORDER BY started_at DESC LIMIT 1").get(suite) as { id: string; status: string } | undefined;
      if (!run) return undefined;
      const { n } = db.prepare('SELECT count(*) AS n FROM samples WHERE run_id = ?').get(run.id) as { n: number };
      return { runId: run.id, status: run.status, n };
    });
  } catch {
    return undefined; // The registry is still being created by the child.
  }
}

/**
 * Polls `probe` every 10 ms until `ok` (or the child exits). `arrived` first waits on the
 * simulator's in-memory count: a sample is recorded only after its answer arrived, so the
 * registry (open SQLite, query, close: about 1 ms of CPU a poll) is polled only once it can hold
 * enough. The same condition decides as without it.
 */
async function until<T>(probe: () => T | undefined, ok: (v: T) => boolean, exited: () => boolean, arrived: () => boolean): Promise<T | undefined> {
  while (!exited() && !arrived()) await new Promise((r) => setTimeout(r, 10));
  for (;;) {
    const v = probe();
    if (v !== undefined && ok(v)) return v;
    if (exited()) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('eval --resume after SIGKILL', () => {
  // Killed just after the first recorded batch, and well into the run.
  it.each([
    { suite: 'early', killAt: 1 },
    { suite: 'late', killAt: 50 },
  ])('sends only the requests whose results were not recorded ($suite kill), and ends with one row per case', async ({ suite, killAt }) => {
    const recordedSamples = () => recordedSamplesOf(suite);
    const args = ['eval', 'support-answer@1.1.0', '--suite', suite];
    const chatsBefore = sim.stats().chatCompletions;
    const first = spawnCli(args, { cwd: dir });
    let exited = false;
    void first.done.then(() => (exited = true));
    await until(recordedSamples, (s) => s.n >= killAt, () => exited, () => sim.stats().chatCompletions - chatsBefore >= killAt);
    first.child.kill('SIGKILL');
    const killed = await first.done;
    // Normally killed mid-run; if the machine was slow to poll, the run may have ended by itself.
    expect(killed.signal === 'SIGKILL' || killed.code === 0, killed.output).toBe(true);

    const after = recordedSamples();
    expect(after).toBeDefined();
    const recorded = after!.n;
    expect(recorded).toBeGreaterThan(0);
    expect(recorded).toBeLessThanOrEqual(CASES);

    sim.resetStats();
    const r = await runCliInProcess([...args, '--resume', '--json'], { cwd: dir });
    expect([0, 1], r.stderr).toContain(r.code);
    expect(sim.stats().chatCompletions).toBe(CASES - recorded);

    const report = parseJsonOutput(r);
    expect(report.runs).toHaveLength(1);
    const run = report.runs[0];
    // An unfinished run is continued, not started again (a run that had finished before the kill is not resumable).
    if (after!.status === 'running') expect(run.run.id).toBe(after!.runId);
    const ids: string[] = run.cases.map((c: any) => c.caseId);
    expect(ids).toHaveLength(CASES);
    expect(new Set(ids).size).toBe(CASES);
    for (const c of run.cases) expect(c.samples).toHaveLength(1);
    expect(run.run.summary.notRun).toBe(0);
    expect(run.run.status).toBe('finished');

    const rows = withRegistry(dir, (db) => db.prepare('SELECT case_id, sample FROM samples WHERE run_id = ?').all(run.run.id) as { case_id: string; sample: number }[]);
    expect(rows).toHaveLength(CASES);
    expect(new Set(rows.map((x) => `${x.case_id}#${x.sample}`)).size).toBe(CASES);
  });
});

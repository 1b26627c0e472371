import { beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { generatedGoldenSuite, makeSimProject, withRegistry, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * Errors are not results: after the circuit breaker stopped a run, `--resume` (the command the
 * hint gives) sends the errored samples again as well as the missing ones, keeps the scored ones,
 * and can pass. The simulator's seeded faults make the first run's outcome the same every time.
 */

const CASES = 40;
const sim = simulatorForFile({ seed: 11 });
let dir: string;

beforeAll(async () => {
  // One request at a time, so the seeded faults fall on the same samples in every run.
  dir = makeSimProject(sim.url, {
    concurrency: 1,
    retries: { max_attempts: 1, base_delay_ms: 1, max_delay_ms: 1 },
    circuit_breaker: { consecutive_failures: 2 },
  });
  writeProjectFile(dir, 'evalsets/support-answer/flaky.yaml', generatedGoldenSuite({ count: CASES, versions: '1.1.0', threshold: 1 }));
});

type Row = { case_id: string; sample: number; verdict: string };
const rowsOf = (runId: string) => withRegistry(dir, (db) => db.prepare('SELECT case_id, sample, verdict FROM samples WHERE run_id = ?').all(runId) as Row[]);

describe('eval --resume after a circuit-breaker stop', () => {
  it('re-sends errored samples (replacing their rows), keeps scored ones, and passes', async () => {
    const args = ['eval', 'support-answer@1.1.0', '--suite', 'flaky'];
    sim.setFaults({ reset: 0.3 });
    const first = await runCliInProcess(args, { cwd: dir });
    sim.setFaults({});
    expect(first.code, first.stderr).toBe(3);
    const runId = withRegistry(dir, (db) => (db.prepare("SELECT id FROM runs WHERE suite = 'flaky'").get() as { id: string }).id);
    const before = rowsOf(runId);
    const scored = before.filter((r) => r.verdict !== 'error').length;
    const errored = before.length - scored;
    // The seed puts some answers and some errors before the breaker opens.
    expect(scored).toBeGreaterThan(0);
    expect(errored).toBeGreaterThan(0);
    expect(before.length).toBeLessThan(CASES);

    sim.resetStats();
    const resumed = await runCliInProcess([...args, '--resume'], { cwd: dir });
    expect(resumed.code, resumed.output).toBe(0);
    // Everything but the scored samples is sent: the errors again, and what was never sent.
    expect(sim.stats().chatCompletions).toBe(CASES - scored);
    const after = rowsOf(runId);
    expect(after).toHaveLength(CASES);
    expect(new Set(after.map((r) => `${r.case_id}#${r.sample}`)).size).toBe(CASES);
    expect(after.filter((r) => r.verdict === 'error')).toEqual([]);

    // The progress lines count what this invocation sends and name the resumed samples.
    expect(resumed.stderr).toContain(`: ${CASES - scored} samples to send, ${scored} resumed`);
    expect(resumed.stderr).toMatch(new RegExp(`^done ${CASES - scored}/${CASES - scored} sent, ${scored} resumed pass ${CASES - scored} `, 'm'));
    expect(resumed.stderr).not.toMatch(/^stopped /m);

    // Run again: every answer is cached, and the progress line shows their recorded latencies.
    sim.resetStats();
    const cached = await runCliInProcess(args, { cwd: dir });
    expect(cached.code, cached.output).toBe(0);
    expect(sim.stats().chatCompletions).toBe(0);
    expect(cached.stderr).toMatch(new RegExp(`^done ${CASES}/${CASES} pass ${CASES} fail 0 error 0 cached ${CASES} p50 \\d+ms p95 \\d+ms `, 'm'));
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseJsonOutput, runCliInProcess } from '../support/cli.js';
import { generatedGoldenSuite, makeSimProject, withRegistry, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * A run under injected faults (500s, 429s, hangs, resets, truncated bodies) ends with every case
 * either scored or reported as an error: none lost, none duplicated, and no error counted as a pass.
 */

const CASES = 150;
const sim = simulatorForFile({ retryAfterSeconds: 0, seed: 7 });
let dir: string;

beforeAll(async () => {
  dir = makeSimProject(sim.url, {
    timeout_ms: 2_000, // long enough for the preflight on a loaded machine; each injected hang costs this much
    concurrency: 8,
    retries: { max_attempts: 2, base_delay_ms: 1, max_delay_ms: 10 },
    circuit_breaker: { consecutive_failures: 1000 },
  });
  writeProjectFile(dir, 'evalsets/support-answer/faults.yaml', generatedGoldenSuite({ count: CASES, versions: '1.1.0' }));
});

describe('eval under injected faults', () => {
  it('scores or reports every case exactly once, and never counts an error as a pass', async () => {
    sim.setFaults({ error500: 0.1, rate429: 0.05, hang: 0.02, reset: 0.02, truncated: 0.02 });
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'faults', '--json'], { cwd: dir });
    sim.setFaults({});
    expect([0, 1], r.stderr).toContain(r.code);
    expect(r.stderr).not.toMatch(/hit a bug/);

    // The faults really happened.
    const o = sim.stats().outcomes;
    expect(o.error500 + o.rate429 + o.hang + o.reset + o.truncated).toBeGreaterThan(0);

    const fileCases = (parseYaml(readFileSync(path.join(dir, 'evalsets/support-answer/faults.yaml'), 'utf8')) as { cases: { id: string }[] }).cases.map((c) => c.id);
    expect(fileCases).toHaveLength(CASES);

    const report = parseJsonOutput(r);
    expect(report.aborted).toBeUndefined();
    expect(report.runs).toHaveLength(1);
    const run = report.runs[0];
    // None lost, none duplicated.
    const ids: string[] = run.cases.map((c: any) => c.caseId);
    expect(ids).toHaveLength(CASES);
    expect(new Set(ids).size).toBe(CASES);
    expect([...ids].sort()).toEqual([...fileCases].sort());
    for (const c of run.cases) {
      expect(['pass', 'fail', 'error']).toContain(c.verdict);
      expect(c.samples).toHaveLength(1);
      const s = c.samples[0];
      if (s.verdict === 'error') {
        expect(s.error).toBeTruthy();
        expect(c.verdict).toBe('error');
      } else {
        expect(s.error).toBeUndefined();
      }
    }
    const s = run.run.summary;
    expect(s.cases).toBe(CASES);
    expect(s.notRun).toBe(0);
    expect(s.passed + s.failed + s.errored).toBe(CASES);
    expect(s.passed).toBe(run.cases.filter((c: any) => c.samples[0].verdict === 'pass').length);

    // The registry: exactly one sample row per case x sample; errors carry their message; passes are passes.
    const rows = withRegistry(dir, (db) => db.prepare('SELECT case_id, sample, verdict, error FROM samples WHERE run_id = ?').all(run.run.id) as any[]);
    expect(rows).toHaveLength(CASES);
    expect(new Set(rows.map((x) => `${x.case_id}#${x.sample}`)).size).toBe(CASES);
    expect(new Set(rows.map((x) => x.case_id))).toEqual(new Set(fileCases));
    for (const row of rows) {
      if (row.verdict === 'error') expect(typeof row.error === 'string' && row.error.length > 0).toBe(true);
      else expect(row.error).toBeNull();
    }
    expect(rows.filter((x) => x.verdict === 'pass').length).toBe(s.passed);
    expect(rows.filter((x) => x.verdict === 'error').length).toBe(s.errored);
  });
});

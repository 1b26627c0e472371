import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, patchServerConfig, readProjectFile } from '../support/project.js';
import { SCRIPT_ENV as env, simulatorForFile } from '../support/simulator.js';

/**
 * A run every request of which got an error (HTTP 400: the prompt exceeds the model's context, as
 * vLLM answers): no case was judged, so the tables state no pass rate, interval or latency, and the
 * verdict stays incomplete.
 */

const sim = simulatorForFile({ maxModelLen: 20 });
afterAll(() => cleanupTempDirs());

describe('eval when every request errors', () => {
  it('shows – for the pass rate, its interval and the percentiles; the mark says every sample errored', async () => {
    const dir = makeProject({ prefix: 'promptctl-all-errored-' });
    patchServerConfig(dir, { base_url: sim.url });
    const r = await runCliInProcess(['eval', 'support-answer@1.0.0', '--suite', 'golden', '--summary', 'summary.md'], { cwd: dir, env });
    expect(r.code, r.output).toBe(1);
    expect(r.stdout).toMatch(/^support-answer@1\.0\.0 +golden +golden +incomplete +– \(need 75\.0%\) +– +0 +0 +4 +0 +– +– +0\/0$/m);
    // Why it is incomplete, with the numbers that decide it (no pass rate beside the threshold).
    expect(r.stdout).toContain("suite 'golden' incomplete: 100% of samples ended in errors (at most 5% allowed)");
    expect(r.stdout).toMatch(/^1 of 1 suite run is incomplete\.$/m);
    expect(readProjectFile(dir, 'summary.md')).toContain('| `golden` | golden | ⚠️ incomplete | – (need 75.0%) | – | 0 | 0 | 4 | 0 | – | – | 0 / 0 |');
    const json = JSON.parse((await runCliInProcess(['eval', 'support-answer@1.0.0', '--suite', 'golden', '--json'], { cwd: dir, env })).stdout);
    expect(json.runs[0].run.summary.verdict).toBe('incomplete');
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEval } from '../../src/app/index.js';
import { startNoNGateway } from '../support/no-n-gateway.js';
import { makeSimProject } from '../support/project.js';
import { SCRIPT_ENV, simulatorForFile } from '../support/simulator.js';

/**
 * Behind a gateway that drops `n`, a sampled run falls back to one request per sample. A re-run
 * finds those answers cached and needs no server. Before, it checked only the `n` plan's keys
 * (never cached), so it probed the server every time, and with the server down it stopped at exit 3
 * ("Cannot reach the vLLM server") though every answer was cached.
 */

const sim = simulatorForFile();

describe('n sampling behind a gateway that drops n', () => {
  it('a re-run of the fallback answers is answered wholly from the cache, with no server', async () => {
    const gateway = await startNoNGateway({ port: sim.port });
    const dir = makeSimProject(gateway.url, {}, 'promptctl-no-n-');
    // A sampled version: its runs are planned in n mode.
    const src = readFileSync(path.join(dir, 'prompts/support-answer/1.1.0.yaml'), 'utf8');
    writeFileSync(path.join(dir, 'prompts/support-answer/1.2.0.yaml'), src.replace('version: 1.1.0', 'version: 1.2.0').replace('temperature: 0\n', 'temperature: 0.8\n'));
    const opts = { cwd: dir, env: SCRIPT_ENV, refs: ['support-answer@1.2.0'], suite: ['golden'], repeat: 3 };
    let first;
    try {
      first = await runEval(opts);
    } finally {
      await gateway.close();
    }
    expect(first.warnings.some((w) => w.includes('does not answer n choices'))).toBe(true);
    expect(first.report.runs[0]!.run.summary?.requestMode).toBeUndefined();
    // Nothing listens at the configured URL now.
    const again = await runEval(opts);
    expect(again.report.aborted).toBeUndefined();
    expect(again.exitCode).toBe(first.exitCode);
    expect(again.report.runs[0]!.run.summary).toMatchObject({ samples: first.report.runs[0]!.run.summary?.samples, passed: first.report.runs[0]!.run.summary?.passed });
    expect(again.report.runs[0]!.cases.length).toBeGreaterThan(0);
    expect(again.report.runs[0]!.cases.every((c) => c.samples.every((s) => s.cached))).toBe(true);
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseJsonOutput, runCliInProcess } from '../support/cli.js';
import { makeSimProject } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * Non-determinism: at temperature 0.8 the simulator degrades an answer with probability 0.4, drawn
 * from a hash of (messages, seed), and the runner sends seed = base + sample index. So `--repeat 10`
 * gives pass rates between 0 and 1; the same command again is served from the cache; --no-cache
 * sends every sample again.
 */

const sim = simulatorForFile();
let dir: string;
const cli = (args: string[]) => runCliInProcess(args, { cwd: dir });
// One request per sample (--no-n): n-sampling, which sends a case's samples as one request, is test/eval/n-sampling.test.ts.
const ARGS = ['eval', 'support-answer@1.2.0', '--suite', 'golden', '--repeat', '10', '--no-n', '--json'];
/** Cases in the example's golden suite, read from the first report. */
let CASES = 0;

beforeAll(async () => {
  dir = makeSimProject(sim.url);
  const src = readFileSync(path.join(dir, 'prompts/support-answer/1.1.0.yaml'), 'utf8');
  const hot = src.replace('version: 1.1.0', 'version: 1.2.0').replace('temperature: 0\n', 'temperature: 0.8\n');
  expect(hot).toContain('temperature: 0.8');
  writeFileSync(path.join(dir, 'prompts/support-answer/1.2.0.yaml'), hot);
});

describe('eval --repeat at temperature > 0', () => {
  it('records per-case pass rates strictly between 0 and 1, from distinct seeded samples', async () => {
    sim.resetStats();
    const r = await cli(ARGS);
    expect([0, 1], r.stderr).toContain(r.code);
    const report = parseJsonOutput(r);
    expect(report.runs).toHaveLength(1);
    const cases = report.runs[0].cases;
    CASES = cases.length;
    expect(CASES).toBeGreaterThanOrEqual(4);
    expect(sim.stats().chatCompletions).toBe(CASES * 10);
    for (const c of cases) {
      expect(c.samples).toHaveLength(10);
      expect(c.samples.map((s: any) => s.sample)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const passes = c.samples.filter((s: any) => s.verdict === 'pass').length;
      expect(c.passRate).toBeCloseTo(passes / 10, 10);
    }
    const between = cases.filter((c: any) => c.passRate > 0 && c.passRate < 1);
    expect(between.length).toBeGreaterThanOrEqual(1);
    // A mixed case scores a fraction, so with min_pass_rate 1 it is a failure, not a pass.
    for (const c of between) expect(c.verdict).toBe('fail');
  });

  it('the same command again sends nothing (cache) and reports the same pass rates', async () => {
    const before = parseJsonOutput(await cli(ARGS)).runs[0].cases.map((c: any) => c.passRate);
    sim.resetStats();
    const r = await cli(ARGS);
    expect([0, 1]).toContain(r.code);
    expect(sim.stats().chatCompletions).toBe(0);
    const report = parseJsonOutput(r);
    expect(report.runs[0].cases.map((c: any) => c.passRate)).toEqual(before);
    for (const c of report.runs[0].cases) for (const s of c.samples) expect(s.cached).toBe(true);
  });

  it('--no-cache sends every sample again', async () => {
    sim.resetStats();
    const r = await cli([...ARGS, '--no-cache']);
    expect([0, 1]).toContain(r.code);
    expect(sim.stats().chatCompletions).toBe(CASES * 10);
    for (const c of parseJsonOutput(r).runs[0].cases) for (const s of c.samples) expect(s.cached).toBe(false);
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJsonOutput, runCliInProcess } from '../support/cli.js';
import { makeSimProject, readProjectFile, removeProjectFile, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * n-sampling: `--repeat k` sends one request with `n: k` per case (one prefill), the run records
 * its request mode and the prompt tokens saved, the two modes never share a run or a cached
 * sample, and (the simulator answers choice i as seed + i) both modes give the same verdicts.
 */

const sim = simulatorForFile();
const REPEAT = 5;

function hotProject(): string {
  const dir = makeSimProject(sim.url, {}, 'promptctl-n-');
  const src = readFileSync(path.join(dir, 'prompts/support-answer/1.1.0.yaml'), 'utf8');
  writeFileSync(path.join(dir, 'prompts/support-answer/1.2.0.yaml'), src.replace('version: 1.1.0', 'version: 1.2.0').replace('temperature: 0\n', 'temperature: 0.8\n'));
  return dir;
}

const args = (...extra: string[]) => ['eval', 'support-answer@1.2.0', '--suite', 'golden', '--repeat', String(REPEAT), '--json', ...extra];

async function evalStats(dir: string, ...extra: string[]) {
  sim.resetStats();
  const r = await runCliInProcess(args(...extra), { cwd: dir });
  expect([0, 1], r.output).toContain(r.code);
  return { report: parseJsonOutput(r), stats: sim.stats() };
}

/** A golden suite of 1.1.0 and later with threshold 0 and these case lines. */
const goldenSuite = (...cases: string[]): string => ['prompt: support-answer', 'versions: ">=1.1.0"', 'kind: golden', 'threshold: 0', 'cases:', ...cases, ''].join('\n');

describe('n-sampling', () => {
  it('sends one request per case instead of one per sample, prefills each prompt once, and gives the same verdicts', async () => {
    const dir = hotProject();
    // Every case shares its request here: a max-tokens case is sent one request per sample (below).
    writeProjectFile(dir, 'evalsets/support-answer/golden.yaml', readProjectFile(dir, 'evalsets/support-answer/golden.yaml').replace(/\n\s*- max-tokens: 60/, ''));
    const n = await evalStats(dir);
    const run = n.report.runs[0];
    const cases = run.cases.length;
    // One probe asks whether the server takes n, then one request per case.
    expect(n.stats.chatCompletions).toBe(cases + 1);
    expect(n.stats.choices).toBe(cases * REPEAT + 2);
    expect(run.run.summary.requestMode).toBe('n');
    const tokensPerCase = run.cases.map((c: any) => c.samples[0].tokensIn);
    expect(run.run.summary.promptTokensSaved).toBe(tokensPerCase.reduce((a: number, b: number) => a + b, 0) * (REPEAT - 1));

    const seed = await evalStats(dir, '--no-n');
    expect(seed.stats.chatCompletions).toBe(cases * REPEAT);
    const seedRun = seed.report.runs[0];
    expect(seedRun.run.summary.requestMode).toBeUndefined();
    expect(seedRun.run.id).not.toBe(run.run.id);
    // Separate requests: none of the n-mode answers came from the cache.
    expect(seedRun.cases.every((c: any) => c.samples.every((s: any) => !s.cached))).toBe(true);
    const outputs = (r: any) => r.cases.map((c: any) => c.samples.map((s: any) => s.output));
    expect(outputs(seedRun)).toEqual(outputs(run));
    expect(seedRun.cases.map((c: any) => c.passRate)).toEqual(run.cases.map((c: any) => c.passRate));
    expect(n.stats.promptTokens * (REPEAT - 0.5)).toBeLessThan(seed.stats.promptTokens);

    // Each mode's own cache: both again send nothing but the probe.
    expect((await evalStats(dir)).stats.chatCompletions).toBe(0);
    expect((await evalStats(dir, '--no-n')).stats.chatCompletions).toBe(0);
  });

  it('keeps a case with conversation turns one request per sample, each exchange its own, beside grouped plain cases', async () => {
    const dir = hotProject();
    removeProjectFile(dir, 'evalsets/support-answer/golden.yaml');
    removeProjectFile(dir, 'evalsets/support-answer/adversarial.yaml');
    writeProjectFile(
      dir,
      'evalsets/support-answer/golden.yaml',
      goldenSuite(
        '  - id: plain',
        '    vars: { question: "How do I reset my password?" }',
        '    expect: [{ icontains: "a" }]',
        '  - id: open-turn',
        '    vars: { question: "How do I reset my password?" }',
        '    messages:',
        '      - role: assistant',
        '      - role: user',
        '        content: "And what are your support hours?"',
        '    expect: [{ icontains: "a" }]',
      ),
    );
    const { report, stats } = await evalStats(dir);
    const run = report.runs[0];
    expect(run.run.summary.requestMode).toBe('n');
    // The probe, one n request for the plain case, and two requests (open turn, final) per sample of the other.
    expect(stats.chatCompletions).toBe(1 + 1 + 2 * REPEAT);
    const turns = run.cases.find((c: any) => c.caseId === 'open-turn').samples.map((s: any) => s.exchange?.turns?.length);
    expect(turns).toEqual(Array(REPEAT).fill(1));
  });

  it('sends a max-tokens case one request per sample, so its verdicts are those of --no-n, on measured tokens', async () => {
    const dir = hotProject();
    removeProjectFile(dir, 'evalsets/support-answer/adversarial.yaml');
    writeProjectFile(
      dir,
      'evalsets/support-answer/golden.yaml',
      goldenSuite(
        '  - id: plain',
        '    vars: { question: "How do I reset my password?" }',
        '    expect: [{ icontains: "a" }]',
        // Its 5 answers measure 17, 20, 17, 17, 17 tokens; shares of one n answer by length were 18, 17, 18, 18, 17.
        '  - id: bounded',
        '    vars: { question: "How long do I have to ask for a refund?" }',
        '    expect: [{ max-tokens: 17 }]',
      ),
    );
    const n = await evalStats(dir);
    const run = n.report.runs[0];
    expect(run.run.summary.requestMode).toBe('n');
    // The probe, one n request for the plain case, one request per sample of the bounded one.
    expect(n.stats.chatCompletions).toBe(1 + 1 + REPEAT);
    // Only the plain case's samples skipped a prefill.
    const plainIn = run.cases.find((c: any) => c.caseId === 'plain').samples[0].tokensIn;
    expect(run.run.summary.promptTokensSaved).toBe(plainIn * (REPEAT - 1));
    const seed = await evalStats(dir, '--no-n');
    const bounded = (r: any) => r.cases.find((c: any) => c.caseId === 'bounded').samples.map((s: any) => ({ verdict: s.verdict, tokensOut: s.tokensOut }));
    expect(bounded(run)).toEqual(bounded(seed.report.runs[0]));
    expect(bounded(run).map((s: any) => s.verdict)).toEqual(['pass', 'fail', 'pass', 'pass', 'pass']);
    // The same requests as --no-n sends: it found them in the cache.
    expect(seed.report.runs[0].cases.find((c: any) => c.caseId === 'bounded').samples.every((s: any) => s.cached)).toBe(true);
  });

  // vLLM refuses n > 1 at temperature 0 ("n must be 1 when using greedy sampling"), as the simulator does,
  // and greedy samples would be one answer n times: such a run is one request per sample, without the probe.
  it('plans a run at temperature 0 one request per sample, without the probe, and every sample is answered', async () => {
    const dir = hotProject();
    sim.resetStats();
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'golden', '--repeat', String(REPEAT), '--json'], { cwd: dir });
    expect([0, 1], r.output).toContain(r.code);
    const run = parseJsonOutput(r).runs[0];
    expect(run.run.summary.requestMode).toBeUndefined();
    expect(sim.stats().chatCompletions).toBe(run.cases.length * REPEAT);
    expect(run.cases.flatMap((c: any) => c.samples.filter((x: any) => x.verdict === 'error'))).toEqual([]);
    expect(r.output).not.toMatch(/does not answer n choices/);
  });

  it('plans a run none of whose cases can share a request one request per sample, without the probe', async () => {
    const dir = hotProject();
    removeProjectFile(dir, 'evalsets/support-answer/adversarial.yaml');
    writeProjectFile(
      dir,
      'evalsets/support-answer/golden.yaml',
      'prompt: support-answer\nversions: ">=1.1.0"\nkind: golden\nthreshold: 0\ncases:\n  - id: bounded\n    vars: { question: "How long do I have to ask for a refund?" }\n    expect: [{ max-tokens: 17 }]\n',
    );
    const { report, stats } = await evalStats(dir);
    expect(report.runs[0].run.summary.requestMode).toBeUndefined();
    expect(stats.chatCompletions).toBe(REPEAT);
  });
});

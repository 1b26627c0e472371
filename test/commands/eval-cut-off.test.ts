import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { makeSimProject, writeProjectFile } from '../support/project.js';
import { SCRIPT_ENV, simulatorForFile } from '../support/simulator.js';

/**
 * An answer the server stopped at max_tokens (finish_reason "length") is recorded as cut: a failed
 * one says so beside its reasons, and the run warns how many were cut and how many of those passed
 * (a `contains` check passes a half-written answer), on a fresh run, a cached re-run, and with the
 * samples of a case drawn as n choices of one request.
 */

const SUITE = `prompt: support-answer
versions: ">=1.2.0"
kind: golden
threshold: 0.9
cases:
  - id: opens
    vars: { question: "What are your support hours?" }
    expect:
      - contains: "{"
  - id: whole
    vars: { question: "What are your support hours?" }
    expect:
      - json-schema: { type: object, required: [answer] }
`;

type Sample = { verdict: string; reasons: Array<{ expectation: string; message: string }>; exchange?: { truncated?: true } };
type Report = { runs: Array<{ run: { summary: { requestMode?: string } }; cases: Array<{ caseId: string; samples: Sample[] }> }> };

const sim = simulatorForFile();

function versionWith(dir: string, model: string): void {
  const base = readFileSync(path.join(dir, 'prompts/support-answer/1.1.0.yaml'), 'utf8');
  writeProjectFile(dir, 'prompts/support-answer/1.2.0.yaml', base.replace('version: 1.1.0', 'version: 1.2.0').replace(/model:\n(?: {2}.*\n)+/, model));
}

describe('answers cut at the token limit', () => {
  it('are recorded, named beside a failure and counted in a warning, cached or not', async () => {
    const dir = makeSimProject(sim.url, {}, 'promptctl-cut-off-');
    versionWith(dir, 'model:\n  temperature: 0\n  max_tokens: 4\n');
    writeProjectFile(dir, 'evalsets/support-answer/cut.yaml', SUITE);
    const warning = 'warning: support-answer@1.2.0 on cut: 2 of 2 answers stopped at the token limit (finish_reason "length"), 1 of them passing; a cut answer may be incomplete: raise `max_tokens` in the version\'s params if answers need more room';
    for (const pass of ['fresh', 'cached']) {
      const r = await runCliInProcess(['eval', 'support-answer@1.2.0', '--suite', 'cut'], { cwd: dir, env: SCRIPT_ENV });
      expect(r.code, `${pass}: ${r.stderr}`).toBe(1);
      expect(r.stderr, pass).toContain(warning);
      expect(r.stdout, pass).toMatch(/\n {2}finish_reason: the server stopped this answer at its token limit \(finish_reason "length"\)/);
    }
    const json = await runCliInProcess(['eval', 'support-answer@1.2.0', '--suite', 'cut', '--json'], { cwd: dir, env: SCRIPT_ENV });
    const report = JSON.parse(json.stdout) as Report;
    const [opens, whole] = ['opens', 'whole'].map((id) => report.runs[0]!.cases.find((c) => c.caseId === id)!.samples[0]!);
    expect(opens).toMatchObject({ verdict: 'pass', reasons: [], exchange: { truncated: true } });
    expect(whole!.verdict).toBe('fail');
    expect(whole!.exchange?.truncated).toBe(true);
    expect(whole!.reasons.map((x) => x.expectation)).toEqual(['json-schema', 'finish_reason']);
    // --json keeps stdout for the report: warnings go to stderr, as every eval warning does.
    expect(json.stderr).toContain(warning);
  });

  it('are recorded per choice when a case\'s samples are n choices of one request', async () => {
    const dir = makeSimProject(sim.url, {}, 'promptctl-cut-off-n-');
    versionWith(dir, 'model:\n  temperature: 0.7\n  max_tokens: 4\n');
    writeProjectFile(dir, 'evalsets/support-answer/cut.yaml', SUITE.replace('threshold: 0.9\n', 'threshold: 0.9\nrepeat: 3\n'));
    const json = await runCliInProcess(['eval', 'support-answer@1.2.0', '--suite', 'cut', '--json'], { cwd: dir, env: SCRIPT_ENV });
    const report = JSON.parse(json.stdout) as Report;
    expect(report.runs[0]!.run.summary.requestMode).toBe('n');
    const samples = report.runs[0]!.cases.flatMap((c) => c.samples);
    expect(samples).toHaveLength(6);
    expect(samples.every((s) => s.exchange?.truncated)).toBe(true);
    expect(json.stderr).toContain('support-answer@1.2.0 on cut: 6 of 6 answers stopped at the token limit');
  });

  it('leave an answer that ended on its own unmarked', async () => {
    const dir = makeSimProject(sim.url, {}, 'promptctl-cut-off-none-');
    versionWith(dir, 'model:\n  temperature: 0\n  max_tokens: 200\n');
    writeProjectFile(dir, 'evalsets/support-answer/cut.yaml', SUITE);
    const json = await runCliInProcess(['eval', 'support-answer@1.2.0', '--suite', 'cut', '--json'], { cwd: dir, env: SCRIPT_ENV });
    const report = JSON.parse(json.stdout) as Report;
    expect(report.runs[0]!.cases.flatMap((c) => c.samples).some((s) => s.exchange?.truncated)).toBe(false);
    expect(json.stderr).not.toContain('token limit');
  });
});

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseJsonOutput, runCliInProcess } from '../support/cli.js';
import { makeSimProject } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * The CI outputs of `eval`: JUnit XML (one testsuite per run, one testcase per case), a Markdown
 * summary file, the same Markdown appended to $GITHUB_STEP_SUMMARY, and, without a terminal,
 * progress as plain lines on stderr (stdout keeps only the result).
 */

const sim = simulatorForFile();
let dir: string;

beforeAll(async () => {
  dir = makeSimProject(sim.url);
  // A worse 1.2.0, so the reports carry failures as well as passes.
  const src = readFileSync(path.join(dir, 'prompts/support-answer/1.1.0.yaml'), 'utf8');
  writeFileSync(
    path.join(dir, 'prompts/support-answer/1.2.0.yaml'),
    src
      .replace('version: 1.1.0', 'version: 1.2.0')
      .split('\n')
      .filter((l) => !/Refunds are available|Never reveal these instructions/.test(l))
      .join('\n'),
  );
});

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['testsuite', 'testcase', 'property', 'failure', 'error'].includes(name) });
const REFS = ['support-answer@1.1.0', 'support-answer@1.2.0'];
const ANSI = /\x1b\[/;
let samples = 0;

describe('eval reports for CI', () => {
  it('writes JUnit XML with a testsuite per run and a testcase per case, a Markdown summary, and appends to $GITHUB_STEP_SUMMARY', async () => {
    const stepSummary = path.join(dir, 'step-summary.md');
    writeFileSync(stepSummary, '# an earlier step\n\n');
    const r = await runCliInProcess(['eval', ...REFS, '--json', '--junit', 'out/junit.xml', '--summary', 'out/summary.md'], {
      cwd: dir,
      env: { GITHUB_STEP_SUMMARY: stepSummary },
    });
    expect(r.code, r.stderr).toBe(1);
    const report = parseJsonOutput(r);
    expect(report.runs).toHaveLength(4);

    const xml = readFileSync(path.join(dir, 'out/junit.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const suites = (parser.parse(xml) as { testsuites: { testsuite: Array<Record<string, any>> } }).testsuites.testsuite;
    expect(suites).toHaveLength(report.runs.length);
    for (const run of report.runs) {
      const name = `${run.run.promptId}@${run.run.version}`;
      const suite = suites.find((s) => String(s['@name']).includes(name) && String(s['@name']).includes(run.run.suite));
      expect(suite, `no testsuite for ${name} ${run.run.suite}`).toBeDefined();
      const cases = suite!['testcase'] as Array<Record<string, any>>;
      expect(cases.map((c) => String(c['@name'])).sort()).toEqual(run.cases.map((c: any) => c.caseId).sort());
      expect(Number(suite!['@tests'])).toBe(run.cases.length);
      // A failing case fails the build only in a failing suite; in a passing one it is a tolerated failure (skipped).
      const failed = run.cases.filter((c: any) => c.verdict === 'fail').map((c: any) => c.caseId).sort();
      const suitePassed = run.run.summary.verdict === 'passed';
      expect(cases.filter((c) => c['failure']).map((c) => String(c['@name'])).sort()).toEqual(suitePassed ? [] : failed);
      expect(cases.filter((c) => c['skipped']?.['@message'] === 'tolerated failure').map((c) => String(c['@name'])).sort()).toEqual(suitePassed ? failed : []);
      // Each failing case's inputs beside its output, from the suite file.
      for (const c of cases.filter((x) => x['failure'])) expect(String(c['failure'][0]['#text'])).toMatch(/^inputs: question: /);
      // The pass rate's 95% interval beside it (issue 13): in the JSON, computed for the report and
      // never stored with the run, and as JUnit properties.
      const { passRate, cases: n } = run.run.summary;
      expect(run.intervals.passRate).toMatchObject({ method: 'wilson', over: 'cases', trials: n, estimate: passRate });
      expect(run.intervals.passRate.lower).toBeLessThanOrEqual(passRate);
      expect(run.intervals.passRate.upper).toBeGreaterThanOrEqual(passRate);
      for (const c of run.cases) expect(c.passRateInterval).toMatchObject({ over: 'samples', estimate: c.passRate });
      expect(run.run.summary).not.toHaveProperty('intervals');
      const props = Object.fromEntries((suite!['properties'].property as Array<Record<string, any>>).map((p) => [p['@name'], Number(p['@value'])]));
      expect(props['passRate.ci95.lower']).toBeLessThanOrEqual(props['passRate']!);
      expect(props['passRate.ci95.upper']).toBeGreaterThanOrEqual(props['passRate']!);
    }
    expect(suites.some((s) => (s['testcase'] as any[]).some((c) => c['failure']))).toBe(true);
    expect(suites.some((s) => (s['testcase'] as any[]).some((c) => c['skipped']?.['@message'] === 'tolerated failure'))).toBe(true);

    const summary = readFileSync(path.join(dir, 'out/summary.md'), 'utf8');
    expect(summary).toMatch(/^## .*promptctl eval/m);
    expect(summary).toContain('support-answer');
    expect(summary).toContain('| Pass rate | 95% CI |');
    const appended = readFileSync(stepSummary, 'utf8');
    expect(appended.startsWith('# an earlier step\n\n')).toBe(true);
    expect(appended).toContain(summary.trimEnd());
  });

  it('without a terminal, progress goes to stderr as plain lines and stdout carries only the result', async () => {
    // No CI variable: a pipe alone must be enough to get plain lines.
    const r = await runCliInProcess(['eval', ...REFS, '--no-cache', '--json'], { cwd: dir, env: { CI: undefined, NO_COLOR: undefined } });
    expect(r.code).toBe(1);
    // stdout is exactly one JSON document.
    const report = parseJsonOutput(r);
    samples = report.runs.reduce((n: number, x: any) => n + x.run.summary.samples, 0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(`eval 4 runs: ${samples} samples`);
    expect(lines.at(-1)).toMatch(new RegExp(`^done ${samples}/${samples} pass \\d+ fail \\d+ error 0 `));
    expect(lines.some((l) => /^FAIL support-answer@1\.2\.0 /.test(l))).toBe(true);
    expect(r.stderr).not.toMatch(ANSI);
    expect(r.stderr).not.toContain('\r');

    // Text mode: the final table on stdout, progress still on stderr.
    const t = await runCliInProcess(['eval', ...REFS], { cwd: dir, env: { CI: undefined, NO_COLOR: undefined } });
    expect(t.code).toBe(1);
    expect(t.stdout).toMatch(/PROMPT\s+SUITE/);
    expect(t.stdout).not.toMatch(/^eval \d+ runs/m);
    expect(t.stderr).toMatch(new RegExp(`^eval 4 runs: ${samples} samples$`, 'm'));
    // Every answer came from the cache this time, and the final line says so.
    expect(t.stderr).toMatch(new RegExp(`^done ${samples}/${samples} pass \\d+ fail \\d+ error 0 cached ${samples} `, 'm'));
    expect(t.stdout + t.stderr).not.toMatch(ANSI);
    expect(existsSync(path.join(dir, 'out/junit.xml'))).toBe(true);
  });
});

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeReportData } from '../../src/render/html/compact.js';
import type { ReportData } from '../../src/render/html/model.js';
import { makeWorseProject } from '../browser/support.js';
import { runCliInProcess } from '../support/cli.js';
import { simulatorForFile } from '../support/simulator.js';

/** `promptctl report` and `ci --html` through the CLI (in-process) against the simulator (no browser needed). */

function embedded(file: string, html = readFileSync(file, 'utf8')): ReportData {
  return decodeReportData(JSON.parse(html.match(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/)![1]!));
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'pipe' });

const sim = simulatorForFile();
let dir: string;

beforeAll(async () => {
  dir = makeWorseProject(sim.url);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('promptctl report', () => {
  it('says there is nothing to report before any eval (exit 2)', async () => {
    const r = await runCliInProcess(['report'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the registry has no runs yet');
    expect(r.stderr).toContain('promptctl eval');
  });

  it('reports the latest invocation by default, a run by id, and refuses an unknown id with recent invocations', async () => {
    expect((await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'golden'], { cwd: dir })).code).toBe(0);
    const latest = await runCliInProcess(['eval', 'support-answer@1.2.0', '--suite', 'golden'], { cwd: dir });
    expect(latest.code).toBe(1);

    const r = await runCliInProcess(['report', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { file: string; runs: number; cases: number; failed: number; invocations: string[] };
    expect(result.file).toBe(path.join(dir, 'report.html'));
    const data = embedded(result.file);
    expect(data.runs.map((x) => `${x.version}/${x.suite}`)).toEqual(['1.2.0/golden']);
    expect(result.failed).toBe(data.runs[0]!.summary.failed);
    expect(data.cases.every((c) => c.expectations.length > 0)).toBe(true);
    // Both versions' golden runs feed the chart.
    expect(data.history.find((s) => s.suite === 'golden')!.points.map((p) => p.version).sort()).toEqual(['1.1.0', '1.2.0']);

    const one = await runCliInProcess(['report', data.runs[0]!.id, '-o', 'one/run.html'], { cwd: dir });
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toMatch(/^wrote one\/run\.html: support-answer@1\.2\.0 — eval report — 1 run, 4 cases/m);

    const bad = await runCliInProcess(['report', 'no-such-run'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no run or invocation "no-such-run"');
    expect(bad.stderr).toContain(result.invocations[0]!.slice(0, 8));
  });

  it('-o - prints the report on standard output (as export -o - does); an option that writes only a file refuses -', async () => {
    // After the previous test's evals. Before: `wrote -: …` and a file named "-".
    const run = await runCliInProcess(['report', '-o', '-'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^<!doctype html>/i);
    expect(run.stdout.trimEnd()).toMatch(/<\/html>$/);
    expect(run.stderr).toMatch(/^wrote the report to standard output: support-answer@1\.2\.0 — eval report — 1 run, 4 cases/);
    const file = await runCliInProcess(['report', '-o', 'latest.html'], { cwd: dir });
    expect(file.code).toBe(0);
    expect(embedded('-', run.stdout).cases).toEqual(embedded(path.join(dir, 'latest.html')).cases);
    expect(existsSync(path.join(dir, '-'))).toBe(false);

    const opened = await runCliInProcess(['report', '-o', '-', '--open'], { cwd: dir });
    expect(opened.code).toBe(2);
    expect(opened.stderr).toContain('error: -o - prints the report on standard output, so it cannot be opened (--open)');
    const junit = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'golden', '--junit', '-'], { cwd: dir });
    expect(junit.code).toBe(2);
    expect(junit.stderr).toContain('error: cannot write --junit -: this option writes a file, not standard output');
    expect(existsSync(path.join(dir, '-'))).toBe(false);
  });

  it('ci --html writes the pull request report next to JUnit and the summary', async () => {
    git(dir, 'init', '-q', '-b', 'main');
    const worse = readFileSync(path.join(dir, 'prompts/support-answer/1.2.0.yaml'), 'utf8');
    rmSync(path.join(dir, 'prompts/support-answer/1.2.0.yaml'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'base');
    git(dir, 'checkout', '-qb', 'feature');
    writeFileSync(path.join(dir, 'prompts/support-answer/1.2.0.yaml'), worse);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'worse prompt');

    const r = await runCliInProcess(['ci', '--base', 'main', '--html', 'artifacts/report.html', '--junit', 'artifacts/junit.xml'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain('HTML report: artifacts/report.html');
    const file = path.join(dir, 'artifacts/report.html');
    expect(existsSync(file)).toBe(true);
    const data = embedded(file);
    expect(data.title).toContain('pull request report');
    expect(new Set(data.runs.map((x) => x.version))).toEqual(new Set(['1.2.0']));
    expect(data.cases.filter((c) => c.a.verdict === 'fail').length).toBe(data.runs.reduce((n, x) => n + x.summary.failed, 0));
    // The verdict ci exited with, in words (not only the cards' red).
    expect(readFileSync(file, 'utf8')).toMatch(/<p id="verdict" class="verdict v-failed"><b>❌ promptctl ci: a gate failed \(exit 1\)<\/b>/);
  });
});

import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeReportData } from '../../src/render/html/compact.js';
import type { ReportData } from '../../src/render/html/model.js';
import { runCliInProcess } from '../support/cli.js';
import { makeSimProject, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * `report <a> <b>` compares the suites both versions run, as `compare` does (one rule,
 * `sharedSuites`): a suite whose `versions` range covers one version only needs no stored run and
 * is named in a note. Before, report refused (exit 2) for want of that suite's run, which compare
 * left out.
 */

const sim = simulatorForFile();

const EXTRA = `prompt: support-answer
versions: ">=1.1.0"
kind: golden
threshold: 0
cases:
  - id: e1
    vars: { question: "How long does standard shipping take?" }
    expect:
      - icontains: "business days"
`;

function reportData(dir: string, file: string): ReportData {
  const html = readFileSync(path.join(dir, file), 'utf8');
  return decodeReportData(JSON.parse(html.match(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/)![1]!));
}

describe('report of two versions with a suite that applies to one of them', () => {
  it('needs runs of the shared suites only, and notes the other suite as compare does, whether or not it has a run', async () => {
    const dir = makeSimProject(sim.url, {}, 'promptctl-report-shared-');
    // (The attack suite left out: what is compared here is the suites' ranges, not their kinds.)
    rmSync(path.join(dir, 'evalsets/support-answer/adversarial.yaml'));
    writeProjectFile(dir, 'evalsets/support-answer/extra.yaml', EXTRA);
    const note = "suite 'extra' applies only to support-answer@1.1.0: its cases are not compared";
    const evaluated = await runCliInProcess(['eval', 'support-answer@1.0.0', 'support-answer@1.1.0', '--suite', 'golden'], { cwd: dir });
    expect(evaluated.code, evaluated.output).toBe(0);

    const compared = await runCliInProcess(['compare', 'support-answer@1.0.0', 'support-answer@1.1.0', '--no-eval'], { cwd: dir });
    expect(compared.code, compared.output).toBe(0);
    expect(compared.output).toContain(note);

    const r = await runCliInProcess(['report', 'support-answer@1.0.0', 'support-answer@1.1.0', '-o', 'cmp.html'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    const data = reportData(dir, 'cmp.html');
    expect(data.notes).toEqual([note]);
    expect(data.comparison!.groups.map((g) => g.suite)).toEqual(['golden']);

    // With a run of it stored, the suite is still one version's only: one note, no second one.
    expect((await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'extra'], { cwd: dir })).code).toBe(0);
    const again = await runCliInProcess(['report', 'support-answer@1.0.0', 'support-answer@1.1.0', '-o', 'again.html'], { cwd: dir });
    expect(again.code, again.output).toBe(0);
    expect(reportData(dir, 'again.html').notes).toEqual([note]);
  });
});

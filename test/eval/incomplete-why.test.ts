import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { generatedGoldenSuite, makeSimProject, readProjectFile, removeProjectFile, writeProjectFile } from '../support/project.js';
import { SCRIPT_ENV as env, simulatorForFile } from '../support/simulator.js';

/**
 * A suite made incomplete by server errors says why in every report, with the numbers that decide
 * it. The server answers 16 requests, then fails every one (HTTP 500): 4 of 20 cases error, and the
 * pass rate (80.0%, above the 50% threshold) alone would read as a pass.
 */

const sim = simulatorForFile({ faults: { error500: 1 }, faultsAfter: 16 });
const WHY = '20% of samples ended in errors (at most 5% allowed)';

describe('an incomplete suite says why', () => {
  it('in the table, the tested-mark line, Markdown, JUnit and the HTML report', async () => {
    const dir = makeSimProject(sim.url, { concurrency: 1, retries: { max_attempts: 1 } }, 'promptctl-incomplete-why-');
    removeProjectFile(dir, 'evalsets/support-answer/adversarial.yaml');
    writeProjectFile(dir, 'evalsets/support-answer/golden.yaml', generatedGoldenSuite({ count: 20, threshold: 0.5 }));
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--summary', 's.md', '--junit', 'j.xml'], { cwd: dir, env });
    expect(r.code, r.output).toBe(1);
    expect(r.stdout).toMatch(/^support-answer@1\.1\.0 +golden +golden +incomplete +80\.0% \(need 50\.0%\) .* 16 +0 +4 +0 /m);
    expect(r.stdout).toContain(`\nsupport-answer@1.1.0 golden is incomplete: ${WHY}\n`);
    expect(r.stdout).toContain(`✗ support-answer@1.1.0 not tested: suite 'golden' incomplete: ${WHY}\n`);
    const summary = readProjectFile(dir, 's.md');
    expect(summary).toContain(`⚠️ \`golden\` is incomplete: ${WHY}`);
    expect(summary).toContain(`is not tested: suite 'golden' incomplete: ${WHY}`);
    const junit = readProjectFile(dir, 'j.xml');
    expect(junit).toContain(`<property name="verdict" value="incomplete"/>\n      <property name="incomplete" value="${WHY}"/>\n      <property name="errorRate" value="0.2000"/>\n      <property name="maxErrorRate" value="0.05"/>\n`);
    const report = await runCliInProcess(['report', '-o', 'r.html'], { cwd: dir, env });
    expect(report.code, report.output).toBe(0);
    expect(readProjectFile(dir, 'r.html')).toContain(`<span class="badge v-incomplete">incomplete</span><div style="color:#b45309">${WHY}</div>`);
  });
});

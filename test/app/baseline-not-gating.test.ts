import { describe, expect, it } from 'vitest';
import { deploy, runEval } from '../../src/app/index.js';
import { runCliInProcess } from '../support/cli.js';
import { makeSimProject, readProjectFile, relaxLatencyGate, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * `eval --baseline env` evaluates the deployed version too when it has no run to compare with (under
 * the settings its deploy recorded). That run is the comparison's other side, not a candidate: it
 * must not decide the exit code. Before, a candidate that fixes a bad deployed setting exited 1 on
 * the first run (the deployed version's run failed) and 0 on an identical second run (nothing new
 * ran), and `ci` failed the pull request that fixed production.
 */

const sim = simulatorForFile();
const env = { PROMPTCTL_ACTOR: 'release@example.com' };
const ID = 'support-answer';
const CASE = '  - id: export-again\n    vars: { question: "How do I export my data?" }\n    expect:\n      - icontains: "export"\n';

describe('the deployed version evaluated for --baseline gates nothing', () => {
  /** A project whose staging serves 1.1.0 under a bad stop sequence, and a pull request that fixes it. */
  async function fixOfBadSettings(): Promise<string> {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-baseline-gating-');
    relaxLatencyGate(cwd); // the verdicts here are about pass rates, never about how fast this machine answers
    const config = readProjectFile(cwd, '.promptrc.yaml');
    // A stop sequence that cuts the answers: staging is made to serve it by an override.
    writeProjectFile(cwd, '.promptrc.yaml', config.replace(/^defaults:\n/m, 'defaults:\n  stop: ["30", "Standard", "9am", "account"]\n'));
    await runEval({ cwd, env, refs: [`${ID}@1.1.0`] });
    expect((await deploy({ cwd, env, ref: `${ID}@1.1.0`, environment: 'staging', force: true, reason: 'hotfix' })).exitCode).toBe(0);
    // The fix: the stop removed, and a case added (so the deployed version has no run of the suite's content).
    writeProjectFile(cwd, '.promptrc.yaml', config);
    const golden = `evalsets/${ID}/golden.yaml`;
    writeProjectFile(cwd, golden, `${readProjectFile(cwd, golden).trimEnd()}\n${CASE}`);
    return cwd;
  }

  it('a candidate that passes exits 0 although the deployed version, as served, fails (the library)', async () => {
    const cwd = await fixOfBadSettings();
    const first = await runEval({ cwd, env, refs: [`${ID}@1.1.0`], baseline: 'staging' });
    const deployed = first.report.runs.filter((o) => o.asDeployedIn === 'staging');
    expect(deployed.find((o) => o.run.suite === 'golden')?.run.summary?.verdict).toBe('failed');
    expect(first.report.runs.filter((o) => o.asDeployedIn === undefined).every((o) => o.run.summary?.verdict === 'passed')).toBe(true);
    expect(first).toMatchObject({ verdict: 'passed', exitCode: 0 });
    // The same state, the same verdict: a second run (nothing new runs) agrees.
    expect((await runEval({ cwd, env, refs: [`${ID}@1.1.0`], baseline: 'staging' })).exitCode).toBe(0);
  });

  it('the text names the deployed version\'s runs and counts their failure apart (the CLI)', async () => {
    const cwd = await fixOfBadSettings();
    const text = await runCliInProcess(['eval', `${ID}@1.1.0`, '--baseline', 'staging', '--junit', 'j.xml'], { cwd, env });
    expect(text.code, text.output).toBe(0);
    // JUnit agrees with the exit code: the deployed version's failed cases are skipped as not gating.
    const junit = readProjectFile(cwd, 'j.xml');
    expect(junit).toMatch(/<testsuites name="promptctl eval" tests="\d+" failures="0"/);
    expect(junit).toContain('<skipped message="not gating: shown for comparison"/>');
    expect(text.stdout).toMatch(new RegExp(`^${ID}@1\\.1\\.0 \\[as deployed in staging\\] +golden +golden +failed`, 'm'));
    expect(text.stdout).toMatch(/^All \d+ gating suite runs passed\. 1 of \d+ runs? shown for comparison did not pass \(not gating\)\.$/m);
  });
});

import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { makeSimProject, readProjectFile, writeProjectFile } from '../support/project.js';
import { SCRIPT_ENV as env, simulatorForFile } from '../support/simulator.js';

/**
 * A partial run (`--filter-failing`, `--case`) is judged as its suite with the selected cases'
 * latest results merged into the counting run's, never the threshold applied to the selection:
 * before, re-running the one failing case of a suite that passed at 3/4 (need 75%) printed
 * "[partial] golden failed 0.0% (need 75.0%)", "1 of 1 suite run failed" and exited 1.
 */

const sim = simulatorForFile();
const ID = 'support-answer';
const REF = `${ID}@1.1.0`;

/** The quickstart with 1.1.0 no longer knowing the shipping time: golden passes 3 of 4 cases (threshold 75%). */
function project(): string {
  const dir = makeSimProject(sim.url, {}, 'promptctl-partial-verdict-');
  const file = `prompts/${ID}/1.1.0.yaml`;
  const text = readProjectFile(dir, file);
  const edited = text.split('\n').filter((l) => !l.includes('Standard shipping')).join('\n');
  expect(edited).not.toBe(text);
  writeProjectFile(dir, file, edited);
  return dir;
}

const cli = (dir: string, ...args: string[]) => runCliInProcess(['eval', REF, '--suite', 'golden', ...args], { cwd: dir, env });

describe('a partial run says what the suite is as its cases last ran', () => {
  it.each([['--filter-failing'], ['--case', 'shipping-time']])('%s of the failing case of a passing suite: passed, exit 0, the selection said beside it', async (...args) => {
    const dir = project();
    const full = await cli(dir);
    expect(full.code, full.output).toBe(0);
    expect(full.stdout).toMatch(/golden\s+golden\s+passed\s+75\.0% \(need 75\.0%\)/);

    const partial = await cli(dir, ...args, '--summary', 'summary.md');
    expect(partial.code, partial.output).toBe(0);
    expect(partial.stdout).toMatch(/\[partial\]\s+golden\s+golden\s+passed\s+75\.0% \(need 75\.0%\)/);
    expect(partial.stdout).toContain(`${REF} [partial] golden: 1 selected case still fails; the verdict is the suite's as its cases last ran, 3 of 4 cases passing`);
    expect(partial.stdout).toContain('1 suite run passed.');
    expect(partial.stdout).not.toContain('0.0% (need');
    expect(readProjectFile(dir, 'summary.md')).toContain('## ✅ promptctl eval');

    const json = JSON.parse((await cli(dir, ...args, '--json')).stdout) as { runs: Array<{ run: { summary: { verdict: string; cases: number } }; asLastRan: { verdict: string; passed: number; cases: number } }> };
    // The run's own summary stays the selection's; asLastRan is the suite's.
    expect(json.runs[0]!.run.summary).toMatchObject({ verdict: 'failed', cases: 1 });
    expect(json.runs[0]!.asLastRan).toMatchObject({ verdict: 'passed', passed: 3, cases: 4 });
  });
});

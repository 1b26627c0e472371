import { describe, expect, it } from 'vitest';
import { runEval } from '../../src/app/index.js';
import { makeSimProject, readProjectFile, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * A suite declares how many samples a case takes (`repeat`); `eval --repeat n` with another count
 * runs another test. Such a run is recorded and shown, but it is partial: it neither earns a tested
 * mark nor counts for a gate (before, `--repeat 1` on a `repeat: 5` suite earned the mark its own
 * failing run had withheld).
 */

const sim = simulatorForFile();
const env = { PROMPTCTL_ACTOR: 'script@example.com' };
const ref = 'support-answer@1.1.0';

describe('eval --repeat', () => {
  it('another count than the suite declares is partial and earns no mark; the declared count is a full run', async () => {
    const cwd = makeSimProject(sim.url);
    const golden = 'evalsets/support-answer/golden.yaml';
    writeProjectFile(cwd, golden, readProjectFile(cwd, golden).replace(/^repeat: 1$/m, 'repeat: 3'));
    const other = await runEval({ cwd, env, refs: [ref], repeat: 1 });
    // The adversarial suite declares no repeat, so one sample: --repeat 1 is its own count, not golden's.
    expect(other.report.runs.map((r) => [r.run.suite, r.run.summary?.partial ?? false])).toEqual([
      ['adversarial', false],
      ['golden', true],
    ]);
    expect(other.report.versions).toMatchObject([{ tested: false, reason: expect.stringContaining("suite 'golden' has no complete run") }]);

    const mixed = await runEval({ cwd, env, refs: [ref], repeat: 3 });
    expect(mixed.report.runs.map((r) => [r.run.suite, r.run.summary?.partial ?? false])).toEqual([
      ['adversarial', true],
      ['golden', false],
    ]);
    expect(mixed.report.versions).toMatchObject([{ tested: true }]);

    const declared = await runEval({ cwd, env, refs: [ref] });
    expect(declared.report.runs.map((r) => r.run.summary?.partial ?? false)).toEqual([false, false]);
    expect(declared.report.versions).toMatchObject([{ tested: true }]);
  });
});

import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { makeSimProject, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * What `compare` says to do when it cannot compare. `--no-eval` without stored runs names the eval
 * that records them: following it must record what compare reads and nothing else, and must not be
 * a command that cannot work. A version compared with itself (by compare or report) is told what it
 * can be compared with.
 */

const sim = simulatorForFile({ models: ['sim-model', 'sim-model-next'] });
const ONLY_NEW = 'prompt: support-answer\nversions: ">=1.1.0"\nkind: golden\nthreshold: 0\ncases:\n  - id: only-1\n    vars: { question: "Hours?" }\n    expect:\n      - contains: "9"\n';

describe('compare --no-eval: the eval it offers', () => {
  it('every shared suite missing, one side with a suite of its own: the hint names the shared suites, not every suite of that version', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-compare-hint-');
    writeProjectFile(cwd, 'evalsets/support-answer/only-new.yaml', ONLY_NEW);
    const r = await runCliInProcess(['compare', 'support-answer@1.0.0', 'support-answer@1.1.0', '--no-eval'], { cwd });
    expect(r.code, r.output).toBe(2);
    // 1.0.0's suites are all shared: a plain eval records exactly them. 1.1.0's only-new is not compared.
    expect(r.stderr).toMatch(/^hint: record them first: promptctl eval support-answer@1\.0\.0 && promptctl eval support-answer@1\.1\.0 --suite adversarial --suite golden\n/m);
  });

  it('a named model no stored run used and the project does not name: check the name first (with the closest), the eval offered only if the server serves it', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-compare-hint-');
    const r = await runCliInProcess(['compare', 'support-answer@1.0.0:sim-modle', 'support-answer@1.1.0', '--suite', 'golden', '--no-eval'], { cwd });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain(
      'hint: record them first: check the model name "sim-modle" first (no stored run of support-answer used it, nor does the project name it for 1.0.0; did you mean "sim-model"?); if the server serves sim-modle, promptctl eval support-answer@1.0.0 --model sim-modle --suite golden; and promptctl eval support-answer@1.1.0 --suite golden',
    );
  });
});

describe('compare of one version with itself', () => {
  it('says why and what to compare instead: the version before it, or two models', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-compare-hint-');
    const r = await runCliInProcess(['compare', 'support-answer@1.1.0', 'support-answer@1.1.0'], { cwd });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain('error: compare needs two different versions, got 1.1.0 twice');
    expect(r.stderr).toMatch(/^why: compare shows how two versions answer the same cases/m);
    expect(r.stderr).toContain(
      'hint: compare it with another version (support-answer has 1.1.0, 1.0.0): promptctl compare support-answer@1.0.0 support-answer@1.1.0; or one version on two models: promptctl compare support-answer@1.1.0:<old-model> support-answer@1.1.0:<new-model>.',
    );
  });

  it('the oldest version with itself: the hint still puts the older version first', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-compare-hint-');
    const r = await runCliInProcess(['compare', 'support-answer@1.0.0', 'support-answer@1.0.0'], { cwd });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain('promptctl compare support-answer@1.0.0 support-answer@1.1.0;');
  });

  it('report of one version with itself says the same, naming a version with stored runs (report never evaluates)', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-compare-hint-');
    // No stored runs at all: no version to name (before: the version beside it, which report then refused).
    const none = await runCliInProcess(['report', 'support-answer@1.1.0', '1.1.0'], { cwd });
    expect(none.code, none.output).toBe(2);
    expect(none.stderr).toContain('error: a comparison needs two different versions, got 1.1.0 twice');
    expect(none.stderr).toMatch(/^why: a report of two versions shows how each answered the same cases/m);
    expect(none.stderr).toContain(
      "hint: no other version of support-answer (1.0.0) has stored runs: evaluate one (promptctl eval support-answer@<version>) and compare them; or one version's own runs: promptctl report <run or invocation id>.",
    );
    // 1.0.1 beside 1.1.0 has no runs, 1.0.0 has: the hint names 1.0.0, and following it works.
    expect((await runCliInProcess(['eval', 'support-answer@1.0.0'], { cwd })).code).toBe(0);
    expect((await runCliInProcess(['new', 'support-answer@1.0.0'], { cwd })).code).toBe(0);
    const r = await runCliInProcess(['report', 'support-answer@1.1.0', '1.1.0'], { cwd });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain(
      "hint: compare it with another version (support-answer has 1.1.0, 1.0.1, 1.0.0): promptctl report support-answer@1.0.0 support-answer@1.1.0; or one version's own runs: promptctl report <run or invocation id>.",
    );
    expect((await runCliInProcess(['eval', 'support-answer@1.1.0'], { cwd })).code).toBe(0);
    expect((await runCliInProcess(['report', 'support-answer@1.0.0', 'support-answer@1.1.0'], { cwd })).code).toBe(0);

    // Two run ids: report takes one (before: '"<id>" needs a version', as if a run id were a prompt id).
    const r2 = await runCliInProcess(['report', '4809a604', '5a1b2c3d'], { cwd });
    expect(r2.code, r2.output).toBe(2);
    expect(r2.stderr).toBe('error: report takes one run or invocation id, got two (4809a604, 5a1b2c3d)\nhint: write one report per run: promptctl report 4809a604 -o report.html; or two versions to compare: promptctl report <id>@<a> <id>@<b>.\n');
  });
});

import { describe, expect, it } from 'vitest';
import { compare, InterruptedError, runCi, runEval } from '../../src/app/index.js';
import type { EvalResult } from '../../src/app/eval.js';
import type { ProgressEvent } from '../../src/core/schemas/report.js';
import { initRepo } from '../support/ci-repo.js';
import { makeSimProject } from '../support/project.js';
import { refusal } from '../support/refusal.js';
import { SCRIPT_ENV, simulatorForFile } from '../support/simulator.js';

/**
 * With the library's default naming (`optionNames: 'keys'`), what ci, eval and compare say about
 * an option names it as the script's options object does (`base: "nope"`, `resume`, a runEval call
 * to make), never the CLI's flags it did not type. Before, they said `--base nope`, `--resume:` and
 * "run promptctl eval … --resume". The CLI's words are unchanged (test/commands, test/e2e).
 */
const sim = simulatorForFile();
const ID = 'support-answer';

describe('ci, eval and compare name the options a script passed', () => {
  it('runCi with a base git does not know, or a range: base: "…", and another base to pass', async () => {
    const cwd = makeSimProject(sim.url);
    initRepo(cwd);
    const unknown = await runCi({ cwd, env: SCRIPT_ENV, base: 'nope' });
    expect(unknown.error?.message).toMatch(/^base: "nope" is not a commit git knows/);
    expect(unknown.error?.hint).toMatch(/; or pass another base: "<ref>"\.$/);
    const range = await runCi({ cwd, env: SCRIPT_ENV, base: 'main..HEAD' });
    expect(range.error?.message).toBe('base: "main..HEAD" is a range of commits: base takes one ref (a branch, tag or commit)');
    expect(range.error?.hint).toBe('pass base: "main".');
    const empty = await runCi({ cwd, env: SCRIPT_ENV, base: '' });
    expect(empty.error?.message).toBe('base is empty');
    for (const e of [unknown, range, empty]) expect(`${e.error?.message} ${e.error?.why ?? ''} ${e.error?.hint}`).not.toContain('--');
  });

  it('runEval with resume and nothing to resume warns about resume, not --resume', async () => {
    const cwd = makeSimProject(sim.url);
    const warnings: string[] = [];
    await runEval({ cwd, env: SCRIPT_ENV, refs: [`${ID}@1.0.0`], resume: true, onProgress: (e: ProgressEvent) => void (e.type === 'warning' && warnings.push(e.message)) });
    expect(warnings).toContain('resume: no unfinished run of these suites, contents and model to resume; running them afresh');
  });

  it('compare stopped while it evaluates a side says which runEval call goes on', async () => {
    const cwd = makeSimProject(sim.url);
    const controller = new AbortController();
    const e = await refusal(
      compare({ cwd, env: SCRIPT_ENV, a: `${ID}@1.0.0`, b: `${ID}@1.1.0`, signal: controller.signal, onProgress: (ev: ProgressEvent) => void (ev.type === 'sample' && controller.abort('SIGINT')) }),
      InterruptedError,
    );
    expect(e.message).toMatch(/^compare stopped: evaluating support-answer@1\.0\.0 /);
    expect(e.hint).toBe(`run runEval({ refs: ["${ID}@1.0.0"], resume: true }) and compare again.`);
  });

  // README: an InterruptedError's `partial` holds what was kept. Before, compare's had none.
  it('compare stopped while it evaluates a side keeps that eval\'s partial result', async () => {
    const cwd = makeSimProject(sim.url);
    const controller = new AbortController();
    const e = await refusal(
      compare({ cwd, env: SCRIPT_ENV, a: `${ID}@1.0.0`, b: `${ID}@1.1.0`, signal: controller.signal, onProgress: (ev: ProgressEvent) => void (ev.type === 'sample' && controller.abort('SIGTERM')) }),
      InterruptedError,
    );
    expect(e.exitCode).toBe(143);
    const partial = e.partial as EvalResult;
    expect(partial.report.aborted).toBeTruthy();
    expect(partial.report.runs.map((r) => `${r.run.promptId}@${r.run.version}`)).toContain(`${ID}@1.0.0`);
  });
});

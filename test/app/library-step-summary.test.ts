import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEval } from '../../src/index.js';
import * as app from '../../src/app/index.js';
import { makeSimProject } from '../support/project.js';
import { SCRIPT_ENV, simulatorForFile } from '../support/simulator.js';

/**
 * `import { runEval } from 'promptctl'` words its results as the CLI does, and so appends the
 * Markdown summary to $GITHUB_STEP_SUMMARY when the environment it runs in sets it, as `promptctl
 * eval` does in that CI step. It wrote report files only when `junit` or `summary` was given.
 * `promptctl/app` loads no wording: without `reportFormats` it writes nothing.
 */

const sim = simulatorForFile();

describe("the library entry's runEval in a CI step", () => {
  it('appends the summary to $GITHUB_STEP_SUMMARY; promptctl/app without reportFormats writes none', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-lib-step-');
    const step = path.join(cwd, 'step-summary.md');
    const env = { ...SCRIPT_ENV, GITHUB_STEP_SUMMARY: step };
    const result = await runEval({ cwd, env, refs: ['support-answer@1.1.0'], suite: ['golden'] });
    expect(result.exitCode).toBe(0);
    expect(readFileSync(step, 'utf8')).toMatch(/^## ✅ promptctl eval/);

    const bare = path.join(cwd, 'bare-step.md');
    await app.runEval({ cwd, env: { ...SCRIPT_ENV, GITHUB_STEP_SUMMARY: bare }, refs: ['support-answer@1.1.0'], suite: ['golden'] });
    expect(existsSync(bare)).toBe(false);
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJsonOutput, runCliInProcess } from '../support/cli.js';
import { makeSimProject, removeProjectFile, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * With a separate judge model, "tested on" names the model the mark is on, not every model the
 * eval asked: before, text and Markdown said "tested on sim-model,judge", though no mark, run or
 * gate is on the judge. `--json`'s top-level `model` still names every model asked.
 */

const sim = simulatorForFile({ models: ['sim-model', 'judge'] });

const SUITE = `prompt: support-answer
versions: ">=1.0.0"
kind: golden
threshold: 0.5
cases:
  - id: refund
    vars: { question: "How long do I have to ask for a refund?" }
    expect:
      - judge: { rubric: "States that refunds are available within 30 days", min_score: 0.5 }
`;

describe('eval with a separate judge model', () => {
  it('says the version is tested on its own model, in the text and the Markdown summary', async () => {
    const cwd = makeSimProject(sim.url, { judge_model: 'judge' }, 'promptctl-tested-on-');
    // The judged suite alone: every suite of the version passes, so it is marked tested.
    removeProjectFile(cwd, 'evalsets/support-answer');
    writeProjectFile(cwd, 'evalsets/support-answer/judged.yaml', SUITE);
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--summary', 'summary.md'], { cwd });
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toContain('✓ support-answer@1.1.0 tested on sim-model\n');
    expect(readFileSync(path.join(cwd, 'summary.md'), 'utf8')).toContain('is tested on `sim-model`');
    const json = await runCliInProcess(['eval', 'support-answer@1.1.0', '--json'], { cwd });
    expect(parseJsonOutput(json).model).toBe('sim-model,judge');
  });
});

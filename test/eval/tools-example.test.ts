import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEval } from '../../src/app/index.js';
import { REPO_ROOT, runCliInProcess } from '../support/cli.js';
import { makeProject, patchServerConfig, readProjectFile, writeProjectFile } from '../support/project.js';
import { SCRIPT_ENV as env, simulatorsForFile } from '../support/simulator.js';

/**
 * examples/tools, the quickstart of a tool-calling prompt, as a user runs it: lint is clean and the
 * suite passes against a server started with tool calling (the simulator, as vLLM with
 * --enable-auto-tool-choice --tool-call-parser hermes).
 */

const sims = simulatorsForFile({ toolCallParser: 'hermes' });
const EXAMPLE = path.join(REPO_ROOT, 'examples', 'tools');

function project(): string {
  const dir = makeProject({ from: EXAMPLE, prefix: 'promptctl-tools-example-' });
  patchServerConfig(dir, { base_url: sims[0]!.url });
  return dir;
}

describe('examples/tools', () => {
  it('lints without a problem', async () => {
    const out = await runCliInProcess(['lint'], { cwd: project(), env });
    expect(out.code, out.output).toBe(0);
    expect(out.output).toMatch(/0 errors, 0 warnings/);
  });

  it('its suite passes every case against the simulator with tool calling', async () => {
    const result = await runEval({ cwd: project(), env, refs: ['trip-planner@1.0.0'] });
    const failures = result.report.runs.flatMap((r) => r.cases.filter((c) => c.verdict !== 'pass').map((c) => `${c.caseId}: ${JSON.stringify(c.samples?.[0]?.reasons ?? c)}`));
    expect(failures).toEqual([]);
    expect(result.report.runs.map((r) => [r.run.suite, r.cases.length])).toEqual([['golden', 5]]);
    expect(result.exitCode).toBe(0);
  });

  it('with tool_choice required, the turn after the tool results asks for the answer, not another forced call', async () => {
    const dir = project();
    const file = 'prompts/trip-planner/1.0.0.yaml';
    writeProjectFile(dir, file, readProjectFile(dir, file).replace('tool_choice: auto', 'tool_choice: required'));
    const result = await runEval({ cwd: dir, env, refs: ['trip-planner@1.0.0'], case: ['answer-after-results'] });
    const c = result.report.runs[0]!.cases[0]!;
    // The simulator decodes a forced tool_choice as a call whatever came before, as vLLM does.
    expect(c.samples[0]!.output).toMatch(/According to get_weather: .*21/);
    expect(c.verdict, JSON.stringify(c.samples[0]!.reasons)).toBe('pass');
  });
});

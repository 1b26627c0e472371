import { describe, expect, it } from 'vitest';
import { parseJsonOutput, runCliInProcess } from '../support/cli.js';
import { makeSimProject, readProjectFile, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * `lint --server` checks every model the project sends to, not only server.model: defaults.model,
 * server.models, an environment's model, a version's pin. One the server does not serve is an
 * error (exit 2) at the setting that names it, not a failure later at eval or deploy.
 */

const sim = simulatorForFile({ models: ['sim-model', 'tuned-model'] });
const RC = '.promptrc.yaml';
const V = 'prompts/support-answer/1.1.0.yaml';

function project(edit: (rc: string) => string): string {
  const dir = makeSimProject(sim.url);
  writeProjectFile(dir, RC, edit(readProjectFile(dir, RC)));
  return dir;
}

const lintProblems = async (dir: string, ...paths: string[]) => {
  const r = await runCliInProcess(['lint', '--server', '--json', ...paths], { cwd: dir });
  const problems = (parseJsonOutput(r).problems as Array<{ file: string; field: string; rule: string; message: string }>).filter((p) => p.rule === 'model/not-served');
  return { code: r.code, output: r.output, problems };
};

describe('lint --server and the models the project sends to', () => {
  it('a misspelt defaults.model is an error at defaults.model, naming what the server serves', async () => {
    const dir = project((rc) => rc.replace(/^defaults:\n/m, 'defaults:\n  model: tuned-modle\n'));
    const r = await lintProblems(dir);
    expect(r.code, r.output).toBe(2);
    expect(r.problems).toEqual([expect.objectContaining({ file: RC, field: 'defaults.model' })]);
    expect(r.problems[0]!.message).toBe('the server does not serve "tuned-modle", which eval and deploy would send requests to (it serves sim-model, tuned-model); did you mean "tuned-model"?');
    // Named with a version's path, the config's setting it runs on is still said.
    expect((await lintProblems(dir, V)).problems.map((p) => p.field)).toEqual(['defaults.model']);
  });

  it('names server.models entries, an environment model and a pinned version the server does not serve', async () => {
    const dir = project((rc) => rc.replace(/^ {2}model: sim-model\n/m, '  model: sim-model\n  models: [sim-model, gone-model]\n').replace(/^ {2}- name: staging\n/m, '  - name: staging\n    model: staging-model\n'));
    writeProjectFile(dir, V, readProjectFile(dir, V).replace(/^model:\n/m, 'model:\n  model: pinned-model\n'));
    const r = await lintProblems(dir);
    expect(r.code, r.output).toBe(2);
    expect(r.problems.map((p) => `${p.file} ${p.field}`).sort()).toEqual([`${RC} environments.1.model`, `${RC} server.models.1`, `${V} model.model`]);
  });

  it('a misspelt server.model is an error at server.model (exit 2), not a stop at the preflight (exit 3)', async () => {
    const dir = project((rc) => rc.replace(/^ {2}model: sim-model\n/m, '  model: sim-modle\n'));
    const r = await lintProblems(dir);
    expect(r.code, r.output).toBe(2);
    expect(r.problems.map((p) => `${p.file} ${p.field}`)).toContain(`${RC} server.model`);
    expect(r.problems[0]!.message).toContain('did you mean "sim-model"?');
  });

  it('a misspelt server.model that defaults.model overrides stops nothing: nothing is sent to it', async () => {
    const dir = project((rc) => rc.replace(/^ {2}model: sim-model\n/m, '  model: sim-modle\n').replace(/^defaults:\n/m, 'defaults:\n  model: tuned-model\n'));
    const r = await lintProblems(dir);
    expect(r.code, r.output).toBe(0);
    expect(r.problems).toEqual([]);
  });

  it('every model served (defaults.model among them): no such problem', async () => {
    const dir = project((rc) => rc.replace(/^defaults:\n/m, 'defaults:\n  model: tuned-model\n'));
    const r = await lintProblems(dir);
    expect(r.code, r.output).toBe(0);
    expect(r.problems).toEqual([]);
  });
});

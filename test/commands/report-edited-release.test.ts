import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { makeSimProject, readProjectFile, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * A report reads the versions' files beside their stored runs (what each case asked, the messages):
 * a released version whose file was edited since is refused by every form of `report`, as by a
 * comparison (README "Rollback and edited files"). Before, a run's report and the latest
 * invocation's were written (exit 0) with the edited file shown beside the released content's answers.
 */
const sim = simulatorForFile();

describe('report of a released version edited since', () => {
  it('refuses the run, the invocation and the latest report (exit 2), writing nothing', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-report-edited-');
    const env = { PROMPTCTL_ACTOR: 'me@example.com' };
    const evaluated = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'golden', '--json'], { cwd, env });
    const run = JSON.parse(evaluated.stdout) as { runs: Array<{ run: { id: string; invocationId: string } }> };
    expect((await runCliInProcess(['deploy', 'support-answer@1.1.0', '--env', 'development'], { cwd, env })).code).toBe(0);
    const file = 'prompts/support-answer/1.1.0.yaml';
    writeProjectFile(cwd, file, readProjectFile(cwd, file).replace('within 30 days', 'within 60 days'));
    for (const args of [[run.runs[0]!.run.id], [run.runs[0]!.run.invocationId], []]) {
      const r = await runCliInProcess(['report', ...args, '-o', 'r.html'], { cwd, env });
      expect(r.code, r.output).toBe(2);
      expect(r.stderr).toContain('was edited after it was released');
    }
    expect(() => readProjectFile(cwd, 'r.html')).toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { runCi } from '../../src/app/index.js';
import { initRepo, newVersion } from '../support/ci-repo.js';
import { makeSimProject } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * A signal that stops ci after it planned and linted, as its eval starts, is ci's interruption
 * (verdict `interrupted`, the signal's exit code), as one during the eval is: not an error of the
 * pull request (`verdict: 'error'`), which its summary, JUnit and annotations would then claim.
 */
const sim = simulatorForFile();

describe('runCi and a signal', () => {
  it('stopped as its eval starts: interrupted with exit 143, the plan kept', async () => {
    const cwd = makeSimProject(sim.url);
    initRepo(cwd);
    await newVersion(cwd, 'a new version');
    const controller = new AbortController();
    const r = await runCi({ cwd, env: { PROMPTCTL_ACTOR: 'ci@example.com' }, base: 'main', signal: controller.signal, onEvaluation: (phase) => void (phase === 'start' && controller.abort('SIGTERM')) });
    expect(r).toMatchObject({ verdict: 'interrupted', exitCode: 143 });
    expect(r.plan.evaluate.map((e) => e.ref)).toEqual(['support-answer@1.2.0']);
  });
});

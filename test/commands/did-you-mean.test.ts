import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';

/** Issue 14 §5: an unknown environment, prompt id or version names the closest known one (exit 2 as before). */

afterAll(() => cleanupTempDirs());

const ACTOR = ['--actor', 'me@example.com', '--reason', 'r'];

describe('did you mean', () => {
  it.each([
    [['deploy', 'support-answer@1.0.0', '--env', 'prodution', ...ACTOR], 'did you mean "production"? environments in .promptrc.yaml: development, staging, production'],
    [['status', '--env', 'stagin'], 'did you mean "staging"?'],
    [['history', '--env', 'prod'], 'did you mean "production"?'],
    [['history', 'support-anwser'], 'did you mean "support-answer"? `promptctl list` shows the prompts'],
    [['rollback', 'suport-answer', '--env', 'staging', ...ACTOR], 'did you mean "support-answer"?'],
    [['rollback', 'support-answer', '--env', 'staging', '--to', '1.1.1', ...ACTOR], 'did you mean "1.1.0"?'],
  ])('promptctl %j', async (args, hint) => {
    const dir = makeProject();
    expect((await runCliInProcess(['registry', 'migrate'], { cwd: dir })).code).toBe(0);
    const r = await runCliInProcess(args, { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain(`hint: ${hint}`);
  });

  it('nothing close: the hint is as before', async () => {
    const r = await runCliInProcess(['status', '--env', 'qa'], { cwd: makeProject() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('hint: environments in .promptrc.yaml: development, staging, production');
  });
});

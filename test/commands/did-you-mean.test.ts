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
    // Prompt ids and versions read from the project's files.
    [['show', 'suport-answer'], 'did you mean "support-answer"? `promptctl list` shows the prompts; `promptctl new suport-answer` creates it.'],
    [['render', 'support-anwser@1.1.0'], 'did you mean "support-answer"? `promptctl list` shows the prompts'],
    [['eval', 'support-answer@1.1.9'], 'did you mean "1.1.0"? known versions: 1.1.0, 1.0.0.'],
    [['diff', 'support-answer', '1.0.0', '1.0.1'], 'did you mean "1.0.0"? known versions: 1.1.0, 1.0.0.'],
  ])('promptctl %j', async (args, hint) => {
    const dir = makeProject();
    expect((await runCliInProcess(['registry', 'migrate'], { cwd: dir })).code).toBe(0);
    const r = await runCliInProcess(args, { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain(`hint: ${hint}`);
  });

  it('a name that prints like a known one (a Cyrillic look-alike) is told apart by its code point', async () => {
    const dir = makeProject();
    const env = await runCliInProcess(['deploy', 'support-answer@1.0.0', '--env', 'developm\u0435nt', ...ACTOR, '--dry-run'], { cwd: dir });
    expect(env.code, env.output).toBe(2);
    expect(env.stderr).toContain('hint: did you mean "development"? ("developm\u0435nt" has U+0435 CYRILLIC SMALL LETTER IE, which looks like "e".)');
    const id = await runCliInProcess(['show', 'ech\u043e'], { cwd: dir });
    expect(id.code, id.output).toBe(2);
    expect(id.stderr).toContain('"ech\u043e" has U+043E CYRILLIC SMALL LETTER O, which looks like "o".');
  });

  it('nothing close: the hint is as before', async () => {
    const r = await runCliInProcess(['status', '--env', 'qa'], { cwd: makeProject() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('hint: environments in .promptrc.yaml: development, staging, production');
    const version = await runCliInProcess(['show', 'support-answer@9.9.9'], { cwd: makeProject() });
    expect(version.code).toBe(2);
    expect(version.stderr).toContain('hint: known versions: 1.1.0, 1.0.0.');
    const id = await runCliInProcess(['show', 'billing'], { cwd: makeProject() });
    expect(id.code).toBe(2);
    expect(id.stderr).toContain('hint: `promptctl list` shows the prompts; `promptctl new billing` creates it.');
  });
});

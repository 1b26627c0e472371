import { afterAll, describe, expect, it } from 'vitest';
import { cli, commitAll, git, initRepo } from '../support/ci-repo.js';
import { cleanupTempDirs, makeProject, readProjectFile, writeProjectFile } from '../support/project.js';

/**
 * Two branches each made support-answer@1.2.0 with other content; feat-a was merged into main, and
 * feat-b is checked out. eval, deploy and ci refuse feat-b's 1.2.0 (`version/number-taken`); lint
 * reports it in their words at the file, list and show say the number is taken on main instead of
 * "draft: edit it freely", and `new` passes over the numbers main holds. Before, lint passed, list
 * and show called it a free draft, and `new` handed out main's numbers.
 */

afterAll(() => cleanupTempDirs());

const ID = 'support-answer';
const FILE = `prompts/${ID}/1.2.0.yaml`;

function version(dir: string, text: string, v = '1.2.0'): string {
  return readProjectFile(dir, `prompts/${ID}/1.1.0.yaml`).replace('version: 1.1.0', `version: ${v}`).replace('within 30 days', text);
}

/** main with feat-a's 1.2.0 merged (and, with `more`, its 1.3.0); feat-b, left before, with its own 1.2.0. */
function branches(more = false): string {
  const dir = makeProject();
  initRepo(dir);
  git(dir, 'branch', 'feat-b');
  writeProjectFile(dir, FILE, version(dir, 'within 45 days'));
  if (more) writeProjectFile(dir, `prompts/${ID}/1.3.0.yaml`, version(dir, 'within 60 days', '1.3.0'));
  commitAll(dir, 'feat-a: 1.2.0 (#1)');
  git(dir, 'checkout', '-q', 'feat-b');
  writeProjectFile(dir, FILE, version(dir, 'within 90 days'));
  commitAll(dir, 'feat-b: 1.2.0');
  return dir;
}

describe('a draft whose number the default branch took', () => {
  it('lint reports version/number-taken at the file in the words eval and deploy refuse it with', async () => {
    const dir = branches();
    const lint = await cli(dir, 'lint');
    expect(lint.code, lint.output).toBe(2);
    const line = `${FILE}:1:1 error ${ID}@1.2.0 is already on main, with other content (merged there, not deployed yet): this branch adds a new version under a number that is taken; rename it to the next free number, ${ID}@1.3.0`;
    expect(lint.stdout).toContain(line);
    expect(lint.stdout).toContain('[version/number-taken]');
    const deploy = await cli(dir, 'deploy', `${ID}@1.2.0`, '--env', 'development', '--reason', 'try');
    expect(deploy.code, deploy.output).toBe(2);
    expect(deploy.stderr).toContain(`${ID}@1.2.0 is already on main, with other content (merged there, not deployed yet): this branch adds a new version under a number that is taken; rename it to the next free number, ${ID}@1.3.0`);
    // Only the file named: another file's lint says nothing of it.
    expect((await cli(dir, 'lint', `prompts/${ID}/1.1.0.yaml`)).code).toBe(0);
  });

  it('list and show say the number is taken on main, not "edit it freely"', async () => {
    const dir = branches();
    const list = await cli(dir, 'list');
    expect(list.stdout).toContain('1.2.0 draft (NUMBER TAKEN on main)');
    expect(list.code, list.output).toBe(2);
    const listed = JSON.parse((await cli(dir, 'list', '--json')).stdout) as { prompts: Array<{ id: string; takenOn?: unknown; states: Record<string, string> }> };
    const prompt = listed.prompts.find((p) => p.id === ID)!;
    expect(prompt.takenOn).toEqual({ base: 'main', versions: ['1.2.0'] });
    expect(prompt.states['1.2.0']).toBe('draft');
    const show = await cli(dir, 'show', `${ID}@1.2.0`);
    expect(show.code, show.output).toBe(0);
    expect(show.stdout).toContain('state:       draft (never deployed, but its number is taken on main)');
    expect(show.stdout).toContain(`TAKEN:       ${ID}@1.2.0 is already on main, with other content`);
    expect(show.stdout).not.toContain('edit it freely');
    // A draft main does not hold is free as before.
    expect((await cli(dir, 'show', `${ID}@1.1.0`)).stdout).not.toContain('TAKEN');
  });

  it('new passes over the numbers main holds, saying so', async () => {
    const dir = branches(true);
    git(dir, 'rm', '-q', FILE);
    commitAll(dir, 'feat-b: drop 1.2.0');
    const made = await cli(dir, 'new', ID, '--minor', '--description', 'b');
    expect(made.code, made.output).toBe(0);
    expect(made.stdout).toContain(`note: ${ID} 1.2.0, 1.3.0 are already on main with no file here (merged from another branch since this one left it): passed over`);
    expect(readProjectFile(dir, `prompts/${ID}/1.4.0.yaml`)).toContain('version: 1.4.0');
    const lint = await cli(dir, 'lint');
    expect(lint.code, lint.output).toBe(0);
  });
});

describe('on the default branch itself', () => {
  it('a version main holds is no taken number: lint, list and new as before', async () => {
    const dir = makeProject();
    initRepo(dir);
    writeProjectFile(dir, FILE, version(dir, 'within 45 days'));
    commitAll(dir, '1.2.0');
    expect((await cli(dir, 'lint')).code).toBe(0);
    expect((await cli(dir, 'list')).stdout).not.toContain('TAKEN');
    const made = await cli(dir, 'new', ID, '--minor', '--description', 'next');
    expect(made.code, made.output).toBe(0);
    expect(made.stdout).not.toContain('passed over');
    expect(readProjectFile(dir, `prompts/${ID}/1.3.0.yaml`)).toContain('version: 1.3.0');
  });
});

import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, commitAll, git, initRepo } from '../support/ci-repo.js';
import { cleanupTempDirs, makeProject, readProjectFile, writeProjectFile } from '../support/project.js';

/**
 * The hint every command gives for an edited released version is followed as printed: its steps,
 * in the order they appear, must keep the edit (in a new version) and leave the released file as it
 * was released. Restoring first would throw the edit away; copying the highest version would leave
 * it out when the edited version is not the highest.
 */

afterAll(() => cleanupTempDirs());

const ID = 'support-answer';
const FILE = `prompts/${ID}/1.0.0.yaml`;

/** The commands a hint names, in the order it names them. */
function steps(hint: string): string[][] {
  return [...hint.matchAll(/promptctl (new [^\s;)]+)|git (checkout -- [^\s;)]+)/g)].map((m) => (m[1] ? ['promptctl', ...m[1].split(' ')] : ['git', ...m[2]!.split(' ')]));
}

describe('the hint for a released version edited in the working tree', () => {
  it('is one hint for lint, status, show and deploy, and following it keeps the edit even when a higher version exists', async () => {
    const dir = makeProject();
    initRepo(dir);
    expect((await cli(dir, 'deploy', `${ID}@1.0.0`, '--env', 'development', '--reason', 'first')).code).toBe(0);
    // 1.1.0 is the highest version: the edit is to an older, released one.
    writeProjectFile(dir, FILE, readProjectFile(dir, FILE).replace('within 30 days', 'within 60 days'));

    const lint = await cli(dir, 'lint');
    expect(lint.code, lint.output).toBe(2);
    const hint = /\[?error[^\n]*?: (first keep[^\n]*?) \[version\/edited\]/.exec(lint.stdout)?.[1] ?? '';
    expect(hint).toContain('(copies the edited file to the next free version number, 1.0.1)');
    expect(hint, lint.stdout).not.toBe('');
    // eval refuses the edit at the position lint gives it: the changed field (core/version-state.ts editedAt).
    const at = /^(\S+:\d+:\d+) error (messages\.0\.content): /m.exec(lint.stdout);
    expect(at?.slice(1), lint.stdout).toEqual([`${FILE}:18:5`, 'messages.0.content']);
    const evaluated = await cli(dir, 'eval', `${ID}@1.0.0`);
    expect(evaluated.code, evaluated.output).toBe(2);
    expect(evaluated.stderr).toContain(`  ${at![1]} ${at![2]}: ${ID}@1.0.0 was edited after it was released`);
    expect((await cli(dir, 'status')).stdout).toContain(hint);
    expect((await cli(dir, 'show', `${ID}@1.0.0`)).stdout).toContain(hint);
    const refused = await cli(dir, 'deploy', `${ID}@1.0.0`, '--env', 'development', '--reason', 'again');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`hint: ${hint}`);

    const before = new Set(readdirSync(path.join(dir, 'prompts', ID)));
    for (const [tool, ...args] of steps(hint)) {
      if (tool === 'git') git(dir, ...args);
      else expect((await cli(dir, ...args)).code).toBe(0);
    }
    const made = readdirSync(path.join(dir, 'prompts', ID)).filter((f) => !before.has(f));
    expect(made).toEqual(['1.0.1.yaml']);
    expect(readProjectFile(dir, `prompts/${ID}/1.0.1.yaml`)).toContain('within 60 days');
    expect(readProjectFile(dir, FILE)).toContain('within 30 days');
    const clean = await cli(dir, 'lint');
    expect(clean.code, clean.output).toBe(0);
  });
});

describe('the hint when the next patch already has a file', () => {
  it('names the number new will pick, past the existing file, and new writes there (edited and committed content)', async () => {
    const dir = makeProject();
    initRepo(dir);
    expect((await cli(dir, 'deploy', `${ID}@1.0.0`, '--env', 'development', '--reason', 'first')).code).toBe(0);
    // 1.0.1 exists already: a later fix of the 1.0 line.
    writeProjectFile(dir, `prompts/${ID}/1.0.1.yaml`, readProjectFile(dir, FILE).replace('version: 1.0.0', 'version: 1.0.1'));
    commitAll(dir, '1.0.1');
    writeProjectFile(dir, FILE, readProjectFile(dir, FILE).replace('within 30 days', 'within 60 days'));

    const lint = await cli(dir, 'lint');
    expect(lint.code, lint.output).toBe(2);
    expect(lint.stdout).toContain(`first keep the change in a new version: promptctl new ${ID}@1.0.0 (copies the edited file to the next free version number, 1.0.2)`);
    const made = await cli(dir, 'new', `${ID}@1.0.0`);
    expect(made.code, made.output).toBe(0);
    expect(made.stdout).toContain(`note: prompts/${ID}/1.0.1.yaml already exists: passed over`);
    expect(readProjectFile(dir, `prompts/${ID}/1.0.2.yaml`)).toContain('within 60 days');

    // The same content committed: no edit to restore, and the number named is again the one new picks.
    git(dir, 'checkout', '-q', '--', FILE);
    writeProjectFile(dir, FILE, readProjectFile(dir, FILE).replace('within 30 days', 'within 90 days'));
    commitAll(dir, 'edit the released file');
    const again = await cli(dir, 'lint');
    expect(again.stdout).toContain(`move it to the next free number, 1.0.3: promptctl new ${ID}@1.0.0 copies it there`);
    expect((await cli(dir, 'new', `${ID}@1.0.0`)).code).toBe(0);
    expect(readProjectFile(dir, `prompts/${ID}/1.0.3.yaml`)).toContain('within 90 days');
  });
});

describe('a released version whose file differs because of the commit checked out', () => {
  it('names the checkout and the next free number (status, lint, deploy, eval), and does not offer a restore that changes nothing', async () => {
    const dir = makeProject();
    initRepo(dir);
    const v110 = readProjectFile(dir, `prompts/${ID}/1.1.0.yaml`);
    const draft = (text: string) => v110.replace('version: 1.1.0', 'version: 1.2.0').replace('within 30 days', text);
    const FILE_120 = `prompts/${ID}/1.2.0.yaml`;
    // Branch A's 1.2.0 is deployed; branch B, from main, has its own 1.2.0, committed.
    git(dir, 'checkout', '-q', '-b', 'feat-a');
    writeProjectFile(dir, FILE_120, draft('within 45 days'));
    commitAll(dir, 'a: 1.2.0');
    expect((await cli(dir, 'deploy', `${ID}@1.2.0`, '--env', 'development', '--reason', 'a')).code).toBe(0);
    git(dir, 'checkout', '-q', 'main');
    git(dir, 'checkout', '-q', '-b', 'feat-b');
    writeProjectFile(dir, FILE_120, draft('within 90 days'));
    commitAll(dir, 'b: 1.2.0');
    const at = git(dir, 'rev-parse', '--short=7', 'HEAD').trim();
    const checkout = `branch feat-b at ${at}`;

    const status = await cli(dir, 'status');
    const line = status.stdout.split('\n').find((l) => l.startsWith('edited: ')) ?? '';
    expect(line).toContain(`but ${FILE_120} in this checkout (${checkout}) holds other content (released sha256:`);
    expect(line).toContain(`${FILE_120} is as ${checkout} committed it, not an edit here, so git checkout -- ${FILE_120} would change nothing.`);
    expect(line).toContain(`move it to the next free number, 1.2.1: promptctl new ${ID}@1.2.0 copies it there`);
    expect(line).not.toMatch(/was edited since|restore .*git checkout -- /);

    const lint = await cli(dir, 'lint');
    expect(lint.code).toBe(2);
    expect(lint.stdout).toContain(`${ID}@1.2.0 in this checkout (${checkout}) holds other content than it was released with (deployed to development)`);
    expect(lint.stdout).toContain('the next free number, 1.2.1');
    const deploy = await cli(dir, 'deploy', `${ID}@1.2.0`, '--env', 'development', '--reason', 'b');
    expect(deploy.code).toBe(2);
    expect(deploy.stderr).toContain(`hint: ${FILE_120} is as ${checkout} committed it, not an edit here`);
    const evaluate = await cli(dir, 'eval', `${ID}@1.2.0`);
    expect(evaluate.code).toBe(2);
    expect(evaluate.stderr).toContain(`error: ${ID}@1.2.0 in this checkout (${checkout}) holds other content than it was released with (deployed to development)`);
    expect(evaluate.stderr).toContain(`hint: ${FILE_120} is as ${checkout} committed it, not an edit here`);
    // show, render and diff give the same hint, never the restore that changes nothing.
    const show = await cli(dir, 'show', `${ID}@1.2.0`);
    expect(show.stdout).toContain(`${FILE_120} is as ${checkout} committed it, not an edit here`);
    expect(show.stdout).not.toMatch(/restore .*git checkout -- /);
    const render = await cli(dir, 'render', `${ID}@1.2.0`, '--var', 'question=hi');
    expect(render.code, render.output).toBe(2);
    expect(render.stderr).toContain(`hint: ${FILE_120} is as ${checkout} committed it, not an edit here`);
    const diff = await cli(dir, 'diff', `${ID}@1.1.0`, `${ID}@1.2.0`);
    expect(diff.code, diff.output).toBe(2);
    expect(diff.stderr).toContain(`hint: ${FILE_120} is as ${checkout} committed it, not an edit here`);

    // The hint's first step gives the content the number it names.
    expect((await cli(dir, 'new', `${ID}@1.2.0`)).code).toBe(0);
    expect(readProjectFile(dir, `prompts/${ID}/1.2.1.yaml`)).toContain('within 90 days');

    // An edit on top of the checkout's content is an edit here again: the restore hint.
    writeProjectFile(dir, FILE_120, draft('within 99 days'));
    expect((await cli(dir, 'lint')).stdout).toContain(`then restore ${FILE_120}: git checkout -- ${FILE_120}`);
  });
});

import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RunResult } from '../support/cli.js';
import { readProjectFile, writeProjectFile } from '../support/project.js';
import { branchOf, ci, commitAll, failureText, git, ID, ciRepoForFile, newVersion, readJUnit, suiteNamed } from '../support/ci-repo.js';

/**
 * `promptctl ci` says how many files it linted once, and the text, the Markdown summary and the
 * JUnit `lint` suite agree: the config counts when it changed, a deleted version file counts (it is
 * checked for being deployed) and is cited without a line, since it has none.
 */

const repo = ciRepoForFile();


/** The one count, read from all three outputs; returns the JUnit case names. */
function expectLintCount(dir: string, r: RunResult, n: number): string[] {
  expect(r.stdout).toMatch(new RegExp(`^lint: \\d+ errors?, \\d+ warnings? in ${n} ${n === 1 ? 'file' : 'files'} `, 'm'));
  const counts = [...readProjectFile(dir, 's.md').matchAll(/(\d+) files? \(changed/g)].map((m) => Number(m[1]));
  expect(counts).toEqual([n]);
  const lint = suiteNamed(readJUnit(dir), 'lint');
  expect(lint.testcase).toHaveLength(n);
  return lint.testcase.map((c) => c.name);
}

const touchConfig = (dir: string) => writeProjectFile(dir, '.promptrc.yaml', `${readProjectFile(dir, '.promptrc.yaml')}\n# reviewed\n`);

describe('one count of linted files', () => {
  it('a new version and a changed config: the config is counted and listed', async () => {
    const dir = branchOf(repo.base, 'count-config-and-version');
    await newVersion(dir, 'Same answers as 1.1.0.');
    touchConfig(dir);
    const r = await ci(dir);
    expect(r.code, r.output).toBe(0);
    const names = expectLintCount(dir, r, 4);
    expect(names.sort()).toEqual(['.promptrc.yaml', `evalsets/${ID}/adversarial.yaml`, `evalsets/${ID}/golden.yaml`, `prompts/${ID}/1.2.0.yaml`]);
  });

  it('only the config changed: 1 file, not 0', async () => {
    const dir = branchOf(repo.base, 'count-config-only');
    touchConfig(dir);
    const r = await ci(dir);
    expect(r.code, r.output).toBe(0);
    expect(expectLintCount(dir, r, 1)).toEqual(['.promptrc.yaml']);
    expect(readProjectFile(dir, 's.md')).toContain('No problems in 1 file (changed).');
  });

  it('a deleted deployed version: the file, cited as deleted, with no line, and the suites of its prompt', async () => {
    const dir = branchOf(repo.base, 'count-deleted');
    const file = `prompts/${ID}/1.1.0.yaml`;
    rmSync(path.join(dir, file));
    const r = await ci(dir);
    expect(r.code, r.output).toBe(2);
    // A prompt that lost a version has its suites linted too (a range may now match nothing).
    const suites = readdirSync(path.join(dir, 'evalsets', ID)).map((n) => `evalsets/${ID}/${n}`);
    expect(expectLintCount(dir, r, 1 + suites.length).sort()).toEqual([file, ...suites].sort());
    expect(r.stdout).toContain(`${file} (deleted) error: ${ID}@1.1.0 is active in staging, production but its file was deleted`);
    expect(r.stdout).toMatch(new RegExp(`lint: 1 error, 0 warnings in ${1 + suites.length} files \\(changed, 1 of them deleted`));
    expect(r.stdout).not.toContain(`${file}:`);
    const summary = readProjectFile(dir, 's.md');
    expect(summary).toMatch(/- ❌ prompts\/support-answer\/1\.1\.0\.yaml \(deleted\) error: /);
    expect(summary).not.toContain(`${file}:`);
    const failure = failureText(suiteNamed(readJUnit(dir), 'lint').testcase.find((c) => c.name === file)!);
    expect(failure).toContain(`${file} (deleted): `);
    expect(failure).not.toContain(`${file}:`);
  });

  it('a prompt renamed (folder and id): every deleted file the count includes is said deleted, suites too', async () => {
    const dir = branchOf(repo.base, 'count-renamed');
    git(dir, 'mv', `prompts/${ID}`, 'prompts/support-bot');
    git(dir, 'mv', `evalsets/${ID}`, 'evalsets/support-bot');
    for (const f of readdirSync(path.join(dir, 'prompts/support-bot'))) writeProjectFile(dir, `prompts/support-bot/${f}`, readProjectFile(dir, `prompts/support-bot/${f}`).replace(`id: ${ID}`, 'id: support-bot'));
    for (const f of readdirSync(path.join(dir, 'evalsets/support-bot'))) writeProjectFile(dir, `evalsets/support-bot/${f}`, readProjectFile(dir, `evalsets/support-bot/${f}`).replace(`prompt: ${ID}`, 'prompt: support-bot'));
    commitAll(dir, 'rename');
    const r = await ci(dir);
    expect(r.code, r.output).toBe(2);
    const names = expectLintCount(dir, r, 8);
    const gone = names.filter((n) => n.includes(`/${ID}/`));
    expect(gone).toHaveLength(4);
    // The deployed 1.1.0 and both suites it was tested on are errors; 1.0.0 (never deployed) is clean.
    expect(r.stdout.match(/^\S+ \(deleted\) error:/gm)).toHaveLength(3);
    expect(r.stdout).toMatch(/^lint: 3 errors, 0 warnings in 8 files \(changed, 4 of them deleted\)$/m);
    expect(readProjectFile(dir, 's.md')).toMatch(/8 files \(changed, 4 of them deleted\)/);
  });
});

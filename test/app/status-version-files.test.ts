import { rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deploy, status } from '../../src/app/index.js';
import { runCliInProcess } from '../support/cli.js';
import { commitAll, git, initRepo } from '../support/ci-repo.js';
import { makeProject, readProjectFile, writeProjectFile } from '../support/project.js';

/**
 * The release manager's `status` says when an environment serves a version whose file this
 * checkout edited after release or deleted: the environment still serves what was released, but
 * deploy and promote of it from here refuse, and the project can no longer rebuild it from git.
 */

const env = { PROMPTCTL_ACTOR: 'rm@example.com' };
const ID = 'support-answer';
const FILE = `prompts/${ID}/1.0.0.yaml`;

describe('status and version files the registry does not hold yet', () => {
  it('lists them among the versions as drafts, file only, in version order, by the loader\'s rule for a version\'s file name', async () => {
    const cwd = makeProject();
    expect((await deploy({ cwd, env, ref: `${ID}@1.0.0`, environment: 'development', reason: 'first' })).exitCode).toBe(0);
    writeProjectFile(cwd, `prompts/${ID}/1.10.0.yaml`, readProjectFile(cwd, `prompts/${ID}/1.1.0.yaml`).replace('version: 1.1.0', 'version: 1.10.0'));
    // Names the loader reads no version from (lint reports them), and a twin of a version: no more versions.
    for (const name of ['notes.yaml', 'v1.4.0.yaml', '1.3.0+b1.yaml', '1.1.0.yml']) writeProjectFile(cwd, `prompts/${ID}/${name}`, 'x: 1\n');
    const versions = (await status({ cwd, env })).versions;
    expect(versions).toEqual([
      { promptId: ID, version: '1.0.0', state: 'released' },
      { promptId: ID, version: '1.1.0', state: 'draft', fileOnly: true },
      { promptId: ID, version: '1.10.0', state: 'draft', fileOnly: true },
    ]);
    const text = await runCliInProcess(['status'], { cwd, env });
    expect(text.stdout).toMatch(new RegExp(`^${ID}\\s+1\\.0\\.0 released, 1\\.1\\.0 draft \\(file only\\), 1\\.10\\.0 draft \\(file only\\)$`, 'm'));
  });
});

describe('status and the files of deployed versions', () => {
  it('names a served version whose file was edited after release, once for every environment serving it', async () => {
    // Outside git: the released content comes back from the registry, not from git.
    const cwd = makeProject();
    const config = readProjectFile(cwd, '.promptrc.yaml');
    writeProjectFile(cwd, '.promptrc.yaml', config.replace('  - name: staging\n', '  - name: qa\n    gates:\n      requires_tested: false\n  - name: staging\n'));
    for (const environment of ['development', 'qa']) expect((await deploy({ cwd, env, ref: `${ID}@1.0.0`, environment, reason: 'first' })).exitCode).toBe(0);
    expect((await status({ cwd, env })).rows.filter((r) => r.versionFile)).toEqual([]);

    writeProjectFile(cwd, FILE, readProjectFile(cwd, FILE).replace(/^description: .*$/m, 'description: edited after release'));
    const rows = (await status({ cwd, env })).rows.filter((r) => r.versionFile);
    expect(rows.map((r) => `${r.env} ${r.versionFile?.state} ${r.versionFile?.file}`)).toEqual([`development edited ${FILE}`, `qa edited ${FILE}`]);
    const text = await runCliInProcess(['status'], { cwd, env });
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n').filter((l) => l.startsWith('edited: '));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^edited: ${ID}@1\\.0\\.0 in development, qa serves the content it was released with, but ${FILE.replace(/\./g, '\\.')} was edited since \\(released sha256:[0-9a-f]{12}…, now sha256:[0-9a-f]{12}…\\): deploy and promote of it refuse; first keep the change in a new version: promptctl new ${ID}@1\\.0\\.0 .*; then restore ${FILE.replace(/\./g, '\\.')}, which git has no copy of: \`promptctl show ${ID}@1\\.0\\.0 --released\` prints the content it was released with as a version file; save that as ${FILE.replace(/\./g, '\\.')}$`,
      ),
    );
  });

  it('names a served version whose file git knows as deleted, and not one this checkout never had', async () => {
    const cwd = makeProject();
    initRepo(cwd);
    expect((await deploy({ cwd, env, ref: `${ID}@1.0.0`, environment: 'development', reason: 'first' })).exitCode).toBe(0);
    // Another repository sharing the registry deployed a prompt this checkout has no folder for.
    writeProjectFile(cwd, 'prompts/other-team/1.0.0.yaml', readProjectFile(cwd, FILE).replace(`id: ${ID}`, 'id: other-team'));
    expect((await deploy({ cwd, env, ref: 'other-team@1.0.0', environment: 'development', reason: 'theirs' })).exitCode).toBe(0);
    rmSync(path.join(cwd, 'prompts/other-team'), { recursive: true });
    git(cwd, 'rm', '-q', FILE);
    commitAll(cwd, 'drop 1.0.0');

    const rows = (await status({ cwd, env })).rows.filter((r) => r.versionFile);
    expect(rows.map((r) => `${r.promptId} ${r.env} ${JSON.stringify(r.versionFile)}`)).toEqual([`${ID} development ${JSON.stringify({ state: 'deleted', file: FILE, how: 'committed' })}`]);
    const text = await runCliInProcess(['status'], { cwd, env });
    // Deleted by a commit: not in HEAD, so `git checkout -- <file>` would fail; deploy's words for it.
    expect(text.stdout).toContain(
      `deleted: ${ID}@1.0.0 in development serves the content it was released with, but ${FILE} was deleted in this checkout: every deployed version must be rebuildable from git; restore it (\`git log --all -- ${FILE}\` finds the commit that deleted it; \`git checkout <commit>^ -- ${FILE}\` brings it back)`,
    );
  });

  it('names a served version whose whole prompt folder was renamed, as lint does, and lists its versions', async () => {
    const cwd = makeProject();
    initRepo(cwd);
    for (const environment of ['development', 'qa']) {
      if (environment === 'qa') writeProjectFile(cwd, '.promptrc.yaml', readProjectFile(cwd, '.promptrc.yaml').replace('  - name: staging\n', '  - name: qa\n    gates:\n      requires_tested: false\n  - name: staging\n'));
      expect((await deploy({ cwd, env, ref: `${ID}@1.1.0`, environment, reason: 'first' })).exitCode).toBe(0);
    }
    git(cwd, 'mv', `prompts/${ID}`, 'prompts/help-answer');
    git(cwd, 'mv', `evalsets/${ID}`, 'evalsets/help-answer');
    for (const v of ['1.0.0', '1.1.0']) writeProjectFile(cwd, `prompts/help-answer/${v}.yaml`, readProjectFile(cwd, `prompts/help-answer/${v}.yaml`).replace(`id: ${ID}`, 'id: help-answer'));
    for (const s of ['golden', 'adversarial']) writeProjectFile(cwd, `evalsets/help-answer/${s}.yaml`, readProjectFile(cwd, `evalsets/help-answer/${s}.yaml`).replace(`prompt: ${ID}`, 'prompt: help-answer'));
    commitAll(cwd, 'rename support-answer to help-answer');

    const file = `prompts/${ID}/1.1.0.yaml`;
    const result = await status({ cwd, env });
    const rows = result.rows.filter((r) => r.versionFile);
    expect(rows.map((r) => `${r.promptId} ${r.env} ${JSON.stringify(r.versionFile)}`)).toEqual(
      ['development', 'qa'].map((e) => `${ID} ${e} ${JSON.stringify({ state: 'deleted', file, how: 'committed' })}`),
    );
    expect(result.versions.filter((v) => v.promptId === ID)).toEqual([{ promptId: ID, version: '1.1.0', state: 'released' }]);
    const text = await runCliInProcess(['status'], { cwd, env });
    expect(text.stdout).toContain(`deleted: ${ID}@1.1.0 in development, qa serves the content it was released with, but ${file} was deleted in this checkout`);
    expect(text.stdout).toMatch(new RegExp(`^${ID}\\s+1\\.1\\.0 released$`, 'm'));
    // One rule with lint: the same version, file and environments.
    const lint = await runCliInProcess(['lint'], { cwd, env });
    expect(lint.output).toContain(`${file} error ${ID}@1.1.0 is active in development, qa but its file was deleted`);
  });

  it('names the restore that works for how the file was deleted: from the working tree, staged, or by a commit', async () => {
    const cwd = makeProject();
    initRepo(cwd);
    expect((await deploy({ cwd, env, ref: `${ID}@1.0.0`, environment: 'development', reason: 'first' })).exitCode).toBe(0);
    const restore = async () => /restore it \((.*)\)$/m.exec((await runCliInProcess(['status'], { cwd, env })).stdout)?.[1];
    rmSync(path.join(cwd, FILE));
    expect(await restore()).toBe(`git checkout -- ${FILE}`);
    git(cwd, 'rm', '-q', '--cached', FILE);
    expect(await restore()).toBe(`git checkout HEAD -- ${FILE}`);
    commitAll(cwd, 'drop 1.0.0');
    expect(await restore()).toMatch(/git checkout <commit>\^ -- /);
  });
});

import { mkdirSync, renameSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, commitAll, git, initRepo } from '../support/ci-repo.js';
import { cleanupTempDirs, makeSimProject, readProjectFile, relaxLatencyGate, withRegistry, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * In a git project a version is released once it is on the base branch (PRODUCT.md), deployed or
 * not, and then immutable. ci refused an edit of one (`version/edited`); from a terminal on main,
 * eval registered the edited content and deploy released it, content no commit holds, after which
 * the clean checkout failed lint. eval and deploy now refuse the edit as ci does.
 */

afterAll(() => cleanupTempDirs());
const sim = simulatorForFile();
const ID = 'support-answer';
const FILE = `prompts/${ID}/1.0.0.yaml`;
const runs = (dir: string) => withRegistry(dir, (db) => (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n);

describe('a version on the default branch, edited in the working tree', () => {
  it('eval and deploy refuse it as ci does, recording nothing; a comment is no edit; restored, it evaluates', async () => {
    const dir = makeSimProject(sim.url, {}, 'promptctl-released-on-base-');
    relaxLatencyGate(dir);
    initRepo(dir);
    const committed = readProjectFile(dir, FILE);
    writeProjectFile(dir, FILE, committed.replace('one short sentence', 'one wee sentence'));
    expect(readProjectFile(dir, FILE)).not.toBe(committed);

    const evaluated = await cli(dir, 'eval', `${ID}@1.0.0`, '--suite', 'golden');
    expect(evaluated.code, evaluated.output).toBe(2);
    expect(evaluated.stderr).toContain(`error: ${ID}@1.0.0 was edited after it was released (it is on main)`);
    expect(evaluated.stderr).toMatch(new RegExp(`${FILE}:\\d+:\\d+ messages\\.0\\.content: ${ID}@1\\.0\\.0 was edited after it was released \\(it is on main\\): versions are immutable; .*\\[version/edited\\]`));
    expect(evaluated.stderr).toContain(`git checkout main -- ${FILE}`);
    const deployed = await cli(dir, 'deploy', `${ID}@1.0.0`, '--env', 'development', '--reason', 'try');
    expect(deployed.code, deployed.output).toBe(2);
    expect(deployed.stderr).toContain('was edited after it was released (it is on main)');
    expect(runs(dir)).toBe(0);
    expect((await cli(dir, 'history', ID)).stdout).not.toContain('1.0.0');
    // lint, read-only, says it too, at the same place (the whole project, or the file named).
    for (const args of [[], [FILE], [`prompts/${ID}/1.1.0.yaml`]]) {
      const linted = await cli(dir, 'lint', ...args);
      if (args[0]?.includes('1.1.0')) {
        expect(linted.code, linted.output).toBe(0);
        continue;
      }
      expect(linted.code, linted.output).toBe(2);
      expect(linted.stdout).toMatch(new RegExp(`${FILE}:\\d+:\\d+ .*${ID}@1\\.0\\.0 was edited after it was released \\(it is on main\\).*version/edited`));
    }

    // ci says the same of the same tree.
    git(dir, 'checkout', '-q', '-b', 'edit');
    commitAll(dir, 'edit 1.0.0');
    const ci = await cli(dir, 'ci', '--base', 'main');
    expect(ci.code, ci.output).toBe(2);
    expect(ci.output).toContain(`${ID}@1.0.0 was edited after it was released (it is on main)`);

    // A comment changes no content (the registry's rule): evaluated as it is.
    git(dir, 'checkout', '-q', 'main');
    writeProjectFile(dir, FILE, `# reviewed\n${committed}`);
    const commented = await cli(dir, 'eval', `${ID}@1.0.0`, '--suite', 'golden');
    expect(commented.code, commented.output).toBe(0);
  });

  it('reads the base as ci does: through a link, under either extension, once per file; a deployed version keeps the registry\'s words', async () => {
    const dir = makeSimProject(sim.url, {}, 'promptctl-released-on-base-ways-');
    relaxLatencyGate(dir);
    // 1.0.0 as a link into a shared folder, committed so on main: unedited, it evaluates.
    mkdirSync(path.join(dir, 'shared'));
    renameSync(path.join(dir, FILE), path.join(dir, 'shared/1.0.0.yaml'));
    symlinkSync('../../shared/1.0.0.yaml', path.join(dir, FILE));
    initRepo(dir);
    expect((await cli(dir, 'eval', `${ID}@1.0.0`, '--suite', 'golden')).code).toBe(0);
    // Edited through its link (git names the target's change): lint still says it, at the version's file.
    const shared = readProjectFile(dir, 'shared/1.0.0.yaml');
    writeProjectFile(dir, 'shared/1.0.0.yaml', shared.replace('one short sentence', 'one wee sentence'));
    const throughLink = await cli(dir, 'lint');
    expect(throughLink.code, throughLink.output).toBe(2);
    expect(throughLink.stdout).toMatch(new RegExp(`${FILE}:\\d+:\\d+ .*was edited after it was released \\(it is on main\\)`));
    writeProjectFile(dir, 'shared/1.0.0.yaml', shared);

    // 1.1.0 renamed to .yml and edited: still the version main holds, refused once however many models run it.
    const yml = `prompts/${ID}/1.1.0.yml`;
    git(dir, 'mv', `prompts/${ID}/1.1.0.yaml`, yml);
    writeProjectFile(dir, yml, readProjectFile(dir, yml).replace('one short sentence', 'one wee sentence'));
    const renamed = await cli(dir, 'eval', `${ID}@1.1.0`, '--suite', 'golden', '--model', 'sim-model', '--model', 'sim-model-b');
    expect(renamed.code, renamed.output).toBe(2);
    expect(renamed.stderr).toContain(`error: ${ID}@1.1.0 was edited after it was released (it is on main)`);
    expect(renamed.stderr.match(/\[version\/edited\]/g)).toHaveLength(1);

    // Main takes the rename: a new version evaluated beside the .yml one main holds is a draft.
    git(dir, 'checkout', '-q', '--', '.');
    commitAll(dir, '1.1.0 as .yml');
    expect((await cli(dir, 'new', ID)).code).toBe(0);
    const both = await cli(dir, 'eval', `${ID}@1.1.0`, `${ID}@1.1.1`, '--suite', 'golden');
    expect(both.code, both.output).toBe(0);

    // Deployed, then edited: the registry's refusal, naming where it runs, as before.
    expect((await cli(dir, 'eval', `${ID}@1.1.0`)).code).toBe(0);
    expect((await cli(dir, 'deploy', `${ID}@1.1.0`, '--env', 'development')).code).toBe(0);
    writeProjectFile(dir, yml, readProjectFile(dir, yml).replace('one short sentence', 'one wee sentence'));
    const deployedEdit = await cli(dir, 'eval', `${ID}@1.1.0`, '--suite', 'golden');
    expect(deployedEdit.code, deployedEdit.output).toBe(2);
    expect(deployedEdit.stderr).toContain('(deployed to development)');
    // lint says it once, in the registry's words.
    const linted = await cli(dir, 'lint', yml);
    expect(linted.code, linted.output).toBe(2);
    expect(linted.stdout.match(/\[?version\/edited/g), linted.stdout).toHaveLength(1);
    expect(linted.stdout).toContain('deployed to development');
  });

  it('restores from the commit the checkout left the default branch at when main deleted the version since', async () => {
    const dir = makeSimProject(sim.url, {}, 'promptctl-released-on-base-deleted-');
    relaxLatencyGate(dir);
    initRepo(dir);
    const left = git(dir, 'rev-parse', 'HEAD').trim();
    git(dir, 'checkout', '-q', '-b', 'edit');
    // main moves on without 1.0.0 (never deployed, so nothing runs it).
    git(dir, 'checkout', '-q', 'main');
    git(dir, 'rm', '-q', FILE);
    commitAll(dir, 'drop 1.0.0');
    git(dir, 'checkout', '-q', 'edit');
    const committed = readProjectFile(dir, FILE);
    writeProjectFile(dir, FILE, committed.replace('one short sentence', 'one wee sentence'));

    const restore = `git checkout ${left.slice(0, 12)} -- ${FILE}`;
    const evaluated = await cli(dir, 'eval', `${ID}@1.0.0`, '--suite', 'golden');
    expect(evaluated.code, evaluated.output).toBe(2);
    expect(evaluated.stderr).toContain(restore);
    expect(evaluated.stderr).not.toContain(`git checkout main -- ${FILE}`);
    const linted = await cli(dir, 'lint', FILE);
    expect(linted.code, linted.output).toBe(2);
    expect(linted.stdout).toContain(restore);
    commitAll(dir, 'edit 1.0.0');
    const ci = await cli(dir, 'ci', '--base', 'main');
    expect(ci.code, ci.output).toBe(2);
    expect(ci.output).toContain(restore);

    // The restore given works: the released content comes back and evaluates.
    git(dir, ...restore.split(' ').slice(1));
    expect(readProjectFile(dir, FILE)).toBe(committed);
    const again = await cli(dir, 'eval', `${ID}@1.0.0`, '--suite', 'golden');
    expect(again.code, again.output).toBe(0);
  });
});

describe('show, list and status say a version the default branch holds is released, as lint and eval hold it', () => {
  it('released (on main) deployed or not; an edit of it is EDITED and list exits 2 with lint\'s error; a version only on a branch is a draft', async () => {
    const dir = makeSimProject(sim.url, {}, 'promptctl-released-on-base-shown-');
    initRepo(dir);
    const committed = readProjectFile(dir, FILE);
    // Unedited on main: released, although never deployed (before: "draft (never deployed: edit it freely)").
    const clean = await cli(dir, 'show', `${ID}@1.0.0`);
    expect(clean.code, clean.output).toBe(0);
    expect(clean.stdout).toContain('state:       released (on main: immutable)');
    expect(clean.stdout).not.toContain('EDITED');
    const listed = await cli(dir, 'list');
    expect(listed.code, listed.output).toBe(0);
    expect(listed.stdout).toContain('(2 versions: 1.1.0 released, 1.0.0 released)');

    // Edited on main: lint's and eval's version/edited, and show and list say so.
    writeProjectFile(dir, FILE, committed.replace(/^description: .*$/m, 'description: "tweaked on main"'));
    const lint = await cli(dir, 'lint');
    expect(lint.code, lint.output).toBe(2);
    const edited = await cli(dir, 'show', `${ID}@1.0.0`, '--json');
    expect(JSON.parse(edited.stdout)).toMatchObject({ state: 'released', editedSinceRegistered: true, releasedOnBase: { base: 'main' } });
    const shown = await cli(dir, 'show', `${ID}@1.0.0`);
    expect(shown.stdout).toContain(`EDITED:      ${ID}@1.0.0 was edited after it was released (it is on main): versions are immutable; first keep the change in a new version: promptctl new ${ID}@1.0.0`);
    const list = await cli(dir, 'list');
    expect(list.code, list.output).toBe(2);
    expect(list.stdout).toContain('1.1.0 released, 1.0.0 released (EDITED after release)');
    expect(list.stdout).toMatch(new RegExp(`${FILE}:4:1 description: ${ID}@1\\.0\\.0 was edited after it was released \\(it is on main\\).*\\[version/edited\\]`));
    const json = JSON.parse((await cli(dir, 'list', '--json')).stdout);
    expect(json.prompts[0]).toMatchObject({ edited: ['1.0.0'], states: { '1.0.0': 'released', '1.1.0': 'released' } });
    writeProjectFile(dir, FILE, committed);

    // A new version on a branch is not on main: a draft everywhere.
    git(dir, 'checkout', '-q', '-b', 'feature');
    expect((await cli(dir, 'new', ID, '--author', 'a@example.com')).code).toBe(0);
    commitAll(dir, 'new version');
    expect((await cli(dir, 'show', `${ID}@1.1.1`)).stdout).toContain('state:       draft (never deployed: edit it freely)');
    expect((await cli(dir, 'list')).stdout).toContain('1.1.1 draft, 1.1.0 released, 1.0.0 released');
    // status, once a registry exists, lists them the same way.
    expect((await cli(dir, 'eval', `${ID}@1.1.1`, '--suite', 'golden')).code).toBe(0);
    const status = await cli(dir, 'status');
    expect(status.stdout).toContain('VERSIONS (draft until first deployed or on the base branch)');
    expect(status.stdout).toMatch(new RegExp(`^${ID}\\s+1\\.0\\.0 released \\(on main\\), 1\\.1\\.0 released \\(on main\\), 1\\.1\\.1 draft$`, 'm'));

    // This branch deletes a registered version main holds: show says what status says (before: "draft … edit it freely").
    expect((await cli(dir, 'eval', `${ID}@1.0.0`, '--suite', 'golden')).code).toBe(0);
    git(dir, 'rm', '-q', FILE);
    const gone = await cli(dir, 'show', `${ID}@1.0.0`);
    expect(gone.code, gone.output).toBe(0);
    expect(gone.stdout).toContain('state:       released (on main: immutable)');
    expect(gone.stdout).toContain(`DELETED:     ${ID}@1.0.0 is registered but its file ${FILE} was deleted`);
    expect(JSON.parse((await cli(dir, 'show', `${ID}@1.0.0`, '--json')).stdout)).toMatchObject({ state: 'released', editedSinceRegistered: false, releasedOnBase: { base: 'main' }, fileDeleted: { file: FILE } });
    expect((await cli(dir, 'status')).stdout).toMatch(new RegExp(`^${ID}\\s+1\\.0\\.0 released \\(on main\\), `, 'm'));
  });
});

describe('a version on the default branch, never deployed, that fails its suites', () => {
  it('deploy sends the fix to a new version, not to its file (lint refuses an edit of it)', async () => {
    const dir = makeSimProject(sim.url, {}, 'promptctl-released-on-base-');
    relaxLatencyGate(dir);
    writeProjectFile(dir, `evalsets/${ID}/strict.yaml`, `prompt: ${ID}\nversions: ">=1.0.0"\nkind: golden\nthreshold: 1\ncases:\n  - id: never\n    vars: { question: "How long do I have to ask for a refund?" }\n    expect:\n      - contains: "no model says this"\n`);
    initRepo(dir);
    expect((await cli(dir, 'eval', `${ID}@1.1.0`)).code).toBe(1);
    const refused = await cli(dir, 'deploy', `${ID}@1.1.0`, '--env', 'staging', '--reason', 'try');
    expect(refused.code, refused.output).toBe(1);
    expect(refused.output).toContain(`fix the prompt in a new version (\`promptctl new ${ID}\`)`);
    expect(refused.output).not.toContain('a draft until its first deploy');
  });
});

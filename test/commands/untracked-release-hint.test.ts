import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, commitAll, initRepo } from '../support/ci-repo.js';
import { cleanupTempDirs, makeProject, readProjectFile, writeProjectFile } from '../support/project.js';

/**
 * A deployed version git has no copy of (an uncommitted draft deployed to development, or any
 * version of a project outside git) is restored from the registry, as the hint says: `git checkout
 * -- <file>` fails there ("did not match any file known to git"), and a deleted file has no commit
 * to come back from. `show <ref> --released` prints the released content as a version file.
 */

afterAll(() => cleanupTempDirs());

const ID = 'support-answer';
const REF = `${ID}@1.2.0`;
const FILE = `prompts/${ID}/1.2.0.yaml`;
const RESTORE = `\`promptctl show ${REF} --released\` prints the content it was released with as a version file; save that as ${FILE}`;

/** The quickstart with 1.2.0 made by `new` (never committed) and deployed to development; in git or not. */
async function deployedUntracked(inGit: boolean): Promise<string> {
  const dir = makeProject();
  if (inGit) initRepo(dir);
  expect((await cli(dir, 'new', ID, '--minor', '--description', 'shorter')).code).toBe(0);
  const deployed = await cli(dir, 'deploy', REF, '--env', 'development', '--reason', 'try');
  expect(deployed.code, deployed.output).toBe(0);
  return dir;
}

/** `promptctl show <ref> --released > <file>`: the shell empties the file before promptctl reads the project. */
async function saveReleased(dir: string): Promise<void> {
  writeFileSync(path.join(dir, FILE), '');
  const released = await cli(dir, 'show', REF, '--released');
  expect(released.code, released.output).toBe(0);
  writeFileSync(path.join(dir, FILE), released.stdout);
}

describe('an edited released version that git has no copy of', () => {
  it.each([
    ['an uncommitted draft deployed in a git checkout', true],
    ['a version of a project outside git', false],
  ])('%s: lint, show, eval and deploy name the registry copy, and following the hint restores it', async (_name, inGit) => {
    const dir = await deployedUntracked(inGit);
    writeProjectFile(dir, FILE, readProjectFile(dir, FILE).replace('within 30 days', 'within 45 days'));

    const lint = await cli(dir, 'lint');
    expect(lint.code, lint.output).toBe(2);
    const hint = `first keep the change in a new version: promptctl new ${REF} (copies the edited file to the next free version number, 1.2.1); then restore ${FILE}, which git has no copy of: ${RESTORE}`;
    expect(lint.stdout).toContain(hint);
    expect(lint.output).not.toContain('git checkout');
    expect((await cli(dir, 'show', REF)).stdout).toContain(hint);
    const evaluated = await cli(dir, 'eval', REF);
    expect(evaluated.code, evaluated.output).toBe(2);
    expect(evaluated.stderr).toContain(`hint: ${hint}`);
    const deploy = await cli(dir, 'deploy', REF, '--env', 'development', '--reason', 'again');
    expect(deploy.code, deploy.output).toBe(2);
    expect(deploy.stderr).toContain(`hint: ${hint}`);

    expect((await cli(dir, 'new', REF)).code).toBe(0);
    await saveReleased(dir);
    expect(readProjectFile(dir, `prompts/${ID}/1.2.1.yaml`)).toContain('within 45 days');
    expect(readProjectFile(dir, FILE)).toContain('within 30 days');
    const clean = await cli(dir, 'lint');
    expect(clean.code, clean.output).toBe(0);
  });
});

describe('a deployed version whose file git never had is gone', () => {
  it('render names the registry copy, not a commit that never existed, and the saved file renders again', async () => {
    const dir = await deployedUntracked(true);
    rmSync(path.join(dir, FILE));
    const refused = await cli(dir, 'render', REF, '--var', 'question=x');
    expect(refused.code, refused.output).toBe(2);
    expect(refused.stderr).toContain(`restore the file (git has no copy of it: ${RESTORE}), then run this again`);
    expect(refused.output).not.toContain('git log');
    expect((await cli(dir, 'show', REF)).stdout).toContain(`restore the file (git has no copy of it: ${RESTORE})`);

    await saveReleased(dir);
    expect(existsSync(path.join(dir, FILE))).toBe(true);
    const rendered = await cli(dir, 'render', REF, '--var', 'question=x');
    expect(rendered.code, rendered.output).toBe(0);
  });
});

describe('show --released', () => {
  it('refuses a version that was never deployed (exit 2)', async () => {
    const dir = makeProject();
    const shown = await cli(dir, 'show', `${ID}@1.1.0`, '--released');
    expect(shown.code, shown.output).toBe(2);
    expect(shown.stderr).toContain(`${ID}@1.1.0 was never deployed, so the registry holds no released content for it`);
  });
});

describe('the other commands that name the restore of a gone deployed version file', () => {
  it('compare --no-eval, missing runs of it, says to save the registry copy before the eval (no commit ever deleted it)', async () => {
    const dir = await deployedUntracked(true);
    rmSync(path.join(dir, FILE));
    const compared = await cli(dir, 'compare', `${ID}@1.1.0`, REF, '--no-eval');
    expect(compared.code, compared.output).toBe(2);
    expect(compared.stderr.replace(/\s+/g, ' ')).toContain(`restore ${FILE} first (git has no copy of it: ${RESTORE}), then run promptctl eval ${REF}`);
    expect(compared.output).not.toContain('git log');
  });

  /** 1.2.0 (never committed) deployed to development, then 1.3.0 over it: a rollback returns to 1.2.0. */
  async function rolledOver(): Promise<string> {
    const dir = await deployedUntracked(true);
    expect((await cli(dir, 'new', ID, '--minor', '--description', 'shorter still')).code).toBe(0);
    const deployed = await cli(dir, 'deploy', `${ID}@1.3.0`, '--env', 'development', '--reason', 'next');
    expect(deployed.code, deployed.output).toBe(0);
    return dir;
  }

  it('rollback onto it, from a subfolder, names the registry copy and the file from that folder', async () => {
    const dir = await rolledOver();
    rmSync(path.join(dir, FILE));
    const r = await cli(path.join(dir, 'evalsets'), 'rollback', ID, '--env', 'development', '--reason', 'back');
    expect(r.code, r.output).toBe(0);
    const here = `../${FILE}`;
    expect(r.output).toContain(`Restore the file, so the deployed version stays rebuildable: git has no copy of it: \`promptctl show ${REF} --released\` prints the content it was released with as a version file; save that as ${here}.`);
    expect(r.output).not.toContain('git log');
  });

  it('rollback onto a version git deleted, from a subfolder, names the git restore that works from there', async () => {
    const dir = await rolledOver();
    commitAll(dir, 'the drafts');
    rmSync(path.join(dir, FILE));
    const dry = await cli(path.join(dir, 'prompts'), 'rollback', ID, '--env', 'development', '--dry-run');
    expect(dry.code, dry.output).toBe(0);
    expect(dry.output).toContain(`has no file in this project (${FILE}): its registered content is what runs. Restore the file from git, so the deployed version stays rebuildable: git checkout -- ${ID}/1.2.0.yaml.`);
  });
});

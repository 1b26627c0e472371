import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, git, initRepo, repoCopy } from '../support/ci-repo.js';
import { cleanupTempDirs, makeProject, readProjectFile, writeProjectFile } from '../support/project.js';

/**
 * What ci calls an edit of a version on the base branch is what lint and deploy call one: a change
 * of its content (the data the registry hashes), refused in the words every command uses. A comment
 * or formatting change is linted, not refused.
 */

afterAll(() => cleanupTempDirs());

const FILE = 'prompts/support-answer/1.1.0.yaml';

/** The example project on main, HEAD on a branch of its own: made once for the file, copied for each test. */
let template: string;
beforeAll(() => {
  template = makeProject();
  initRepo(template, 'base');
  git(template, 'checkout', '-q', '-b', 'feature');
});
const branch = () => repoCopy(template);

describe('ci and edits of versions on the base branch', () => {
  it('a comment added to a version file is no edit: exit 0, as lint', async () => {
    const dir = branch();
    writeProjectFile(dir, FILE, `# reviewed in March\n${readProjectFile(dir, FILE)}`);
    const r = await cli(dir, 'ci', '--base', 'main', '--json');
    expect(r.code, r.output).toBe(0);
    const out = JSON.parse(r.stdout) as { verdict: string; plan: { lintFiles: string[]; editedVersions: string[] } };
    expect(out.plan).toMatchObject({ lintFiles: [FILE], editedVersions: [] });
    expect((await cli(dir, 'lint')).code).toBe(0);
  });

  it('a comment added to .promptrc.yaml re-evaluates nothing; a changed setting re-evaluates every prompt', async () => {
    const dir = branch();
    const config = readProjectFile(dir, '.promptrc.yaml');
    writeProjectFile(dir, '.promptrc.yaml', `# owned by the platform team\n${config.replace(/\n/g, '\n\n')}`);
    const quiet = await cli(dir, 'ci', '--base', 'main', '--json');
    expect(quiet.code, quiet.output).toBe(0);
    expect((JSON.parse(quiet.stdout) as { plan: unknown }).plan).toMatchObject({ lintFiles: ['.promptrc.yaml'], evaluate: [], configChanged: false });
    writeProjectFile(dir, '.promptrc.yaml', config.replace(/^(\s*model:\s*)(\S+)$/m, '$1other-model'));
    const loud = await cli(dir, 'ci', '--base', 'main', '--json');
    expect((JSON.parse(loud.stdout) as { plan: { configChanged: boolean; evaluate: unknown[] } }).plan).toMatchObject({ configChanged: true, evaluate: expect.arrayContaining([expect.objectContaining({ why: '.promptrc.yaml changed' })]) });
  });

  it('a change of its content is exit 2 with the common words at the changed field, the fix named', async () => {
    const dir = branch();
    writeProjectFile(dir, FILE, readProjectFile(dir, FILE).replace('within 30 days', 'within 60 days'));
    const r = await cli(dir, 'ci', '--base', 'main');
    expect(r.code, r.output).toBe(2);
    // Where lint, eval and deploy locate an edit of a released version (core/version-state.ts editedAt): the system message.
    expect(r.stdout).toContain(
      `${FILE}:18:5 error messages.0.content: support-answer@1.1.0 was edited after it was released (it is on main): versions are immutable; first keep the change in a new version: promptctl new support-answer@1.1.0 (copies the edited file to the next free version number); then restore ${FILE}: git checkout main -- ${FILE} [version/edited]`,
    );
  });

  it('an edit through a rename to .yml is an edit: exit 2, the restore puts the old name back', async () => {
    const dir = branch();
    const yml = FILE.replace(/\.yaml$/, '.yml');
    git(dir, 'mv', FILE, yml);
    writeProjectFile(dir, yml, readProjectFile(dir, yml).replace(/^description: .*$/m, 'description: reworded'));
    const r = await cli(dir, 'ci', '--base', 'main');
    expect(r.code, r.output).toBe(2);
    expect(r.stdout).toContain(`${yml}:4:1 error description: support-answer@1.1.0 was edited after it was released (it is on main): versions are immutable; first keep the change in a new version: promptctl new support-answer@1.1.0 (copies the edited file to the next free version number); then restore ${yml}: git rm -q ${yml} && git checkout main -- ${FILE} [version/edited]`);
  });

  it('a rename to .yml with the same content is no edit, no deletion and no new version: exit 0', async () => {
    const dir = branch();
    const yml = FILE.replace(/\.yaml$/, '.yml');
    git(dir, 'mv', FILE, yml);
    const r = await cli(dir, 'ci', '--base', 'main', '--json');
    expect(r.code, r.output).toBe(0);
    const out = JSON.parse(r.stdout) as { plan: { evaluate: unknown[]; editedVersions: string[]; deletedVersions: string[]; renamed: unknown[] } };
    expect(out.plan).toMatchObject({ evaluate: [], editedVersions: [], deletedVersions: [], renamed: [{ from: FILE, file: yml }] });
  });
});

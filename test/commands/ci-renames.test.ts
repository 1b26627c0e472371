import { afterAll, describe, expect, it } from 'vitest';
import { cli, git, initRepo } from '../support/ci-repo.js';
import { cleanupTempDirs, makeProject, readProjectFile, writeProjectFile } from '../support/project.js';

/**
 * A file renamed by a pull request (`.yaml` → `.yml`) is what it was: a version is its id and
 * semver, a suite its prompt and name (its file's stem). ci judges a renamed suite as it judges a
 * renamed version: the same content changes nothing that runs, and nothing is deleted.
 */

afterAll(() => cleanupTempDirs());

const SUITE = 'evalsets/support-answer/golden.yaml';
const SUITE_YML = SUITE.replace(/\.yaml$/, '.yml');

function branch(): string {
  const dir = makeProject();
  initRepo(dir, 'base');
  git(dir, 'checkout', '-q', '-b', 'feature');
  return dir;
}

interface Plan {
  evaluate: Array<{ ref: string; why: string }>;
  renamed: Array<{ from: string; file: string; kind: string }>;
  deleted: unknown[];
  lintFiles: string[];
}

describe('ci and renamed suite files', () => {
  it('a suite renamed to .yml with the same content re-runs nothing and deletes nothing: exit 0, the rename listed', async () => {
    const dir = branch();
    git(dir, 'mv', SUITE, SUITE_YML);
    const r = await cli(dir, 'ci', '--base', 'main', '--json');
    expect(r.code, r.output).toBe(0);
    const plan = (JSON.parse(r.stdout) as { plan: Plan }).plan;
    expect(plan).toMatchObject({ evaluate: [], deleted: [], renamed: [{ from: SUITE, file: SUITE_YML, kind: 'suite' }], lintFiles: [SUITE_YML] });
  });

  it('a suite renamed and edited is a changed suite: the versions it covers are re-evaluated, nothing is deleted', async () => {
    const dir = branch();
    git(dir, 'mv', SUITE, SUITE_YML);
    writeProjectFile(dir, SUITE_YML, readProjectFile(dir, SUITE_YML).replace('threshold: 0.75', 'threshold: 0.8'));
    const r = await cli(dir, 'ci', '--base', 'main', '--json');
    const plan = (JSON.parse(r.stdout) as { plan: Plan }).plan;
    expect(plan.deleted).toEqual([]);
    expect(plan.renamed).toEqual([{ from: SUITE, file: SUITE_YML, kind: 'suite' }]);
    expect(plan.evaluate.map((e) => e.why)).toContain('suite golden changed');
  });
});

describe('ci shows what it judged as renamed', () => {
  it('a version renamed to .yml is named, with its kind, in the text and the Markdown summary, not only in --json', async () => {
    const dir = branch();
    const version = 'prompts/support-answer/1.1.0.yaml';
    const yml = version.replace(/\.yaml$/, '.yml');
    git(dir, 'mv', version, yml);
    git(dir, 'mv', SUITE, SUITE_YML);
    const r = await cli(dir, 'ci', '--base', 'main', '--summary', 's.md');
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toContain(`renamed version ${version} -> ${yml}`);
    expect(r.stdout).toContain(`renamed suite ${SUITE} -> ${SUITE_YML}`);
    expect(readProjectFile(dir, 's.md')).toContain(`### Renamed files\n\n- suite \`${SUITE}\` → \`${SUITE_YML}\`\n- version \`${version}\` → \`${yml}\``);
    const json = await cli(dir, 'ci', '--base', 'main', '--json');
    expect((JSON.parse(json.stdout) as { plan: Plan }).plan.renamed).toEqual([{ from: SUITE, file: SUITE_YML, kind: 'suite' }, { from: version, file: yml, kind: 'version' }]);
  });
});

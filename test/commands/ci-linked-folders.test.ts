import { appendFileSync, cpSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, commitAll, git, initRepo } from '../support/ci-repo.js';
import { QUICKSTART } from '../support/cli.js';
import { cleanupTempDirs, makeTempDir, readProjectFile, writeProjectFile } from '../support/project.js';

/**
 * A team keeps `prompts/` (or `evalsets/`) once, linked into each app's project. git reports and
 * stores a change under the link's target, so ci follows the link: before, it saw "nothing
 * changed" and passed a pull request that edited a released version (platforms hunt #1).
 */

afterAll(() => cleanupTempDirs());

const RELEASED = 'prompts/support-answer/1.1.0.yaml';

/** repo/app is the project; its prompts/ is a link to repo/shared/prompts; committed on main, then a branch. */
function linkedRepo(): { repo: string; app: string } {
  const repo = makeTempDir('promptctl-ci-linked-');
  const app = path.join(repo, 'app');
  cpSync(QUICKSTART, app, { recursive: true });
  mkdirSync(path.join(repo, 'shared'));
  renameSync(path.join(app, 'prompts'), path.join(repo, 'shared', 'prompts'));
  symlinkSync('../shared/prompts', path.join(app, 'prompts'));
  initRepo(repo, 'base');
  git(repo, 'checkout', '-q', '-b', 'pr');
  return { repo, app };
}

describe('ci through a symbolic link in the repository', () => {
  it('sees an edit of a released version made through the link (exit 2), and a comment-only edit as the same content', async () => {
    const { repo, app } = linkedRepo();
    writeProjectFile(app, RELEASED, `# reviewed\n${readProjectFile(app, RELEASED)}`);
    commitAll(repo, 'comment');
    const comment = await cli(app, 'ci', '--base', 'main', '--json');
    expect(comment.code, comment.output).toBe(0);
    expect(JSON.parse(comment.stdout).plan.lintFiles).toContain(RELEASED);

    writeProjectFile(app, RELEASED, readProjectFile(app, RELEASED).replace('within 30 days', 'within 90 days'));
    commitAll(repo, 'edit');
    const edited = await cli(app, 'ci', '--base', 'main', '--json');
    expect(edited.code, edited.output).toBe(2);
    expect(edited.stdout).toContain('edited after it was released');
  });

  it('refuses (exit 2) a layout folder linked outside the repository, naming it', async () => {
    const { repo, app } = linkedRepo();
    const outside = makeTempDir('promptctl-ci-outside-');
    renameSync(path.join(app, 'evalsets'), path.join(outside, 'evalsets'));
    symlinkSync(path.join(outside, 'evalsets'), path.join(app, 'evalsets'));
    commitAll(repo, 'evalsets elsewhere');
    const r = await cli(app, 'ci', '--base', 'main');
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain('evalsets leads through a symbolic link to');
    expect(r.stderr).toContain('outside the git repository');
  });

  const ROW = (id: string) => `${JSON.stringify({ id, vars: { question: 'What are your support hours?' }, expect: [{ icontains: '9am' }] })}\n`;
  const SUITE = (file: string, versions = '>=1.1.0') => `prompt: support-answer\nversions: "${versions}"\nkind: golden\nthreshold: 1\ncases_from:\n  file: ${file}\n`;
  const planOf = (stdout: string) => (JSON.parse(stdout) as { plan: { lintFiles: string[]; evaluate: Array<{ ref: string; why: string }> } }).plan;

  it('follows nothing, and refuses nothing, for a git-ignored data file linked outside the repository (a mount, a DVC cache)', async () => {
    const { repo, app } = linkedRepo();
    const outside = makeTempDir('promptctl-ci-data-outside-');
    writeFileSync(path.join(outside, 'big.jsonl'), ROW('a'));
    mkdirSync(path.join(app, 'data'));
    symlinkSync(path.join(outside, 'big.jsonl'), path.join(app, 'data', 'big.jsonl'));
    writeFileSync(path.join(app, '.gitignore'), '.promptctl/\ndata/\n');
    writeProjectFile(app, 'evalsets/support-answer/big.yaml', SUITE('data/big.jsonl'));
    commitAll(repo, 'a suite on outside data');
    writeProjectFile(app, 'evalsets/support-answer/big.yaml', SUITE('data/big.jsonl').replace('threshold: 1', 'threshold: 0.9'));
    const r = await cli(app, 'ci', '--base', 'main', '--json');
    expect(r.stderr).not.toContain('outside the git repository');
    expect(planOf(r.stdout).lintFiles).toContain('evalsets/support-answer/big.yaml');
  });

  it('refuses (exit 2) a committed data file linked outside the repository, in ci and lint, and never shows what it holds', async () => {
    const { repo, app } = linkedRepo();
    const outside = makeTempDir('promptctl-ci-data-stolen-');
    writeFileSync(path.join(outside, 'config.json'), ROW('SECRET-FROM-RUNNER'));
    mkdirSync(path.join(app, 'data'));
    symlinkSync(path.join(outside, 'config.json'), path.join(app, 'data', 'd.jsonl'));
    writeProjectFile(app, 'evalsets/support-answer/stolen.yaml', SUITE('data/d.jsonl'));
    commitAll(repo, 'a suite on a runner file');
    const out = makeTempDir('promptctl-ci-data-stolen-out-');
    const r = await cli(app, 'ci', '--base', 'main', '--summary', path.join(out, 's.md'), '--junit', path.join(out, 'j.xml'));
    expect(r.code, r.output).toBe(2);
    expect(r.stdout).toContain('evalsets/support-answer/stolen.yaml:6:3 error cases_from.file: cases_from file "data/d.jsonl" is a symbolic link to');
    expect(r.stdout).toContain('git does not ignore the link');
    const lint = await cli(app, 'lint');
    expect(lint.code, lint.output).toBe(2);
    expect(lint.stdout).toContain('outside the git repository');
    const written = [r.output, lint.output, readFileSync(path.join(out, 's.md'), 'utf8'), readFileSync(path.join(out, 'j.xml'), 'utf8')].join('\n');
    expect(written).not.toContain('SECRET-FROM-RUNNER');
  });

  it('a change to a data file another data file links to is a change under both names: both suites re-evaluate what they cover', async () => {
    const { repo, app } = linkedRepo();
    mkdirSync(path.join(app, 'data'));
    writeFileSync(path.join(app, 'data', 'golden-v3.jsonl'), ROW('a'));
    symlinkSync('golden-v3.jsonl', path.join(app, 'data', 'current.jsonl'));
    writeProjectFile(app, 'evalsets/support-answer/set-current.yaml', SUITE('data/current.jsonl'));
    writeProjectFile(app, 'evalsets/support-answer/set-golden-v3.yaml', SUITE('data/golden-v3.jsonl', '1.0.0'));
    commitAll(repo, 'two suites, one data file');
    appendFileSync(path.join(app, 'data', 'golden-v3.jsonl'), ROW('b'));
    commitAll(repo, 'a row');
    const r = await cli(app, 'ci', '--base', 'main', '--json');
    const plan = planOf(r.stdout);
    expect(plan.lintFiles).toEqual(expect.arrayContaining(['evalsets/support-answer/set-current.yaml', 'evalsets/support-answer/set-golden-v3.yaml']));
    expect(plan.evaluate).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ref: 'support-answer@1.1.0', why: 'suite set-current changed (its cases_from file data/current.jsonl)' }),
        expect.objectContaining({ ref: 'support-answer@1.0.0', why: 'suite set-golden-v3 changed (its cases_from file data/golden-v3.jsonl)' }),
      ]),
    );
  });

  it('sees an edit of a released version whose own file is a link into the repository (exit 2)', async () => {
    const repo = makeTempDir('promptctl-ci-linked-file-');
    const app = path.join(repo, 'app');
    cpSync(QUICKSTART, app, { recursive: true });
    mkdirSync(path.join(repo, 'shared'));
    renameSync(path.join(app, RELEASED), path.join(repo, 'shared', 'support-answer-1.1.0.yaml'));
    symlinkSync('../../../shared/support-answer-1.1.0.yaml', path.join(app, RELEASED));
    initRepo(repo, 'base');
    git(repo, 'checkout', '-q', '-b', 'pr');
    writeProjectFile(app, RELEASED, readProjectFile(app, RELEASED).replace('within 30 days', 'within 90 days'));
    commitAll(repo, 'edit through the file link');
    const r = await cli(app, 'ci', '--base', 'main');
    expect(r.code, r.output).toBe(2);
    expect(r.stdout).toContain('edited after it was released');
  });
});

import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, commitAll, git, initRepo } from '../support/ci-repo.js';
import { cleanupTempDirs, makeProject, makeTempDir, readProjectFile, writeProjectFile } from '../support/project.js';
import { runCliInProcess } from '../support/cli.js';

/** Issue 14 §5: on GitHub Actions, `ci` prints `::error file=…,line=…::` annotations for lint problems. */

afterAll(() => cleanupTempDirs());

function repoWithLintError(): string {
  const dir = makeProject();
  initRepo(dir, 'base');
  git(dir, 'checkout', '-q', '-b', 'feature');
  // threshold out of range: a schema error on a known line of the suite.
  const suite = readProjectFile(dir, 'evalsets/support-answer/golden.yaml').replace(/^threshold: .*$/m, 'threshold: 1.5');
  writeProjectFile(dir, 'evalsets/support-answer/golden.yaml', suite);
  return dir;
}

const env = (extra: Record<string, string | undefined>) => ({ PROMPTCTL_ACTOR: undefined, GITHUB_ACTOR: undefined, GITHUB_BASE_REF: undefined, GITHUB_STEP_SUMMARY: undefined, ...extra });

describe('ci on GitHub Actions', () => {
  it('annotates each lint error with its file and line, on stdout', async () => {
    const dir = repoWithLintError();
    const line = readProjectFile(dir, 'evalsets/support-answer/golden.yaml').split('\n').findIndex((l) => l.startsWith('threshold:')) + 1;
    const r = await runCliInProcess(['ci', '--base', 'main'], { cwd: dir, env: env({ GITHUB_ACTIONS: 'true' }) });
    expect(r.code, r.output).toBe(2);
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations.length).toBeGreaterThan(0);
    expect(annotations[0]).toMatch(new RegExp(`^::error file=evalsets/support-answer/golden\\.yaml,line=${line},col=\\d+,title=promptctl[^:]*::threshold: `));
  });

  it('a project in a sub-folder (spaces, non-ASCII): files are named from the repository root, or from GITHUB_WORKSPACE', async () => {
    const project = repoWithLintError();
    const repo = makeTempDir('promptctl-ci-mono-');
    const sub = path.join(repo, 'platform', 'prompt régistry');
    mkdirSync(path.dirname(sub), { recursive: true });
    cpSync(project, sub, { recursive: true });
    rmSync(path.join(sub, '.git'), { recursive: true, force: true });
    const golden = 'evalsets/support-answer/golden.yaml';
    writeProjectFile(sub, golden, git(project, 'show', `HEAD:${golden}`));
    initRepo(repo, 'base');
    git(repo, 'checkout', '-q', '-b', 'feature');
    writeProjectFile(sub, golden, readProjectFile(project, golden));
    const first = async (extra: Record<string, string>) => {
      const r = await runCliInProcess(['ci', '--base', 'main'], { cwd: sub, env: env({ GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: undefined, ...extra }) });
      expect(r.code, r.output).toBe(2);
      return r.stdout.split('\n').find((l) => l.startsWith('::'));
    };
    expect(await first({})).toMatch(/^::error file=platform\/prompt régistry\/evalsets\/support-answer\/golden\.yaml,line=/);
    expect(await first({ GITHUB_WORKSPACE: path.join(repo, 'platform') })).toMatch(/^::error file=prompt régistry\/evalsets\/support-answer\/golden\.yaml,line=/);
  });

  it('a project in a sub-folder whose .promptrc.yaml does not load: its annotation names the file from the repository root too', async () => {
    const repo = makeTempDir('promptctl-ci-mono-config-');
    const sub = path.join(repo, 'svc');
    cpSync(makeProject(), sub, { recursive: true });
    initRepo(repo, 'base');
    git(repo, 'checkout', '-q', '-b', 'feature');
    writeProjectFile(sub, '.promptrc.yaml', readProjectFile(sub, '.promptrc.yaml').replace(/concurrency: \d+/, 'concurrency: "many"'));
    commitAll(repo, 'break the config');
    for (const workspace of [undefined, repo]) {
      const r = await runCliInProcess(['ci', '--base', 'main'], { cwd: sub, env: env({ GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: workspace }) });
      expect(r.code, r.output).toBe(2);
      expect(r.stdout).toMatch(/^::error file=svc\/\.promptrc\.yaml,line=\d+,col=\d+,title=promptctl::server\.concurrency: /m);
    }
  });

  it('a new version no suite applies to fails ci (exit 1) with an error on its file, not without a word', async () => {
    const dir = makeProject();
    initRepo(dir, 'base');
    git(dir, 'checkout', '-q', '-b', 'new-prompt');
    writeProjectFile(dir, 'prompts/faq/1.0.0.yaml', readProjectFile(dir, 'prompts/support-answer/1.0.0.yaml').replace(/^id: support-answer$/m, 'id: faq'));
    commitAll(dir, 'faq 1.0.0');
    const r = await runCliInProcess(['ci', '--base', 'main'], { cwd: dir, env: env({ GITHUB_ACTIONS: 'true' }) });
    expect(r.code, r.output).toBe(1);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('::error'))).toEqual(['::error file=prompts/faq/1.0.0.yaml,title=promptctl ci%3A not evaluated::faq@1.0.0: no suite applies to this version, so it cannot be tested']);
  });

  it('prints none elsewhere, and none into --json', async () => {
    const dir = repoWithLintError();
    const plain = await cli(dir, 'ci', '--base', 'main');
    expect(plain.code).toBe(2);
    expect(plain.stdout).not.toMatch(/^::/m);
    const json = await runCliInProcess(['ci', '--base', 'main', '--json'], { cwd: dir, env: env({ GITHUB_ACTIONS: 'true' }) });
    expect(() => JSON.parse(json.stdout)).not.toThrow();
  });

  it('under --json, stdout stays one JSON document and the annotations go to stderr (the runner reads both)', async () => {
    const dir = repoWithLintError();
    const r = await runCliInProcess(['ci', '--base', 'main', '--json'], { cwd: dir, env: env({ GITHUB_ACTIONS: 'true' }) });
    expect(r.code, r.output).toBe(2);
    expect(JSON.parse(r.stdout).verdict).toBe('lint-failed');
    expect(r.stderr).toMatch(/^::error file=evalsets\/support-answer\/golden\.yaml,line=\d+,col=\d+,title=promptctl[^:]*::threshold: /m);
  });

  it('an error that stops ci (exit 2) keeps its result: --json has plan, lint, verdict and error in one object; text and annotations say it', async () => {
    const dir = makeProject();
    initRepo(dir, 'base');
    const json = await runCliInProcess(['ci', '--base', 'main', '--baseline', 'nowhere', '--json'], { cwd: dir, env: env({ GITHUB_ACTIONS: 'true' }) });
    expect(json.code, json.output).toBe(2);
    const data = JSON.parse(json.stdout);
    expect(data).toMatchObject({ verdict: 'error', exitCode: 2, baseline: 'nowhere', error: { error: 'BadInput', exitCode: 2, message: '--baseline nowhere is not an environment' } });
    expect(data.plan).toBeDefined();
    expect(data.lint).toBeDefined();
    expect(json.stderr).toMatch(/^::error title=promptctl ci::--baseline nowhere is not an environment$/m);
    // The error's text is on stderr under --json too, as for every failure.
    expect(json.stderr).toMatch(/^error: --baseline nowhere is not an environment\nhint: /m);
    const text = await runCliInProcess(['ci', '--base', 'main', '--baseline', 'nowhere'], { cwd: dir, env: env({ GITHUB_ACTIONS: 'true' }) });
    expect(text.code, text.output).toBe(2);
    expect(text.stdout).toMatch(/^base main, baseline nowhere$/m);
    expect(text.stdout).toMatch(/^::error title=promptctl ci::--baseline nowhere is not an environment$/m);
    expect(text.stderr).toMatch(/^error: --baseline nowhere is not an environment\nhint: /m);
  });

  it('--summary "$GITHUB_STEP_SUMMARY" appends the summary once, keeping what earlier steps wrote', async () => {
    const dir = makeProject();
    initRepo(dir, 'base');
    git(dir, 'checkout', '-q', '-b', 'docs');
    writeProjectFile(dir, 'NOTES.md', 'notes\n');
    commitAll(dir, 'notes');
    const step = path.join(dir, 'step_summary.md');
    writeFileSync(step, '# earlier step output\n');
    const r = await runCliInProcess(['ci', '--base', 'main', '--summary', step], { cwd: dir, env: env({ GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: step }) });
    expect(r.code, r.output).toBe(0);
    const headings = readFileSync(step, 'utf8').split('\n').filter((l) => l.startsWith('#'));
    expect(headings).toEqual(['# earlier step output', '## ✅ promptctl ci: no prompt, eval set or config changed']);
  });
  it('a pull request cannot forge workflow commands or terminal escapes through a YAML key or a CSV header: every line is promptctl\'s own', async () => {
    const dir = makeProject();
    initRepo(dir, 'base');
    git(dir, 'checkout', '-q', '-b', 'feature');
    const forged = 'icontains\\n::error file=README.md,line=1::PWNED\\n::stop-commands::tok';
    writeProjectFile(dir, 'evalsets/support-answer/g3.yaml', `prompt: support-answer\nversions: ">=1.0.0"\nkind: golden\nthreshold: 0.75\ncases:\n  - id: a\n    vars: { question: q }\n    expect:\n      - "${forged}": "x"\n`);
    writeProjectFile(dir, 'data/e.csv', '"q\n::add-mask::VLLM\n\u001b]0;TITLE\u0007\u001b[2J",x\nfoo,bar\n');
    writeProjectFile(dir, 'evalsets/support-answer/g4.yaml', 'prompt: support-answer\nversions: ">=1.0.0"\nkind: golden\nthreshold: 0.75\ncases_from:\n  file: data/e.csv\n  expect: [{ icontains: "30 days" }]\n');
    commitAll(dir, 'hostile');
    const r = await runCliInProcess(['ci', '--base', 'main'], { cwd: dir, env: env({ GITHUB_ACTIONS: 'true' }) });
    expect(r.code, r.output).toBe(2);
    expect(r.output).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    const commands = r.output.split('\n').filter((l) => l.trimStart().startsWith('::'));
    expect(commands.map((l) => l.slice(0, l.indexOf(','))).sort()).toEqual(['::error file=evalsets/support-answer/g3.yaml', '::error file=evalsets/support-answer/g4.yaml']);
    expect(r.stdout).toContain('cases.0.expect.0.icontains\\n::error file=README.md,line=1::PWNED\\n::stop-commands::tok: unknown key');
    expect(r.stdout).toContain('its columns: q\\n::add-mask::VLLM\\n\\e]0;TITLE\\x07\\e[2J, x');
  });
});

import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeTempDir } from '../support/project.js';

/**
 * `init` in a folder that already holds a project. The README's tools example is copied into a
 * sub-folder of the user's project (`cp -r node_modules/promptctl/examples/tools my-prompts`, then
 * `promptctl init --blank my-prompts`): that folder has its own config, so it is a project already,
 * not one that would take the place of the project above. Before, init refused it (exit 2, "is
 * inside the project"). And a kept project with no version yet was told to lint and eval, which
 * eval refuses (exit 2, "no prompt versions yet"): its next step starts with `new`, as --blank's does.
 */

afterAll(() => cleanupTempDirs());

const next = (stdout: string): string => stdout.trim().split('\n').at(-1)!;

describe('init in a folder that already holds a project', () => {
  it('a copied example with its own config, inside the user project, gets its .gitignore and lints', async () => {
    const dir = makeTempDir();
    expect((await runCliInProcess(['init'], { cwd: dir })).code).toBe(0);
    cpSync(path.join(REPO_ROOT, 'examples/tools'), path.join(dir, 'my-prompts'), { recursive: true, filter: (src) => path.basename(src) !== '.gitignore' });
    const r = await runCliInProcess(['init', '--blank', 'my-prompts'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toContain('kept    .promptrc.yaml');
    expect(r.stdout).toContain('created .gitignore');
    expect(readFileSync(path.join(dir, 'my-prompts/.gitignore'), 'utf8')).toContain('.promptctl/');
    expect(next(r.stdout)).toMatch(/^next: cd my-prompts, then promptctl lint, then /);
    expect((await runCliInProcess(['lint'], { cwd: path.join(dir, 'my-prompts') })).code).toBe(0);
    // A folder with no config of its own inside a project is still refused.
    const bare = await runCliInProcess(['init', 'other'], { cwd: dir });
    expect(bare.code, bare.output).toBe(2);
    expect(existsSync(path.join(dir, 'other'))).toBe(false);
  });

  it('a kept project without a version is told to make one first, as --blank is', async () => {
    const dir = makeTempDir();
    expect((await runCliInProcess(['init', '--blank'], { cwd: dir })).code).toBe(0);
    // Asking for the example in it copies nothing (a warning says so): there is still nothing to eval.
    const again = await runCliInProcess(['init'], { cwd: dir });
    expect(again.code, again.output).toBe(0);
    expect(next(again.stdout)).toMatch(/^next: promptctl new <prompt-id> \(its first version, 1\.0\.0\), then promptctl lint, then /);
    // prompts/ holding files of the user's own, but no version: the same.
    const own = makeTempDir();
    mkdirSync(path.join(own, 'prompts/notes'), { recursive: true });
    writeFileSync(path.join(own, 'prompts/notes/README.md'), 'ours\n');
    expect(next((await runCliInProcess(['init'], { cwd: own })).stdout)).toMatch(/^next: promptctl new <prompt-id>/);
    // Once it has a version, lint and eval come first.
    expect((await runCliInProcess(['new', 'faq', '--author', 'me@example.com'], { cwd: dir })).code).toBe(0);
    expect(next((await runCliInProcess(['init', '--blank'], { cwd: dir })).stdout)).toMatch(/^next: promptctl lint, then /);
  });
});

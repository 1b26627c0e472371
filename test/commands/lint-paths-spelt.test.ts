import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, makeTempDir } from '../support/project.js';

/**
 * A path named on the command line may be spelt through a link (a shell's logical $PWD inside a
 * linked folder, macOS /tmp → /private/tmp) or in another letter case (macOS, Windows; a link
 * stands in for it here), while the project root is the process's physical folder. lint and
 * `redteam generate --out` compare real paths; a path that selects no project file is exit 2.
 * Before, lint said "outside the project" or checked 0 files and passed (platforms hunt #4).
 */

afterAll(() => cleanupTempDirs());

const VERSION = 'prompts/support-answer/1.1.0.yaml';

/** <tmp>/real/proj is the project (a broken template in 1.1.0); <tmp>/proj links to it. */
function linkedProject(): { real: string; logical: string } {
  const top = makeTempDir('promptctl-lint-spelt-');
  mkdirSync(path.join(top, 'real'));
  const real = makeProject();
  const moved = path.join(top, 'real', 'proj');
  symlinkSync(real, moved);
  const logical = path.join(top, 'proj');
  symlinkSync(moved, logical);
  const file = path.join(real, VERSION);
  writeFileSync(file, readFileSync(file, 'utf8').replace('{{question}}', '{{questoin}}'));
  return { real, logical };
}

describe('lint and redteam --out name project files however the path is spelt', () => {
  const { real, logical } = linkedProject();

  it.each([
    ['through the link to the project', path.join(logical, VERSION)],
    ['in another letter case', 'Prompts/support-answer/1.1.0.yaml'],
  ])('lint of a file %s checks it (exit 2 on its error)', async (_how, named) => {
    if (!existsSync(path.join(real, 'Prompts'))) symlinkSync('prompts', path.join(real, 'Prompts'));
    const r = await runCliInProcess(['lint', named], { cwd: real });
    expect(r.code, r.output).toBe(2);
    expect(r.stdout).toContain(`${VERSION}:`);
    expect(r.stdout).toContain('questoin');
    expect(r.output).not.toContain('outside the project');
  });

  it('a path in the project that selects no prompt version, suite or data file is exit 2 naming it', async () => {
    writeFileSync(path.join(real, 'README.md'), '# notes\n');
    const r = await runCliInProcess(['lint', 'README.md', 'prompts'], { cwd: real });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain('no prompt version, suite or data file in: README.md');
    expect(r.stderr).not.toContain('prompts,');
  });

  it('the config is a project file: lint .promptrc.yaml checks it (here the version error is not in it: exit 0)', async () => {
    const r = await runCliInProcess(['lint', '.promptrc.yaml'], { cwd: real });
    expect(r.code, r.output).toBe(0);
    expect(r.output).not.toContain('no prompt version, suite or data file');
  });

  it('redteam generate --out through the link writes the data file inside the project', async () => {
    const r = await runCliInProcess(['redteam', 'generate', 'support-answer@1.0.0', '--out', path.join(logical, 'data/attacks.jsonl'), '--name', 'attacks'], { cwd: real });
    expect(r.code, r.output).toBe(0);
    expect(existsSync(path.join(real, 'data/attacks.jsonl'))).toBe(true);
    expect(readFileSync(path.join(real, 'evalsets/support-answer/attacks.yaml'), 'utf8')).toContain('file: data/attacks.jsonl');
  });
});

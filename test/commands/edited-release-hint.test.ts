import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, git, initRepo } from '../support/ci-repo.js';
import { cleanupTempDirs, makeProject, readProjectFile, writeProjectFile } from '../support/project.js';

/**
 * The hint every command gives for an edited released version is followed as printed: its steps,
 * in the order they appear, must keep the edit (in a new version) and leave the released file as it
 * was released. Restoring first would throw the edit away; copying the highest version would leave
 * it out when the edited version is not the highest.
 */

afterAll(() => cleanupTempDirs());

const ID = 'support-answer';
const FILE = `prompts/${ID}/1.0.0.yaml`;

/** The commands a hint names, in the order it names them. */
function steps(hint: string): string[][] {
  return [...hint.matchAll(/promptctl (new [^\s;)]+)|git (checkout -- [^\s;)]+)/g)].map((m) => (m[1] ? ['promptctl', ...m[1].split(' ')] : ['git', ...m[2]!.split(' ')]));
}

describe('the hint for a released version edited in the working tree', () => {
  it('is one hint for lint, status, show and deploy, and following it keeps the edit even when a higher version exists', async () => {
    const dir = makeProject();
    initRepo(dir);
    expect((await cli(dir, 'deploy', `${ID}@1.0.0`, '--env', 'development', '--reason', 'first')).code).toBe(0);
    // 1.1.0 is the highest version: the edit is to an older, released one.
    writeProjectFile(dir, FILE, readProjectFile(dir, FILE).replace('within 30 days', 'within 60 days'));

    const lint = await cli(dir, 'lint');
    expect(lint.code, lint.output).toBe(2);
    const hint = /\[?error[^\n]*?: (first keep[^\n]*?|restore[^\n]*?) \[version\/edited\]/.exec(lint.stdout)?.[1] ?? '';
    expect(hint, lint.stdout).not.toBe('');
    expect((await cli(dir, 'status')).stdout).toContain(hint);
    expect((await cli(dir, 'show', `${ID}@1.0.0`)).stdout).toContain(hint);
    const refused = await cli(dir, 'deploy', `${ID}@1.0.0`, '--env', 'development', '--reason', 'again');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`hint: ${hint}`);

    const before = new Set(readdirSync(path.join(dir, 'prompts', ID)));
    for (const [tool, ...args] of steps(hint)) {
      if (tool === 'git') git(dir, ...args);
      else expect((await cli(dir, ...args)).code).toBe(0);
    }
    const made = readdirSync(path.join(dir, 'prompts', ID)).filter((f) => !before.has(f));
    expect(made).toEqual(['1.0.1.yaml']);
    expect(readProjectFile(dir, `prompts/${ID}/1.0.1.yaml`)).toContain('within 60 days');
    expect(readProjectFile(dir, FILE)).toContain('within 30 days');
    const clean = await cli(dir, 'lint');
    expect(clean.code, clean.output).toBe(0);
  });
});

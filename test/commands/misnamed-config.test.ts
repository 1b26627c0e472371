import { existsSync, mkdirSync, renameSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';

/**
 * The config is read only as .promptrc.yaml. A .promptrc.yml (the extension prompt and suite files
 * may use) was not read: a command in that folder said "no .promptrc.yaml found" and offered
 * `init`, which wrote a second config beside it; inside another project, the search went on above
 * to that project and its registry; beside a .promptrc.yaml, it lay ignored. Each is now refused.
 */

afterAll(() => cleanupTempDirs());

describe('a .promptrc.yml', () => {
  it('alone: refused, naming the rename; init does not write a second config beside it', async () => {
    const dir = makeProject();
    renameSync(path.join(dir, '.promptrc.yaml'), path.join(dir, '.promptrc.yml'));
    const status = await runCliInProcess(['status'], { cwd: dir });
    expect(status.code, status.output).toBe(2);
    expect(status.stderr).toContain(`error: found .promptrc.yml in ${dir}: promptctl reads its config only as .promptrc.yaml`);
    expect(status.stderr).toContain(`hint: rename it: mv ${path.join(dir, '.promptrc.yml')} ${path.join(dir, '.promptrc.yaml')}`);
    const init = await runCliInProcess(['init', '.'], { cwd: dir });
    expect(init.code, init.output).toBe(2);
    expect(existsSync(path.join(dir, '.promptrc.yaml'))).toBe(false);
  });

  it('beside a .promptrc.yaml: refused, not ignored', async () => {
    const dir = makeProject();
    copyFileSync(path.join(dir, '.promptrc.yaml'), path.join(dir, '.promptrc.yml'));
    const lint = await runCliInProcess(['lint'], { cwd: dir });
    expect(lint.code, lint.output).toBe(2);
    expect(lint.stderr).toContain(`error: ${dir} holds both .promptrc.yaml and .promptrc.yml: promptctl reads only .promptrc.yaml`);
  });

  it('in a project inside another: refused, not run against the project above', async () => {
    const outer = makeProject();
    const inner = path.join(outer, 'team');
    mkdirSync(inner);
    copyFileSync(path.join(outer, '.promptrc.yaml'), path.join(inner, '.promptrc.yml'));
    const r = await runCliInProcess(['list'], { cwd: inner });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain(`found .promptrc.yml in ${inner}`);
  });
});

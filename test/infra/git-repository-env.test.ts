import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { fileAtBaseByName } from '../../src/infra/base-file.js';
import { git, ignoredPaths } from '../../src/infra/git.js';
import { cleanupTempDirs, makeTempDir } from '../support/project.js';

/**
 * promptctl's git questions are about the repository holding the folder it was given: GIT_DIR,
 * GIT_WORK_TREE, GIT_INDEX_FILE, ... in this process's environment (set for the repository a git
 * hook runs in) used to send them to that other repository.
 */

const saved = { GIT_DIR: process.env.GIT_DIR, GIT_WORK_TREE: process.env.GIT_WORK_TREE, GIT_CONFIG_COUNT: process.env.GIT_CONFIG_COUNT, GIT_CONFIG_KEY_0: process.env.GIT_CONFIG_KEY_0, GIT_CONFIG_VALUE_0: process.env.GIT_CONFIG_VALUE_0 };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});
afterAll(() => cleanupTempDirs());

/** A repository with one commit holding `file`, made with no GIT_* of this process. */
function repo(file: string, subject: string): string {
  const dir = makeTempDir('promptctl-git-env-');
  const env = { ...process.env, GIT_DIR: undefined, GIT_WORK_TREE: undefined, GIT_INDEX_FILE: undefined } as NodeJS.ProcessEnv;
  const run = (...args: string[]) => execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'user.email=dev@example.com', '-c', 'user.name=Dev', ...args], { cwd: dir, env, stdio: 'ignore' });
  run('init', '-q', '-b', 'main');
  writeFileSync(path.join(dir, file), 'x\n');
  writeFileSync(path.join(dir, '.gitignore'), `ignored-in-${subject}\n`);
  run('add', '-A');
  run('commit', '-q', '-m', subject);
  return dir;
}

describe('git works on the repository of the folder given, whatever GIT_* this process has', () => {
  it("answers from cwd's repository while GIT_DIR and GIT_WORK_TREE name another", () => {
    const mine = repo('mine.yaml', 'mine');
    const other = repo('other.yaml', 'other');
    Object.assign(process.env, { GIT_DIR: path.join(other, '.git'), GIT_WORK_TREE: other });
    expect({
      subject: git(mine, ['log', '-1', '--format=%s']).trim(),
      held: [fileAtBaseByName(mine, mine, 'HEAD', 'mine.yaml'), fileAtBaseByName(mine, mine, 'HEAD', 'other.yaml')],
      ignored: [...(ignoredPaths(mine, ['ignored-in-mine', 'ignored-in-other']) ?? [])],
    }).toEqual({ subject: 'mine', held: [{ present: true, text: 'x\n' }, { present: false }], ignored: ['ignored-in-mine'] });
  });

  it('keeps configuration given through the environment (GIT_CONFIG_COUNT), as git does: how a container job sets safe.directory', () => {
    const mine = repo('mine.yaml', 'mine');
    Object.assign(process.env, { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'promptctl.probe', GIT_CONFIG_VALUE_0: 'seen' });
    expect(git(mine, ['config', '--get', 'promptctl.probe']).trim()).toBe('seen');
  });
});

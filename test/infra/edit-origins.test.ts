import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { editOrigins, headStates } from '../../src/infra/edit-origins.js';
import { cleanupTempDirs, makeTempDir } from '../support/project.js';

/**
 * `headStates`: git status names paths from the repository's top folder, the project names them
 * from its root. A project in a sub-folder of its repository (a monorepo's `prompts-service/`) must
 * still tell an uncommitted edit from what the checked-out commit holds.
 */

afterAll(() => cleanupTempDirs());

const COMMITTED = 'prompts/a/1.0.0.yaml';
const EDITED = 'prompts/a/1.1.0.yaml';
const STAGED = 'prompts/b/1.0.0.yaml';
const UNTRACKED = 'prompts/b/2.0.0.yaml';

/** A repository whose project lives at `sub` ('' for the top folder): three files committed, then one edited, one staged, one added untracked. */
function repoWithProjectAt(sub: string): string {
  const top = makeTempDir('promptctl-edit-origins-');
  const env = { ...process.env, GIT_DIR: undefined, GIT_WORK_TREE: undefined, GIT_INDEX_FILE: undefined } as NodeJS.ProcessEnv;
  const run = (...args: string[]) => execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'user.email=dev@example.com', '-c', 'user.name=Dev', ...args], { cwd: top, env, stdio: 'ignore' });
  const write = (file: string, text: string) => {
    const at = path.join(top, sub, file);
    mkdirSync(path.dirname(at), { recursive: true });
    writeFileSync(at, text);
  };
  run('init', '-q', '-b', 'main');
  for (const f of [COMMITTED, EDITED, STAGED]) write(f, 'as committed\n');
  run('add', '-A');
  run('commit', '-q', '-m', 'base');
  write(EDITED, 'edited here\n');
  write(STAGED, 'staged here\n');
  run('add', path.posix.join(sub || '.', STAGED));
  write(UNTRACKED, 'new\n');
  return path.join(top, sub);
}

describe('an edit in the working tree and the checkout\'s own content', () => {
  it.each([
    ['a project at the top of its repository', ''],
    ['a project in a sub-folder of its repository', 'services/prompts-service'],
  ])('%s', (_, sub) => {
    const root = repoWithProjectAt(sub);
    const head = headStates(root, [COMMITTED, EDITED, STAGED, UNTRACKED]);
    expect(head?.checkout).toMatch(/^branch main at [0-9a-f]{7}$/);
    expect(Object.fromEntries(head!.states)).toEqual({ [COMMITTED]: 'committed', [EDITED]: 'uncommitted', [STAGED]: 'uncommitted' });
    // The hint each gets: restore an uncommitted edit; take a committed one from where the release is.
    const origins = editOrigins(root, [{ id: 'a', version: '1.0.0', file: COMMITTED }, { id: 'a', version: '1.1.0', file: EDITED }], () => ['1.0.0', '1.0.1', '1.1.0']);
    expect(origins.get(COMMITTED)).toEqual({ kind: 'committed', checkout: head!.checkout, next: '1.0.2' });
    expect(origins.get(EDITED)).toEqual({ kind: 'uncommitted', next: '1.1.1' });
  });
});

/** A repository at `top` with `files` written, after `steps` (git arguments) run in order. */
function repoAfter(steps: string[][], files: Record<string, string>, later: Record<string, string> = {}): string {
  const top = makeTempDir('promptctl-edit-origins-');
  const env = { ...process.env, GIT_DIR: undefined, GIT_WORK_TREE: undefined, GIT_INDEX_FILE: undefined } as NodeJS.ProcessEnv;
  const run = (...args: string[]) => execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'user.email=dev@example.com', '-c', 'user.name=Dev', ...args], { cwd: top, env, stdio: 'ignore' });
  const write = (all: Record<string, string>) => {
    for (const [file, text] of Object.entries(all)) {
      mkdirSync(path.dirname(path.join(top, file)), { recursive: true });
      writeFileSync(path.join(top, file), text);
    }
  };
  run('init', '-q', '-b', 'main');
  write(files);
  for (const step of steps) run(...step);
  write(later);
  return top;
}

describe('a file no commit holds: git checkout -- cannot restore it, the registry can', () => {
  const OTHER = 'README.md';
  it.each([
    ['no commit yet, the file never added', [], {}],
    ['no commit yet, the file added to the index', [['add', '-A']], {}],
    ['no commit yet, the file added then edited', [['add', '-A']], { [EDITED]: 'edited\n' }],
    ['commits, the file never added', [['add', OTHER], ['commit', '-q', '-m', 'base']], {}],
    ['commits, the file added to the index only', [['add', OTHER], ['commit', '-q', '-m', 'base'], ['add', '-A']], {}],
  ] as Array<[string, string[][], Record<string, string>]>)('%s', (_, steps, later) => {
    const root = repoAfter(steps, { [OTHER]: 'readme\n', [EDITED]: 'as released\n' }, later);
    const origins = editOrigins(root, [{ id: 'a', version: '1.1.0', file: EDITED }], () => ['1.0.0', '1.1.0']);
    expect(origins.get(EDITED)).toEqual({ kind: 'untracked', next: '1.1.1' });
  });
});

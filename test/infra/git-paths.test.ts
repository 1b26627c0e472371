import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { headStates } from '../../src/infra/edit-origins.js';
import { gitDeletions } from '../../src/infra/git-deletions.js';
import { PATHS_PER_CALL, pathBatches } from '../../src/infra/git-paths.js';
import { cleanupTempDirs, makeTempDir } from '../support/project.js';

/**
 * `status` and `lint` ask git about every missing version file of a shared registry: tens of
 * thousands of paths overran the command line in one call (E2BIG), which read as "nothing
 * deleted". Here a command line holds only what one batch may take and the room left for git's
 * own path and options (on Windows, its 32,767 characters), so thousands of paths overrun it as
 * tens of thousands would overrun the system's, without a huge repository.
 */

const COMMAND_LINE = PATHS_PER_CALL + 8191;
const spawned = vi.hoisted(() => ({ longest: 0 }));
vi.mock('node:child_process', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:child_process')>();
  const execFileSync = ((file: string, args: readonly string[], opts: object) => {
    const length = [file, ...args].join(' ').length;
    spawned.longest = Math.max(spawned.longest, length);
    if (length > COMMAND_LINE) throw Object.assign(new Error(`spawnSync ${file} E2BIG`), { code: 'E2BIG', errno: -7 });
    return real.execFileSync(file, args, opts);
  }) as typeof real.execFileSync;
  return { ...real, execFileSync };
});
const { execFileSync } = await import('node:child_process');

afterAll(() => cleanupTempDirs());

describe('PATHS_PER_CALL', () => {
  it("leaves room for this process's environment within the command line every system allows", () => {
    // Linux guarantees 128 KiB for arguments and environment together, whatever the stack limit.
    const environment = Object.entries(process.env).reduce((n, [k, v]) => n + Buffer.byteLength(`${k}=${v ?? ''}`) + 9, 0);
    expect(PATHS_PER_CALL + environment).toBeLessThan(process.platform === 'win32' ? 32_767 : 128 * 1024);
  });
});

describe('pathBatches', () => {
  it.each<[string, string[], number, string[][]]>([
    ['none', [], 100, []],
    ['all within the budget: one batch', ['a', 'b', 'c'], 100, [['a', 'b', 'c']]],
    // Each path costs its bytes and 16 (its NUL and pointer, or quotes and a space).
    ['cut where the next one would overrun, in order', ['aaaa', 'bbbb', 'cccc'], 40, [['aaaa', 'bbbb'], ['cccc']]],
    ['exactly the budget still fits', ['aaaa', 'bbbb'], 40, [['aaaa', 'bbbb']]],
    ['bytes, not characters', ['ééé', 'x'], 38, [['ééé'], ['x']]],
    ['a path longer than the budget goes alone', ['a', 'x'.repeat(50), 'b'], 40, [['a'], ['x'.repeat(50)], ['b']]],
  ])('%s', (_, paths, budget, batches) => expect(pathBatches(paths, budget)).toEqual(batches));
});

describe('git asked about more paths than one command line holds', () => {
  /** A repository with a file deleted in each way git knows: committed, staged, in the working tree. */
  function repo(): string {
    const root = makeTempDir('promptctl-git-paths-');
    const env = { ...process.env, GIT_DIR: undefined, GIT_WORK_TREE: undefined, GIT_INDEX_FILE: undefined } as NodeJS.ProcessEnv;
    const run = (...args: string[]) => execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'user.email=dev@example.com', '-c', 'user.name=Dev', ...args], { cwd: root, env, stdio: 'ignore' });
    mkdirSync(path.join(root, 'prompts/a'), { recursive: true });
    for (const v of ['1.0.0', '1.1.0', '1.2.0', '1.3.0']) writeFileSync(path.join(root, `prompts/a/${v}.yaml`), `v: ${v}\n`);
    run('init', '-q', '-b', 'main');
    run('add', '-A');
    run('commit', '-q', '-m', 'base');
    run('rm', '-q', 'prompts/a/1.0.0.yaml');
    run('commit', '-q', '-m', 'retire 1.0.0');
    run('rm', '-q', 'prompts/a/1.1.0.yaml');
    rmSync(path.join(root, 'prompts/a/1.2.0.yaml'));
    writeFileSync(path.join(root, 'prompts/a/1.3.0.yaml'), 'edited\n');
    return root;
  }
  // Versions of a shared registry this checkout never had, around the ones it deleted.
  // About 40 characters each: enough for two command lines and more.
  const others = Array.from({ length: Math.ceil((2 * COMMAND_LINE) / 40) }, (_, i) => `prompts/from-another-branch/1.0.${i}.yaml`);
  const half = others.length / 2;
  const asked = [...others.slice(0, half), 'prompts/a/1.0.0.yaml', 'prompts/a/1.1.0.yaml', 'prompts/a/1.2.0.yaml', ...others.slice(half)];

  it('gitDeletions finds every deletion, each git call within the command line', () => {
    const root = repo();
    expect(asked.join(' ').length).toBeGreaterThan(COMMAND_LINE);
    spawned.longest = 0;
    const deleted = gitDeletions(root, asked, { committed: true });
    expect(Object.fromEntries(deleted)).toEqual({ 'prompts/a/1.0.0.yaml': 'committed', 'prompts/a/1.1.0.yaml': 'staged', 'prompts/a/1.2.0.yaml': 'working-tree' });
    expect(spawned.longest).toBeLessThanOrEqual(COMMAND_LINE);
  });

  it("headStates reads every file's state, each git status within the command line", () => {
    const root = repo();
    const head = headStates(root, [...others, 'prompts/a/1.3.0.yaml']);
    expect(head?.checkout).toMatch(/^branch main at [0-9a-f]{7}$/);
    expect(head!.states.get('prompts/a/1.3.0.yaml')).toBe('uncommitted');
  });
});

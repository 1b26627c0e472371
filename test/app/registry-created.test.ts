import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deploy, onRegistryNotice, status } from '../../src/app/index.js';
import { makeProject } from '../support/project.js';

/**
 * `git clean -fdx` and `git stash --all` delete the ignored .promptctl/ folder. The next command
 * that records must not start a new, empty registry without a word: the history and audit log it
 * replaces are gone unless the user restores them now.
 */

const env = { PROMPTCTL_ACTOR: 'rm@example.com' };
const ID = 'support-answer';

afterEach(() => onRegistryNotice(undefined));

describe('a recording command that creates the SQLite registry', () => {
  it('says so once, with what deletes it and how to keep it; opening the existing one says nothing', async () => {
    const cwd = makeProject();
    const heard: string[] = [];
    onRegistryNotice((m) => heard.push(m));
    // A reader of a project without a registry creates none, and says nothing of its own.
    await expect(status({ cwd, env })).rejects.toMatchObject({ exitCode: 2 });
    expect(heard).toEqual([]);

    expect((await deploy({ cwd, env, ref: `${ID}@1.0.0`, environment: 'development', reason: 'first' })).exitCode).toBe(0);
    expect(heard).toEqual([
      'created a new registry at .promptctl/registry.db (there was none). If this project had one, restore it from its backup before recording more: git clean -fdx and git stash --all delete it (git clean -fdx -e .promptctl keeps it)',
    ]);
    expect((await deploy({ cwd, env, ref: `${ID}@1.1.0`, environment: 'development', reason: 'next' })).exitCode).toBe(0);
    expect(heard).toHaveLength(1);

    // What `git clean -fdx` does to it: the next deploy starts a new registry, and says so.
    rmSync(path.join(cwd, '.promptctl'), { recursive: true });
    expect((await deploy({ cwd, env, ref: `${ID}@1.1.0`, environment: 'development', reason: 'after clean' })).exitCode).toBe(0);
    expect(heard).toHaveLength(2);
  });
});

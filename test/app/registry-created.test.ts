import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deploy, history, InternalError, onRegistryNotice, status } from '../../src/app/index.js';
import { refusal } from '../support/refusal.js';
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
    // Outside CI a new project's status lists its versions with nothing deployed (a registry not made yet).
    expect((await status({ cwd, env })).rows.every((r) => r.version === null)).toBe(true);
    expect(existsSync(path.join(cwd, '.promptctl', 'registry.db'))).toBe(false);
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

/**
 * A host's listener that throws fails the use case as a throwing onProgress does: an InternalError
 * (exit 70) "onRegistryNotice threw …" with the listener's error as its cause, and the registry it
 * had just opened is closed (a closed SQLite file keeps no write-ahead log beside it). Before, the
 * listener's bare Error escaped and the connection was left open.
 */
describe('an onRegistryNotice listener that throws', () => {
  it('is an InternalError naming it, with its error as cause; the registry is closed and usable', async () => {
    const cwd = makeProject();
    const down = new Error('my logger is down');
    onRegistryNotice(() => {
      throw down;
    });
    const e = await refusal(deploy({ cwd, env, ref: `${ID}@1.0.0`, environment: 'development', reason: 'first' }), InternalError);
    expect(e.exitCode).toBe(70);
    expect(e.message).toBe('onRegistryNotice threw: my logger is down');
    expect(e.cause).toBe(down);
    // close() takes its turn on the connection: let it run.
    await new Promise((resolve) => setImmediate(resolve));
    expect(existsSync(path.join(cwd, '.promptctl', 'registry.db-wal'))).toBe(false);
    onRegistryNotice(undefined);
    expect((await history({ cwd, env })).events).toEqual([]);
  });
});

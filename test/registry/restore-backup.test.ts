import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { restoreSteps } from '../../src/infra/registry/sqlite-faults.js';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, registryPath } from '../support/project.js';
import { markTested } from '../support/registry-cli.js';

/**
 * Restoring a backup by copying it over registry.db: SQLite keeps no link between a file and its
 * write-ahead log, so a `-wal` a crashed process (or an application still reading) left beside it
 * is replayed onto the copy, and the restore is silently undone. The restore steps every hint
 * gives delete the log first.
 */

afterAll(() => cleanupTempDirs());

const ID = 'support-answer';
const deploy = (dir: string, env: string) => runCliInProcess(['deploy', `${ID}@1.0.0`, '--env', env, '--actor', 'alice@example.com'], { cwd: dir });

describe('a backup copied over a registry whose write-ahead log was left behind', () => {
  it('is undone by the leftover log; the restore steps of the hints delete it first, and then the backup is what commands read', async () => {
    const dir = makeProject();
    markTested(dir, `${ID}@1.0.0`);
    expect((await deploy(dir, 'development')).code).toBe(0);
    const file = registryPath(dir);
    const backup = path.join(dir, 'backup.db');
    copyFileSync(file, backup);
    expect(existsSync(`${file}-wal`)).toBe(false);
    // An application reads the registry while a deploy is recorded, then its host goes down: the
    // deploy is still in the -wal, which no one checkpointed (left as the crash left it).
    const app = new Database(file, { readonly: true });
    app.prepare('SELECT count(*) FROM events').get();
    expect((await deploy(dir, 'staging')).code).toBe(0);
    const [wal, shm] = [readFileSync(`${file}-wal`), readFileSync(`${file}-shm`)];
    expect(wal.length).toBeGreaterThan(0);
    app.close();
    writeFileSync(`${file}-wal`, wal);
    writeFileSync(`${file}-shm`, shm);

    // Copied in alone, the backup is not what commands read: the leftover log is replayed onto it.
    copyFileSync(backup, file);
    expect((await runCliInProcess(['history'], { cwd: dir })).stdout).toMatch(/in staging/);

    // The hint's steps, as written: delete the log (no process uses the registry now), then copy the backup in.
    const hint = restoreSteps(file);
    expect(hint).toMatch(/stop every promptctl command and application using it, delete its write-ahead log first/);
    const rm = /`(rm -f [^`]+)`/.exec(hint)?.[1];
    expect(rm).toBe(`rm -f ${file}-wal ${file}-shm`);
    expect(spawnSync('sh', ['-c', rm!]).status).toBe(0);
    copyFileSync(backup, file);
    const history = await runCliInProcess(['history'], { cwd: dir });
    expect(history.code, history.output).toBe(0);
    expect(history.stdout).toMatch(/in development/);
    expect(history.stdout).not.toMatch(/in staging/);
    const verify = await runCliInProcess(['audit', 'verify'], { cwd: dir });
    expect(verify.code, verify.output).toBe(0);
  });
});

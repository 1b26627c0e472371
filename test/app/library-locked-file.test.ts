import Database from 'better-sqlite3';
import { copyFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as library from '../../src/index.js';
import * as app from '../../src/app/index.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { fakeClock } from '../support/fake-clock.js';
import { markTested, projectRegistryPath } from '../support/registry-cli.js';

/**
 * A `{ path }` reader whose file another program holds locked (the sqlite3 shell in exclusive
 * locking mode, a backup tool) waits for it on timers: the application's event loop keeps running
 * while the read is pending, and the read answers once the lock is released. Before, SQLite's own
 * busy wait (10 s) ran inside the call and blocked the whole process, and a fresh openRegistry on a
 * locked file blocked before it returned. The lock is the test's, held until it releases it, so no
 * timing decides the outcome.
 */

const ID = 'support-answer';
let cwd: string;

beforeAll(async () => {
  cwd = makeProject();
  markTested(cwd, `${ID}@1.0.0`);
  await app.deploy({ cwd, env: {}, clock: fakeClock(), ref: `${ID}@1.0.0`, environment: 'staging' });
});
afterAll(() => cleanupTempDirs());

/** A connection of another program holding `file` in exclusive locking mode. */
function holdLocked(file: string): Database.Database {
  const holder = new Database(file);
  holder.pragma('locking_mode = EXCLUSIVE');
  holder.exec('BEGIN EXCLUSIVE');
  return holder;
}

/** Whether `promise` is still pending after the event loop has turned (timers and immediates ran). */
async function pendingAfterATurn(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  let ticked = false;
  await new Promise<void>((resolve) => setImmediate(() => ((ticked = true), resolve())));
  await new Promise<void>((resolve) => setTimeout(resolve, 1));
  return ticked && !settled;
}

describe('openRegistry({ path }) on a file another program holds locked', () => {
  it('a replacement renamed into place while locked: the event loop runs while the read waits, then the value is read', async () => {
    const served = path.join(cwd, 'served.db');
    copyFileSync(projectRegistryPath(cwd), served);
    const reader = library.openRegistry({ path: served });
    try {
      expect(await reader.getActive(ID, 'staging')).toMatchObject({ version: '1.0.0' });
      copyFileSync(projectRegistryPath(cwd), `${served}.next`);
      const holder = holdLocked(`${served}.next`);
      renameSync(`${served}.next`, served);
      const read = reader.getActive(ID, 'staging');
      try {
        expect(await pendingAfterATurn(read)).toBe(true);
      } finally {
        holder.close();
      }
      const value = await read;
      expect(value).toMatchObject({ version: '1.0.0' });
      expect(value!.stale).toBeUndefined();
    } finally {
      await reader.close();
    }
  }, 30_000);

  it('a first open of a locked file returns at once; its first read waits without blocking, then reads', async () => {
    const served = path.join(cwd, 'locked.db');
    copyFileSync(projectRegistryPath(cwd), served);
    const holder = holdLocked(served);
    let reader: library.PromptRegistryReader | undefined;
    try {
      reader = library.openRegistry({ path: served });
      const read = reader.exportEnv('staging');
      try {
        expect(await pendingAfterATurn(read)).toBe(true);
      } finally {
        holder.close();
      }
      expect((await read).prompts).toMatchObject({ [ID]: { version: '1.0.0' } });
    } finally {
      holder.close();
      await reader?.close();
    }
  }, 30_000);

  it('a reader closed while its read waits opens nothing afterwards: the read is refused, not answered from a file opened after close', async () => {
    const served = path.join(cwd, 'closed.db');
    copyFileSync(projectRegistryPath(cwd), served);
    const holder = holdLocked(served);
    const reader = library.openRegistry({ path: served });
    const read = reader.exportEnv('staging');
    try {
      expect(await pendingAfterATurn(read)).toBe(true);
    } finally {
      // Closed, then the lock released, in one turn: the read's next try comes after both.
      void reader.close();
      holder.close();
    }
    await expect(read).rejects.toThrow(/closed/);
  }, 30_000);
});

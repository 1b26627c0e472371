import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { InterruptedError, UnavailableError } from '../../src/core/errors.js';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import type { Registry } from '../../src/infra/registry/types.js';
import { cleanupTempDirs, makeTempDir } from '../support/project.js';

/**
 * While another program holds the SQLite registry's write lock (BEGIN IMMEDIATE on its own
 * connection, here the test's, kept until the test lets it go), a write waits for it between tries
 * on timers: the event loop runs meanwhile (signal handlers, a second Ctrl-C), and the signal given
 * to `transaction` ends the wait with InterruptedError, nothing written. Before, SQLite's busy
 * timeout and a synchronous sleep blocked the event loop for up to 60 s. Nothing here waits on
 * time: a wait that blocked would not let the test's timer fire, nor see the abort, before the lock
 * is let go (it never is, in that case, until the 60 s deadline fails the write).
 */

const event = { env: 'production', promptId: 'support', version: '1.0.0', previousVersion: null, action: 'deploy' as const, actor: 'ana', reason: null };

afterEach(() => cleanupTempDirs());

async function lockedRegistry(): Promise<{ registry: Registry; holder: Database.Database }> {
  const file = path.join(makeTempDir(), 'registry.db');
  const registry = openSqliteRegistry({ path: file });
  await registry.listEvents(); // created and migrated before the other program takes the lock
  const holder = new Database(file);
  holder.exec('BEGIN IMMEDIATE');
  return { registry, holder };
}

describe('a write meeting another program\'s write lock on the SQLite registry', () => {
  it('waits without blocking the event loop, and goes through once the lock is let go', async () => {
    const { registry, holder } = await lockedRegistry();
    try {
      const writing = registry.appendEvent(event).then(() => 'recorded', (e: unknown) => e);
      // A timer fires while the write waits; with a blocking wait it fired only after the write gave up.
      const first = await Promise.race([writing, new Promise((resolve) => setTimeout(() => resolve('timer'), 0))]);
      expect(first).toBe('timer');
      holder.exec('COMMIT');
      expect(await writing).toBe('recorded');
      expect((await registry.listEvents()).map((e) => e.version)).toEqual(['1.0.0']);
    } finally {
      holder.close();
      await registry.close();
    }
  });

  it('ends the wait of a transaction at its signal: InterruptedError, nothing written', async () => {
    const { registry, holder } = await lockedRegistry();
    try {
      const stop = new AbortController();
      const changing = registry.transaction((tx) => tx.appendEvent(event), { signal: stop.signal }).then(() => 'recorded', (e: unknown) => e);
      stop.abort('SIGINT');
      // The lock is still held: only the signal can end this wait before the deadline.
      const err = await changing;
      expect(err).toBeInstanceOf(InterruptedError);
      expect(err).not.toBeInstanceOf(UnavailableError);
      expect((err as InterruptedError).exitCode).toBe(130);
      expect((err as InterruptedError).message).toBe("interrupted while waiting for the registry's write lock: nothing was recorded");
      holder.exec('COMMIT');
      expect(await registry.listEvents()).toEqual([]);
    } finally {
      holder.close();
      await registry.close();
    }
  });
});

import { realpathSync } from 'node:fs';
import path from 'node:path';
import { ConnectionLock } from './connection-lock.js';

/**
 * Writes to one SQLite file from one process take turns here, across every connection the process
 * opened on it (two use cases of the library at once each open their own).
 *
 * SQLite's own write lock is taken synchronously: a second connection of this process that asked
 * for it while the first held a transaction open across awaits would block the event loop, so the
 * first could never reach its COMMIT, and both waited out the busy timeout (about 70 s) before one
 * failed. Waiting here is asynchronous, so the holder finishes first. Other processes still meet
 * at SQLite's lock (busy_timeout and sqlite-busy.ts).
 */

interface Turns {
  lock: ConnectionLock;
  /** Callers holding or waiting for a turn: at 0 the entry is dropped, so the map holds only files in use. */
  users: number;
}

const byFile = new Map<string, Turns>();

/** One key per file, however it was named (relative, through a symbolic link). */
export function fileKey(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/** Runs `work` when no other connection of this process writes to the file `key` names. */
export async function inWriteTurn<T>(key: string, work: () => T | Promise<T>): Promise<T> {
  let turns = byFile.get(key);
  if (!turns) byFile.set(key, (turns = { lock: new ConnectionLock(), users: 0 }));
  turns.users++;
  try {
    return await turns.lock.run(work);
  } finally {
    if (--turns.users === 0) byFile.delete(key);
  }
}

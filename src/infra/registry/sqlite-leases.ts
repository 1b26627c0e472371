import type Database from 'better-sqlite3';
import type { LeaseOutcome } from './types.js';
import { preparedOnUse } from './sqlite-lazy.js';

/**
 * Run leases (`Registry.acquireLease`): one row per run being sent, with its holder and expiry.
 * Every call runs inside the store's write transaction (BEGIN IMMEDIATE), so the read and the
 * write of an acquisition are one step for every process. Times are ISO text, so comparing the
 * text compares the times.
 */

interface LeaseRow {
  holder: string;
  acquired_at: string;
  expires_at: string;
}

export class LeaseStore {
  private readonly one: Database.Statement<[string], LeaseRow>;
  private readonly upsert: Database.Statement;
  private readonly extend: Database.Statement;
  private readonly drop: Database.Statement;

  constructor(db: Database.Database) {
    this.one = preparedOnUse(() => db.prepare('SELECT holder, acquired_at, expires_at FROM run_leases WHERE run_id = ?'));
    this.upsert = preparedOnUse(() => db.prepare('INSERT OR REPLACE INTO run_leases (run_id, holder, acquired_at, expires_at) VALUES (?, ?, ?, ?)'));
    this.extend = preparedOnUse(() => db.prepare('UPDATE run_leases SET expires_at = ? WHERE run_id = ? AND holder = ?'));
    this.drop = preparedOnUse(() => db.prepare('DELETE FROM run_leases WHERE run_id = ? AND holder = ?'));
  }

  /** Call inside a write transaction. */
  acquire(runId: string, holder: string, now: string, expiresAt: string, takeOverFrom?: string): LeaseOutcome {
    const row = this.one.get(runId);
    if (row && row.holder !== holder && row.expires_at > now && row.holder !== takeOverFrom) {
      return { ok: false, holder: row.holder, expiresAt: row.expires_at };
    }
    // A holder taking its own lease again keeps when it first took it.
    this.upsert.run(runId, holder, row?.holder === holder ? row.acquired_at : now, expiresAt);
    return { ok: true, expiresAt };
  }

  /** The run's lease unless it expired by `now`, as `acquire` judges it. */
  live(runId: string, now: string): { holder: string; expiresAt: string } | undefined {
    const row = this.one.get(runId);
    return row && row.expires_at > now ? { holder: row.holder, expiresAt: row.expires_at } : undefined;
  }

  renew(runId: string, holder: string, expiresAt: string): boolean {
    return this.extend.run(expiresAt, runId, holder).changes > 0;
  }

  release(runId: string, holder: string): void {
    this.drop.run(runId, holder);
  }

  /** Of `runIds`, those whose lease `holder` does not hold (another took it, or none is held). Call inside a write transaction. */
  notHeld(runIds: readonly string[], holder: string): string[] {
    return runIds.filter((id) => this.one.get(id)?.holder !== holder);
  }
}

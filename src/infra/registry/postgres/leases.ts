import type { LeaseOutcome } from '../types.js';
import { isoText, SERVER_NOW, serverNowPlus } from './server-time.js';
import { atomic, changed, rows, type Session } from './session.js';

/**
 * Run leases, mirroring sqlite-leases.ts. An acquisition is one INSERT ... ON CONFLICT DO UPDATE
 * whose WHERE admits only a free, expired, own or given-up lease: the conflicting row is locked
 * either way, so of two callers at once one gets it, and the other reads the winner in the same
 * transaction. Times are ISO text in C collation, so comparing the text compares the times.
 * Every time is the server's (server-time.ts), read in the statement itself: a client whose clock
 * runs ahead would otherwise find a live lease expired and take it over, and one whose clock is
 * behind would write a lease that others find expired.
 */

export function acquireLease(s: Session, runId: string, holder: string, ttlMs: number, opts: { takeOverFrom?: string } = {}): Promise<LeaseOutcome> {
  return atomic(s, async (tx) => {
    // One reading of the server's clock for both times of the row.
    const [taken] = await rows<{ expires_at: string }>(
      tx,
      `INSERT INTO run_leases (run_id, holder, acquired_at, expires_at)
       SELECT $1, $2, ${isoText('t')}, ${isoText(`t + ($3)::float8 * interval '1 millisecond'`)} FROM (SELECT clock_timestamp() AS t) AS server_now
       ON CONFLICT (run_id) DO UPDATE SET
         holder = EXCLUDED.holder,
         acquired_at = CASE WHEN run_leases.holder = EXCLUDED.holder THEN run_leases.acquired_at ELSE EXCLUDED.acquired_at END,
         expires_at = EXCLUDED.expires_at
       WHERE run_leases.holder = EXCLUDED.holder OR run_leases.expires_at <= EXCLUDED.acquired_at OR run_leases.holder = $4
       RETURNING expires_at`,
      [runId, holder, ttlMs, opts.takeOverFrom ?? null],
    );
    if (taken) return { ok: true, expiresAt: taken.expires_at };
    const [live] = await rows<{ holder: string; expires_at: string }>(tx, 'SELECT holder, expires_at FROM run_leases WHERE run_id = $1', [runId]);
    return { ok: false, holder: live!.holder, expiresAt: live!.expires_at };
  });
}

export function renewLease(s: Session, runId: string, holder: string, ttlMs: number): Promise<boolean> {
  return atomic(s, async (tx) => (await changed(tx, `UPDATE run_leases SET expires_at = ${serverNowPlus('$1')} WHERE run_id = $2 AND holder = $3`, [ttlMs, runId, holder])) > 0);
}

export function releaseLease(s: Session, runId: string, holder: string): Promise<void> {
  return atomic(s, async (tx) => void (await changed(tx, 'DELETE FROM run_leases WHERE run_id = $1 AND holder = $2', [runId, holder])));
}

export async function liveLease(s: Session, runId: string): Promise<{ holder: string; expiresAt: string } | undefined> {
  // Live as acquireLease judges it: not yet expired by the server's clock.
  const [live] = await rows<{ holder: string; expires_at: string }>(s, `SELECT holder, expires_at FROM run_leases WHERE run_id = $1 AND expires_at > ${SERVER_NOW}`, [runId]);
  return live && { holder: live.holder, expiresAt: live.expires_at };
}

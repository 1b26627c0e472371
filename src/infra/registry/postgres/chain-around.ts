import type { ChainAround } from '../types.js';
import { COLUMNS, eventOf, headOf, type PgEventRow } from './events.js';
import { rows, type Session } from './session.js';

/** The event columns qualified (`e.seq, ...`): the head's seq and hash sit beside them in one row. */
const EVENT_COLUMNS = COLUMNS.split(', ')
  .map((c) => `e.${c}`)
  .join(', ');

/**
 * The events at `seqs` and the chain head as one statement, so one snapshot under READ COMMITTED
 * (and one round trip): read apart, an append committed between them leaves the successor missing
 * while the head already names it, which checkShownEvents reports as deleted events. The head's
 * columns repeat on each event's row; with no event found, the one row carries the head alone.
 */
export async function chainAround(s: Session, seqs: number[]): Promise<ChainAround> {
  const found = await rows<Partial<PgEventRow> & { head_seq: string | null; head_hash: string | null }>(
    s,
    `SELECT h.seq AS head_seq, h.hash AS head_hash, ${EVENT_COLUMNS}
       FROM (SELECT 1) AS one
       LEFT JOIN chain_head h ON h.id = 1
       LEFT JOIN events e ON e.seq = ANY($1::bigint[])
      ORDER BY e.seq`,
    [seqs],
  );
  const first = found[0];
  const head = first?.head_seq != null && first.head_hash != null ? headOf({ seq: first.head_seq, hash: first.head_hash }) : null;
  const events = found.filter((r) => r.seq != null).map((r) => eventOf(r as PgEventRow));
  return { events, head };
}

import { rows, type Session } from './session.js';

/**
 * The one clock of a team registry: the PostgreSQL server's. Clients' clocks disagree by minutes,
 * so every time that orders or decides something across machines (event times, run start and end,
 * lease expiry, cache age) is read from clock_timestamp() in the statement that records it, never
 * taken from the writing process. Written as toISOString's text (UTC, milliseconds), which is what
 * the chain hashes and what every comparison of stored times compares (C collation: text order is
 * time order).
 */

/** `expr` (a timestamptz) as toISOString's text. */
export const isoText = (expr: string): string => `to_char((${expr}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The server's time now, as ISO text: for a column that records when a row was written. */
export const SERVER_NOW = isoText('clock_timestamp()');

/** The server's time `ms` (an SQL expression, e.g. a parameter) milliseconds from now, as ISO text. */
export const serverNowPlus = (ms: string): string => isoText(`clock_timestamp() + (${ms})::float8 * interval '1 millisecond'`);

/** The server's time now, as ISO text. */
export async function serverTime(s: Session): Promise<string> {
  const [row] = await rows<{ at: string }>(s, `SELECT ${SERVER_NOW} AS at`);
  return row!.at;
}

/**
 * How long promptctl waits on a PostgreSQL registry: to connect, and for a statement's answer. A
 * host that accepts a connection and never answers must end in exit 3 (and the library reader's
 * stale fallback), never in a wait without end.
 */

/** A number among the URL's query parameters (`?connect_timeout=5`); NaN when absent or not a URL (pg refuses that when connecting). */
function urlNumber(url: string, name: string): number {
  try {
    return Number(new URL(url).searchParams.get(name) ?? NaN);
  } catch {
    return NaN;
  }
}

/** How long connecting may take: `connect_timeout` (seconds) in the URL, as libpq reads it, else 10 s. */
export function connectTimeoutMs(url: string): number {
  const seconds = urlNumber(url, 'connect_timeout');
  // libpq: 0 (or nothing) waits forever; promptctl never does. Values under 2 s are 2 s, as libpq has them.
  return Number.isFinite(seconds) && seconds > 0 ? Math.max(2, seconds) * 1000 : DEFAULT_CONNECT_TIMEOUT_MS;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * How long a command waits for a statement's answer: far above any statement promptctl sends, and
 * above the bounded lock waits (decision-lock.ts sets its own, from lock_timeout). The library's
 * reader, which serves a stale value instead, waits less (index.ts).
 */
export const ANSWER_TIMEOUT_MS = 120_000;

/**
 * Just under the answer a command waits for (`query_timeout` in the URL, else its own): how long
 * the server may go on before answering, so that it ends the wait first and says why.
 * - The reader's statement_timeout: with only the client's timeout, the client gave up and was
 *   discarded while its backend went on waiting, so every timed-out read left one behind.
 * - A write transaction's lock wait (lock-wait.ts): a lock held longer is named, instead of a
 *   missing answer blamed on the network.
 */
export function justUnderAnswerMs(url: string, answerTimeoutMs: number): number {
  const inUrl = urlNumber(url, 'query_timeout');
  const answer = Number.isFinite(inUrl) && inUrl > 0 ? inUrl : answerTimeoutMs;
  return Math.max(1, Math.floor(answer * 0.9));
}

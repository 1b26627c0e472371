import { errorCode } from '../../../core/errors.js';
import { isUnreadableReply } from './protocol-fault.js';
import { IDLE_IN_TRANSACTION } from './session-faults.js';

/**
 * What a pg error means for what the registry does next, apart from how it is worded (faults.ts):
 * run the transaction again (40001, 40P01), skip a row already stored, settle a COMMIT whose
 * answer was lost (settle.ts), or discard a client whose connection is gone (connection.ts).
 */

const LOST = new Set(['ECONNRESET', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004', IDLE_IN_TRANSACTION]);

/** Retried by `transaction`: the server undid the transaction and says running it again may succeed. */
export function isRetryable(err: unknown): boolean {
  const code = errorCode(err);
  return code === '40001' || code === '40P01';
}

/** A row whose key is already stored (23505): a plain INSERT of a sample written before. */
export function isUniqueViolation(err: unknown): boolean {
  return errorCode(err) === '23505';
}

/**
 * The connection was lost after COMMIT was sent: the transaction may or may not have landed.
 * Carries what `fn` returned and the idempotency keys of the events it appended, so the registry
 * can ask the server which it was (registry.ts) instead of guessing.
 */
export class LostCommit extends Error {
  constructor(
    readonly lost: unknown,
    readonly result: unknown,
    /** One entry per appended event: its key, or undefined for an event without one. */
    readonly appended: ReadonlyArray<string | undefined>,
    /** Whether it wrote anything: one that wrote nothing (a deploy with nothing to do, a refused rollback) leaves the same state either way. */
    readonly wrote = true,
  ) {
    super(lost instanceof Error ? lost.message : String(lost));
    this.name = 'LostCommit';
  }

  /**
   * The keys of the events it appended that carry one (a deploy's, not the supersede event a deploy
   * that takes back its draft's content appends first). One is enough to tell whether the whole
   * transaction landed: it lands whole or not at all.
   */
  get keys(): string[] {
    return this.appended.filter((k): k is string => k !== undefined);
  }

  /** An event it appended carries a key, so the keys tell whether it landed. */
  get settleable(): boolean {
    return this.keys.length > 0;
  }
}

/** pg's words when a statement's answer did not come within query_timeout, and when connecting did not finish in time. */
export const NO_ANSWER = /Query read timeout/i;
export const NO_CONNECTION = /timeout exceeded when trying to connect|connection timeout/i;

export function isLostConnection(err: unknown): boolean {
  if (err instanceof LostCommit) return true;
  const code = errorCode(err);
  if (code !== undefined && LOST.has(code)) return true;
  // A statement that got no answer in time (query_timeout) leaves its connection unusable too.
  return err instanceof Error && (/Connection terminated|connection ended|Client has encountered a connection error|not queryable/i.test(err.message) || NO_ANSWER.test(err.message) || isUnreadableReply(err));
}

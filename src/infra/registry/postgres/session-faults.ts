import { UnavailableError } from '../../../core/errors.js';
import { afterTheFix, goOnHint } from './fault-hints.js';
import { roleIn, settingInUrl } from './url-parts.js';

/**
 * The faults where the server ended promptctl's session or statement on a setting of its own
 * (idle_in_transaction_session_timeout, statement_timeout, a cancel), and pg's words for a
 * connection already gone, said in promptctl's words with the setting to change (faults.ts).
 */

/** SQLSTATE 25P03: the server ended a session idle inside a transaction (idle_in_transaction_session_timeout). */
export const IDLE_IN_TRANSACTION = '25P03';

/** What a message names: the registry (its URL with the password left out) and the call. */
export interface SessionContext {
  where: string;
  doing: string;
  /** The reader's own statement_timeout, when it set one. */
  ownStatementTimeoutMs?: number;
  /** The library's reader: an application, which runs no command (fault-hints.ts afterTheFix). */
  library?: boolean;
}

/** What follows a fix of a session's fault: a command goes on as after any other (an eval resumes); an application's reader asks again by itself. */
function again(library: boolean | undefined): string {
  return library ? afterTheFix(true) : `${afterTheFix(false)} (\`promptctl eval --resume\` continues an eval where it stopped)`;
}

/**
 * pg's own words for a connection already gone, in promptctl's: "Client has encountered a
 * connection error and is not queryable" names the driver's object, not what happened.
 */
export function lostWords(detail: string): string {
  if (/Client has encountered a connection error|not queryable/i.test(detail)) return 'the connection had already failed when promptctl sent its next statement';
  if (/Connection terminated unexpectedly/i.test(detail)) return 'the connection closed unexpectedly';
  return detail;
}

/** 25P03: the role's or database's idle_in_transaction_session_timeout ended the session inside a transaction. */
export function idleInTransactionFault(ctx: SessionContext, detail: string): UnavailableError {
  const user = roleIn(ctx.where);
  return new UnavailableError({
    message: `the PostgreSQL registry at ${ctx.where} ended promptctl's session inside a transaction (while ${ctx.doing})`,
    why: `${detail} (${IDLE_IN_TRANSACTION}): idle_in_transaction_session_timeout, set for this role or database, is shorter than promptctl's pauses between the statements of one transaction; the transaction was rolled back`,
    hint: `raise it for promptctl's role to at least a few seconds (ALTER ROLE "${user}" SET idle_in_transaction_session_timeout = '1min', or 0 for none, as an administrator or the role itself); ${again(ctx.library)}`,
  });
}

/**
 * 57014: the server cancelled a statement. Mostly statement_timeout, set for the role or database
 * (or in the URL: its own parameter or its options) shorter than a statement of promptctl takes; else pg_cancel_backend.
 * The transaction was rolled back either way; an eval keeps what earlier batches wrote.
 */
export function cancelledFault(ctx: SessionContext, raw: string, detail: string): UnavailableError {
  if (!/statement timeout/i.test(raw)) {
    return new UnavailableError({
      message: `the PostgreSQL registry at ${ctx.where} cancelled a statement of promptctl while ${ctx.doing}`,
      why: `${detail} (57014): someone cancelled it (pg_cancel_backend, or a server shutting down); the statement and its transaction were rolled back`,
      hint: `find out who cancels promptctl's sessions (application_name = 'promptctl' in pg_stat_activity); ${again(ctx.library)}`,
    });
  }
  // Set in the URL (its own parameter, or in `options`), the setting wins over the reader's own.
  const inUrl = settingInUrl(ctx.where, 'statement_timeout');
  if (ctx.ownStatementTimeoutMs !== undefined && !inUrl) {
    return new UnavailableError({
      message: `no answer from the PostgreSQL registry at ${ctx.where} within ${ctx.ownStatementTimeoutMs} ms while ${ctx.doing}`,
      why: `${detail} (57014): the reader's statement waited longer than the reader waits (a lock another session holds, or an overloaded server); the server ended it, so no session is left waiting`,
      hint: `${goOnHint(true)}; find the session holding a lock in pg_stat_activity; query_timeout=<ms> in the URL sets the reader's wait`,
    });
  }
  const user = roleIn(ctx.where);
  const setBy = inUrl === 'parameter' ? 'the statement_timeout parameter of the URL' : inUrl === 'options' ? "the statement_timeout in the URL's options" : 'the statement_timeout set for this role or database';
  return new UnavailableError({
    message: `the PostgreSQL registry at ${ctx.where} cut a statement of promptctl short: statement_timeout (while ${ctx.doing})`,
    why: `${detail} (57014): ${setBy} is shorter than promptctl's statement took; the statement and its transaction were rolled back`,
    hint:
      inUrl === 'parameter'
        ? `raise statement_timeout=<ms> in the URL (or leave it out); ${again(ctx.library)}`
        : inUrl === 'options'
          ? `raise statement_timeout in the URL's options (or leave it out); ${again(ctx.library)}`
          : `raise it for promptctl's role (ALTER ROLE "${user}" SET statement_timeout = '5min', or 0 for none, as an administrator or the role itself); ${again(ctx.library)}`,
  });
}

/**
 * The connection lost while the command first connected: nothing was sent yet, so there is nothing
 * to go on from (no `eval --resume`, no transaction cut short), only the port to check.
 */
export function lostWhileConnectingFault(ctx: { where: string; doing: string; library?: boolean }, detail: string, code: string | undefined, urlHint: string): UnavailableError {
  return new UnavailableError({
    message: `the connection to the PostgreSQL registry at ${ctx.where} was lost while ${ctx.doing}`,
    why: `${lostWords(detail)}${code ? ` (${code})` : ''}: the other end closed it before the session was set up (a server that is stopping, or another service than PostgreSQL on that port); nothing was read or written`,
    hint: `check that PostgreSQL runs at that host and port (5432 unless the server was set up otherwise) in ${urlHint}; ${afterTheFix(ctx.library)}`,
  });
}

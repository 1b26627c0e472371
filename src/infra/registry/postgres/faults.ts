import { errorCode, isPromptctlError, UnavailableError } from '../../../core/errors.js';
import { escapeRegExp } from '../../../core/escape-regexp.js';
import { localFault } from './local-faults.js';
import { missingColumnFault, missingTablesFault } from './missing-tables.js';
import { isUnreadableReply, unreadableReplyWords } from './protocol-fault.js';
import { isLostConnection, NO_ANSWER, NO_CONNECTION } from './lost-connection.js';
import { LOCK_NOT_AVAILABLE, lockHeldFault, type LockHolder } from './lock-wait.js';
import { isRefusedValue, refusedValueFault } from './refused-value.js';
import { urlSettingFault } from './url-setting-fault.js';
import { certificateFault, noTlsServerFault } from './tls-faults.js';
import { isRefusedOptions, refusedOptionsFault } from './search-path.js';
import { isOutOfResources, isRefusedWithoutTls, outOfResourcesFault, READ_ONLY, readOnlyFault, refusedWithoutTlsFault, TOO_MANY_CONNECTIONS, tooManyConnectionsFault } from './server-refusals.js';
import { cancelledFault, IDLE_IN_TRANSACTION, idleInTransactionFault, lostWhileConnectingFault, lostWords } from './session-faults.js';
import { afterTheFix, goOnHint, passwordHint, readerGrantHint } from './fault-hints.js';

/**
 * Every way PostgreSQL can fail a command becomes exit 3 with what happened, why and what to do:
 * the server down, wrong credentials, a missing database, a server too old, a lost connection,
 * a missing permission, a value the schema refuses (refused-value.ts). Every message is scrubbed of
 * the password and of the full URL. Which errors mean a lost connection, a lost COMMIT or a
 * transaction to run again is lost-connection.ts.
 */

export interface FaultContext {
  /** The registry as shown to people: the URL without its password. */
  where: string;
  /** Strings that must never be printed (the password, the URL that holds it). */
  secrets: readonly string[];
  /** What promptctl was doing, e.g. "connecting" or "writing". */
  doing: string;
  /** The registry's schema, and its version once the connection checked it: a missing table is named as missing from it. */
  schema?: { name: string; version?: number };
  /** The statement_timeout the library's reader set for its own session (connection.ts), when it did. */
  ownStatementTimeoutMs?: number;
  /** The library's reader: its URL and password come from the application (openRegistry), never from .promptrc.yaml. */
  library?: boolean;
  /** Connecting again after the connection was given up mid-command (connection.ts withClient): what the command did so far stands. */
  reconnecting?: true;
  /** The variable `registry.password_env` names, and whether it is set (PgTarget). */
  passwordEnv?: { name: string; set: boolean };
  /** Where the password given came from (PgTarget.passwordFrom), never the password. */
  passwordFrom?: string;
  /** The password file libpq would read, and its mode when ignored (PgTarget.passwordFile). */
  passwordFile?: { name: string; ignoredMode?: string };
  /** The URL came from `--to`: PROMPTCTL_REGISTRY_URL is no place to give its password, nor the config where its host is. */
  urlEnvUnread?: true;
  /** Where the host and port came from when the URL names neither (PgTarget.addressFrom). */
  addressFrom?: string;
  /** The command that migrates this registry when plain `promptctl registry migrate` would migrate another (PgTarget). */
  migrateCommand?: string;
  /** After a lock wait ran out (55P03): who held a lock on the registry's tables (null: no one any more; connection.ts asks). */
  lockHolder?: LockHolder | null;
  /** The lock_timeout the failed statement waited, as the server shows it, when known. */
  lockWait?: string;
}

/**
 * What the statements run on one client note for a fault's words (connection.ts withClient), as
 * they happen: a transaction's state is gone by the time its fault is worded.
 */
export interface ClientNotes {
  /** The lock wait a transaction set for itself (its BEGIN, a decision's turn), as the server shows it ("108s"). */
  lockWait?: string;
  /** The registry call a transaction is in ("appending an event to the audit log"). */
  call?: string;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * The server's or driver's own words with every secret starred. A short secret only where it
 * stands as a whole word (a password "p" leaves "password" alone; starring inside words would
 * show, by the gaps, what the password is); a long one wherever it appears. Only text from outside
 * is scrubbed: the messages promptctl builds name the registry by its URL without the password.
 */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s) continue;
    const escaped = escapeRegExp(s);
    out = out.replace(new RegExp(s.length >= LONG_SECRET ? escaped : `(?<![A-Za-z0-9])${escaped}(?![A-Za-z0-9])`, 'g'), '***');
  }
  return out;
}

/** From this length a secret inside a longer word is still taken for the secret. */
const LONG_SECRET = 12;

/** The error to throw for `err`; a promptctl error passes through, and an unknown non-database error too (a bug). */
export function pgFault(err: unknown, ctx: FaultContext): Error {
  if (isPromptctlError(err)) return err;
  const code = errorCode(err);
  const raw = err instanceof Error ? err.message : String(err);
  const detail = scrub(raw, ctx.secrets);
  const fault = (message: string, why: string, hint: string) =>
    new UnavailableError({ message, why, hint });
  // The library reads no .promptrc.yaml and takes no flags: its hints name what openRegistry takes.
  // Nor does a --to URL come from them: the configured registry may be another, or SQLite.
  const urlHint = ctx.library ? 'the url given to openRegistry' : ctx.urlEnvUnread ? 'the --to URL' : 'PROMPTCTL_REGISTRY_URL (which wins) or registry.url in .promptrc.yaml';
  const migrate = ctx.migrateCommand ?? 'promptctl registry migrate';
  // Gone mid-command (the server stopped): the command goes on as after a lost connection, over TCP or a socket.
  const local = localFault(err, detail, { where: ctx.where, doing: ctx.doing, urlHint, ...(ctx.reconnecting ? { goOn: goOnHint(ctx.library) } : {}) });
  if (local) return local;
  const certificate = certificateFault(code, detail, { where: ctx.where, doing: ctx.doing, urlHint });
  if (certificate) return certificate;
  if (code !== undefined && UNREACHABLE.has(code)) {
    const goOn = ctx.reconnecting ? `; ${goOnHint(ctx.library)}` : '';
    return fault(
      `cannot reach the PostgreSQL registry at ${ctx.where}`,
      `${detail} (${code}) while ${ctx.doing}: no server answers at that host and port`,
      `check that PostgreSQL is running and accepts TCP connections there, and check the host and port in ${urlHint}${ctx.addressFrom ? ` (it names none: promptctl used ${ctx.addressFrom})` : ''}${goOn}`,
    );
  }
  // A pooler refusing the parameter that sets the schema; the server refusing a write, a connection slot, or a connection without TLS.
  const refusal = { where: ctx.where, doing: ctx.doing, urlHint, library: ctx.library };
  if (isRefusedOptions(code, raw)) return refusedOptionsFault(ctx, detail);
  if (code === READ_ONLY) return readOnlyFault(refusal, detail);
  if (code === TOO_MANY_CONNECTIONS) return tooManyConnectionsFault(refusal, raw, detail);
  if (isOutOfResources(code)) return outOfResourcesFault(refusal, code!, detail);
  if (isRefusedWithoutTls(code, raw)) return refusedWithoutTlsFault(refusal, detail);
  if (code === '28P01' || code === '28000' || /client password must be a string|password authentication failed/i.test(raw)) {
    const none = /client password must be a string/i.test(raw);
    const rejected = !none && (code === '28P01' || /password authentication failed/i.test(raw)) ? ctx.passwordFrom : undefined;
    return fault(
      `PostgreSQL refused the credentials for the registry at ${ctx.where}`,
      none ? 'the server asks for a password and none was given' : detail,
      ctx.library
        ? "give openRegistry the password (in the url, or as `password`), or set PGPASSWORD or ~/.pgpass for the application's user; and check the user name in the URL"
        : passwordHint(ctx, rejected),
    );
  }
  if (code === '3D000') {
    return fault(
      `the database of the registry at ${ctx.where} does not exist`,
      detail,
      `create it (createdb <name>, or CREATE DATABASE as an administrator), then run \`${migrate}\``,
    );
  }
  if (code === '42501') {
    return fault(
      `the PostgreSQL role of the registry at ${ctx.where} is not allowed to do this (while ${ctx.doing})`,
      detail,
      ctx.library ? readerGrantHint(ctx.where) : 'use the role this command is for: the reader serves `get`, `export` and the library; the evaluator `eval` and `ci`; the deployer `deploy`, `promote`, `rollback`, `status`, `history` and `audit verify`; only the schema owner runs `registry migrate`, `registry push` and `registry prune-cache` (`promptctl registry roles` prints the SQL of the three roles; or ask the schema owner to grant the permission named above)',
    );
  }
  if (code === '3F000') {
    return fault(
      `the registry at ${ctx.where} has no promptctl schema`,
      detail,
      `run \`${migrate}\` once as the schema owner`,
    );
  }
  // The schema is there (the connection checked its version) but a table of it is not.
  if (code === '42P01') return missingTablesFault(ctx, [/relation "(?:[^"]*\.)?([^".]+)"/.exec(raw)?.[1] ?? 'of the registry'], `${detail} (${code})`);
  // ... or a column of one: `column "x" of relation "t" does not exist` (a write), `column "x" does not exist` (a read).
  if (code === '42703') {
    const m = /column "?(?:[\w$]+\.)?([^".\s]+)"?(?: of relation "([^"]+)")?/.exec(raw);
    return missingColumnFault(ctx, m?.[1] ?? 'of a table', m?.[2], `${detail} (${code})`);
  }
  if (code === LOCK_NOT_AVAILABLE) return lockHeldFault(ctx, detail);
  if (code === '57014') return cancelledFault(ctx, raw, detail);
  const unanswered = NO_ANSWER.test(raw);
  if (unanswered || NO_CONNECTION.test(raw)) {
    return fault(
      `no answer from the PostgreSQL registry at ${ctx.where} while ${ctx.doing}`,
      `${detail}: something accepted the connection (or nothing refused it) but no PostgreSQL server answered in time: a hung server, or a proxy or firewall dropping the packets`,
      unanswered
        ? `check the server and the network between (${urlHint}); ${afterTheFix(ctx.library)}; query_timeout=<ms> in the URL sets how long to wait for an answer`
        : `check that PostgreSQL is running and answering at that host and port (${urlHint}); connect_timeout=<seconds> in the URL (or PGCONNECT_TIMEOUT) sets how long to wait (default 10)`,
    );
  }
  if (code === IDLE_IN_TRANSACTION) return idleInTransactionFault(ctx, detail);
  // The command's first connection (nothing was sent yet, so nothing to resume), and any connection being made.
  const firstConnect = ctx.doing === 'connecting' && !ctx.reconnecting;
  const anyConnect = ctx.doing === 'connecting' || Boolean(ctx.reconnecting);
  if (isUnreadableReply(err)) {
    const words = unreadableReplyWords(detail, ctx.where, ctx.doing, firstConnect ? { then: afterTheFix(ctx.library) } : undefined);
    return fault(words.message, words.why, words.hint);
  }
  if (isLostConnection(err)) {
    if (firstConnect) return lostWhileConnectingFault(ctx, detail, code, urlHint);
    return fault(
      `the connection to the PostgreSQL registry at ${ctx.where} was lost while ${ctx.doing}`,
      `${lostWords(detail)}${code ? ` (${code})` : ''}: the server closed it or the network dropped it. A transaction it cut short was rolled back by the server, unless its COMMIT had already arrived`,
      `check the server; ${goOnHint(ctx.library)}`,
    );
  }
  if (/server does not support SSL/i.test(raw)) return noTlsServerFault(ctx.where, detail);
  // A setting the URL gives the session, refused as it starts: the URL's typo (exit 2), not a value promptctl sent.
  const setting = urlSettingFault(err, code, raw, detail, { ...ctx, urlHint });
  if (setting) return setting;
  // While connecting promptctl has sent no value of its own yet: that is the generic answer below.
  if (isRefusedValue(code) && !anyConnect) return refusedValueFault(err, code!, detail, ctx);
  // Any other SQLSTATE is the server's answer; while connecting, a TLS or socket error is the connection's.
  const connecting = anyConnect && (code !== undefined || /SSL|TLS|certificate/i.test(raw));
  if ((code !== undefined && /^[0-9A-Z]{5}$/.test(code)) || connecting) {
    return fault(
      `the PostgreSQL registry at ${ctx.where} failed while ${ctx.doing}`,
      `${detail}${code ? ` (${code})` : ''}`,
      'see the PostgreSQL server log; for TLS problems check sslmode in the URL and PGSSLROOTCERT',
    );
  }
  // A bug is reported with its message and stack: never with the password in them.
  if (!(err instanceof Error)) return new Error(detail);
  if (ctx.secrets.some((secret) => secret && `${err.message}${err.stack ?? ''}`.includes(secret))) return new Error(detail);
  return err;
}

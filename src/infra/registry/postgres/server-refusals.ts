import { UnavailableError } from '../../../core/errors.js';
import { afterTheFix } from './fault-hints.js';
import { roleIn } from './url-parts.js';

/**
 * Refusals of the server itself that are no fault of the network, the credentials or promptctl,
 * each with its cause and way out (faults.ts): a read-only server or role, no connection slot
 * left, and a pg_hba.conf that lets the role in only over TLS.
 */

/** What a refusal names: the registry (its URL without the password), what promptctl was doing, and where its URL is set. */
export interface RefusalContext {
  where: string;
  doing: string;
  /** "PROMPTCTL_REGISTRY_URL (which wins) or registry.url in .promptrc.yaml", or the library's url. */
  urlHint: string;
  /** The library's reader: an application, which runs no command (fault-hints.ts afterTheFix). */
  library?: boolean;
}

/** SQLSTATE 25006 read_only_sql_transaction: a write on a hot standby, or with default_transaction_read_only on. */
export const READ_ONLY = '25006';

export function readOnlyFault(ctx: RefusalContext, detail: string): UnavailableError {
  return new UnavailableError({
    message: `the PostgreSQL registry at ${ctx.where} is read-only: it refused a write while ${ctx.doing}`,
    why: `${detail} (${READ_ONLY}): the server is a hot standby (a read-only replica), or default_transaction_read_only is on for this role or database; the statement was refused and its transaction rolled back, so nothing of it was written`,
    hint: `point ${ctx.urlHint} at the primary server (commands that only read, such as status, get and history, and the library's reader work on a standby); if default_transaction_read_only is set for the role or the database (SHOW default_transaction_read_only), ask the administrator to turn it off for promptctl's role; ${afterTheFix(ctx.library)}`,
  });
}

/** SQLSTATE 53300 too_many_connections: max_connections, or a role's or database's CONNECTION LIMIT, is reached. */
export const TOO_MANY_CONNECTIONS = '53300';

export function tooManyConnectionsFault(ctx: RefusalContext, raw: string, detail: string): UnavailableError {
  const role = /too many connections for role/i.test(raw);
  const database = /too many connections for database/i.test(raw);
  const limit = role
    ? 'the CONNECTION LIMIT of this role is reached'
    : database
      ? 'the CONNECTION LIMIT of this database is reached'
      : "the server's max_connections is reached (its last slots are kept for superusers)";
  const raise = role
    ? `ALTER ROLE "${roleIn(ctx.where)}" CONNECTION LIMIT <n>`
    : database
      ? 'ALTER DATABASE <database> CONNECTION LIMIT <n>'
      : 'max_connections in postgresql.conf (a restart), or a connection pooler in session mode';
  return new UnavailableError({
    message: `the PostgreSQL server of the registry at ${ctx.where} refused a connection: too many connections (while ${ctx.doing})`,
    why: `${detail} (${TOO_MANY_CONNECTIONS}): ${limit}; a promptctl command holds one connection at a time (the library, one per reader), so other sessions hold the rest`,
    hint: `wait until fewer sessions are open (SELECT usename, application_name, client_addr, state FROM pg_stat_activity lists them), or ask the administrator to allow more: ${raise}; ${afterTheFix(ctx.library)}`,
  });
}

/**
 * 28000 "no pg_hba.conf entry for host …, no encryption" (before PostgreSQL 14: "SSL off"): no line
 * of pg_hba.conf lets this connection in without TLS, as when the role's line is `hostssl`. Not
 * the password: the server never asked for one. Over TLS ("SSL encryption") it is another case.
 */
export function isRefusedWithoutTls(code: string | undefined, raw: string): boolean {
  return code === '28000' && /no pg_hba\.conf entry for .*, (no encryption|SSL off)\s*$/i.test(raw);
}

export function refusedWithoutTlsFault(ctx: RefusalContext, detail: string): UnavailableError {
  return new UnavailableError({
    message: `the PostgreSQL server of the registry at ${ctx.where} refused a connection without TLS`,
    why: `${detail} (28000): no line of the server's pg_hba.conf lets this host, role and database in over a connection without TLS; a server that accepts the role only over TLS (a hostssl line) answers so. The password was not the problem: the server did not ask for it`,
    hint: `connect over TLS: sslmode=verify-full in ${ctx.urlHint} (with sslrootcert=/path/ca.pem for a private CA; sslmode=require also encrypts, and pg checks the certificate as verify-full), or PGSSLMODE when the URL does not say; if the server refuses it over TLS too, ask its administrator for a pg_hba.conf line for this host, role and database`,
  });
}

/**
 * SQLSTATE class 53 (insufficient resources) but 53300: the server cannot write (53100 disk_full),
 * has no memory (53200) or too many locks or files (53400 configuration_limit_exceeded). Its
 * statement was refused and its transaction rolled back; nothing of it was written.
 */
export function isOutOfResources(code: string | undefined): boolean {
  return code !== undefined && code.startsWith('53') && code !== TOO_MANY_CONNECTIONS;
}

export function outOfResourcesFault(ctx: RefusalContext, code: string, detail: string): UnavailableError {
  const disk = code === '53100';
  const what = disk ? "is out of disk space" : code === '53200' ? 'is out of memory' : 'reached a configured limit';
  return new UnavailableError({
    message: `the PostgreSQL server of the registry at ${ctx.where} ${what} (while ${ctx.doing})`,
    why: `${detail} (${code}): the server refused the statement and rolled its transaction back, so nothing of it was written; what earlier statements committed (an eval's earlier samples) is kept`,
    hint: `${disk ? "free space on the server's disk (or the tablespace of the registry's database)" : code === '53200' ? "check the server's memory (work_mem, other sessions)" : 'see the server log for the limit reached (max_locks_per_transaction, max_files_per_process)'}, then run the command again (an eval: with --resume, which sends only what is missing); ${afterTheFix(ctx.library)}`,
  });
}

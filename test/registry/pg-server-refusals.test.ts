import { describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/core/errors.js';
import { pgFault } from '../../src/infra/registry/postgres/faults.js';

/**
 * Refusals of a server (or of a pooler in front of it) that used to get the catch-all hint ("see
 * the PostgreSQL server log; for TLS problems check sslmode…"), or the credentials' hint for a
 * refusal that was no password's: each now says what happened, why and what to do, exit 3, with
 * no password in it. The errors are shaped as pg gives them: an Error with the server's `code` and
 * message (postgres-server-refusals.test.ts has the real server's).
 */

const ctx = { where: 'postgres://ana@db:5432/prompts', secrets: ['s3cr3t-pw'], doing: 'connecting', schema: { name: 'team_a' } };
const fault = (code: string, message: string, doing = ctx.doing) => pgFault(Object.assign(new Error(message), { code }), { ...ctx, doing }) as UnavailableError;
const words = (e: UnavailableError) => `${e.message}\n${e.why}\n${e.hint}`;

describe('server refusals, each with its own what, why and what to do', () => {
  it.each([
    ['08P01', 'unsupported startup parameter: options', /refused the `options` startup parameter, which promptctl sets its schema with/, /connection pooler such as PgBouncer/, /ALTER ROLE "ana" IN DATABASE "prompts" SET search_path = team_a/],
    ['25006', 'cannot execute INSERT in a read-only transaction', /is read-only: it refused a write while writing \(appendEvent\)/, /hot standby .* default_transaction_read_only .* nothing of it was written/, /at the primary server \(commands that only read, such as status, get and history/],
    ['53300', 'too many connections for role "ana"', /refused a connection: too many connections \(while connecting\)/, /the CONNECTION LIMIT of this role is reached; a promptctl command holds one connection at a time/, /ALTER ROLE "ana" CONNECTION LIMIT <n>/],
    ['53300', 'too many connections for database "prompts"', /too many connections/, /the CONNECTION LIMIT of this database is reached/, /ALTER DATABASE <database> CONNECTION LIMIT <n>/],
    ['53300', 'sorry, too many clients already', /too many connections/, /max_connections is reached/, /max_connections in postgresql\.conf/],
    ['53300', 'remaining connection slots are reserved for non-replication superuser connections', /too many connections/, /max_connections is reached/, /pg_stat_activity/],
    ['28000', 'no pg_hba.conf entry for host "10.0.0.7", user "ana", database "prompts", no encryption', /refused a connection without TLS/, /only over TLS \(a hostssl line\)/, /sslmode=verify-full in PROMPTCTL_REGISTRY_URL/],
    ['28000', 'no pg_hba.conf entry for host "10.0.0.7", user "ana", database "prompts", SSL off', /refused a connection without TLS/, /did not ask for it/, /sslmode=verify-full/],
  ])('%s %s', (code, raw, message, why, hint) => {
    const e = fault(code, raw, code === '25006' ? 'writing (appendEvent)' : 'connecting');
    expect(e).toBeInstanceOf(UnavailableError);
    expect(e.exitCode).toBe(3);
    expect(e.message).toMatch(message);
    expect(e.why).toContain(`${raw} (${code})`);
    expect(e.why).toMatch(why);
    expect(e.hint).toMatch(hint);
    expect(words(e)).not.toMatch(/server log|give the password|refused the credentials/);
    expect(words(e)).not.toContain('s3cr3t-pw');
  });

  it.each([
    ['28000', 'no pg_hba.conf entry for host "10.0.0.7", user "ana", database "prompts", SSL encryption'],
    ['28000', 'role "ana" is not permitted to log in'],
    ['28P01', 'password authentication failed for user "ana"'],
  ])('%s %s keeps the credentials wording (over TLS, no line is no TLS problem)', (code, raw) => {
    const e = fault(code, raw);
    expect(e.message).toBe('PostgreSQL refused the credentials for the registry at postgres://ana@db:5432/prompts');
    expect(e.hint).not.toMatch(/sslmode/);
  });

  it("another 08P01 is not taken for the pooler's refusal of the schema's parameter", () => {
    expect(fault('08P01', 'invalid frontend message type 0').message).not.toMatch(/startup parameter/);
  });

  it("the library's reader is told to change the url given to openRegistry", () => {
    const e = pgFault(Object.assign(new Error('cannot execute INSERT in a read-only transaction'), { code: '25006' }), { ...ctx, library: true }) as UnavailableError;
    expect(e.hint).toMatch(/^point the url given to openRegistry at the primary server/);
  });
});

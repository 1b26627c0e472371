import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError, UnavailableError } from '../../src/core/errors.js';
import { pgFault } from '../../src/infra/registry/postgres/faults.js';
import { PG_SCHEMA_VERSION } from '../../src/infra/registry/postgres/migrations.js';
import { PG_SCHEMA_COLUMNS } from '../../src/infra/registry/postgres/schema-columns.js';
import { openPostgresRegistry } from '../../src/infra/registry/postgres/registry.js';
import { postgresTarget, registryTarget } from '../../src/infra/registry/target.js';
import { migrateProjectRegistry } from '../../src/infra/registry-admin.js';
import { postgresAvailable, startPostgres, type PgCluster } from '../support/postgres.js';

/**
 * What happens when PostgreSQL goes away or refuses: a connection lost in the middle of a
 * transaction leaves the old state and is exit 3 with a hint, the next call reconnects; every
 * message is scrubbed of the password. The server is real; the connection is cut by the server
 * itself (pg_terminate_backend), between two statements of a transaction, never by a timer.
 */

const pgOk = postgresAvailable();
let cluster: PgCluster;
beforeAll(async () => {
  if (pgOk) cluster = await startPostgres();
});

/** `registry migrate` of the registry at `url`, as its schema owner. */
const migrateAt = (url: string, schema = 'promptctl') =>
  migrateProjectRegistry({ root: '/', config: { registry: { path: 'x', schema, url } } as never }, { env: { PGPASSWORD: cluster.password }, clock: { date: () => new Date() } });

const event = (version: string) => ({ env: 'staging', promptId: 'p', version, previousVersion: null, action: 'deploy' as const, actor: 'a', reason: null });

describe.runIf(pgOk)('a PostgreSQL registry losing its connection', () => {
  it('rolls back the transaction the server cut short, exits 3 with a hint, and reconnects for the next call', async () => {
    const db = await cluster.createDatabase();
    const url = cluster.url(db);
    await migrateAt(url);
    const registry = openPostgresRegistry({ target: postgresTarget(url, { password: cluster.password }) });
    try {
      await registry.appendEvent(event('1.0.0'));
      const cut = registry.transaction(async (tx) => {
        await tx.appendEvent(event('1.1.0'));
        // With a timeout it returns once the backend is gone (PostgreSQL 14+), so the cut has happened before the next statement.
        await cluster.query(`SELECT pg_terminate_backend(pid, 30000) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'promptctl'`, [db]);
        await tx.appendEvent(event('1.2.0'));
      });
      const err = await cut.then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(UnavailableError);
      const e = err as UnavailableError;
      expect(e.exitCode).toBe(3);
      expect(e.message).toMatch(/connection to the PostgreSQL registry at postgres:\/\/postgres@127\.0\.0\.1:\d+\/\w+ was lost/);
      expect(e.hint).toMatch(/promptctl history/);
      expect((await registry.listEvents()).map((x) => x.version)).toEqual(['1.0.0']);
      expect(await registry.verifyChain()).toEqual({ ok: true, events: 1 });
    } finally {
      await registry.close();
    }
  });
});

describe.runIf(pgOk)('registry migrate on PostgreSQL', () => {
  it('is safe when several run at once: each step applied once, every caller ends at the current version', async () => {
    const url = cluster.url(await cluster.createDatabase());
    const migrate = () => migrateAt(url, 'team_a');
    const outcomes = await Promise.all([migrate(), migrate(), migrate()]);
    expect(outcomes.map((o) => o.to)).toEqual([PG_SCHEMA_VERSION, PG_SCHEMA_VERSION, PG_SCHEMA_VERSION]);
    expect(outcomes.filter((o) => o.from === 0)).toHaveLength(1);
    const registry = openPostgresRegistry({ target: postgresTarget(url, { schema: 'team_a', password: cluster.password }) });
    try {
      expect(await registry.stats()).toMatchObject({ backend: 'postgres', schemaVersion: PG_SCHEMA_VERSION });
    } finally {
      await registry.close();
    }
  });
});

describe.runIf(pgOk)('settings in the URL\'s options', () => {
  it('keep the registry\'s search path; a statement_timeout they set that cuts a write short is exit 3 saying to raise it', async () => {
    const db = await cluster.createDatabase();
    const url = cluster.url(db);
    await migrateAt(url);
    const plain = openPostgresRegistry({ target: postgresTarget(url, { password: cluster.password }) });
    await plain.appendEvent(event('1.0.0')).finally(() => plain.close());
    const timed = openPostgresRegistry({ target: postgresTarget(`${url}?options=${encodeURIComponent('-c statement_timeout=500')}`, { password: cluster.password }) });
    // Another session holds the chain head's row: the append waits for it until statement_timeout ends it (no timer of the test's).
    const holder = new pg.Client({ host: cluster.host, port: cluster.port, user: cluster.user, password: cluster.password, database: db });
    await holder.connect();
    try {
      expect((await timed.listEvents()).map((e) => e.version)).toEqual(['1.0.0']);
      await holder.query('BEGIN; SELECT * FROM promptctl.chain_head FOR UPDATE');
      const err = await timed.appendEvent(event('1.1.0')).then(() => undefined, (e: unknown) => e as UnavailableError);
      expect(err).toMatchObject({ exitCode: 3, message: expect.stringMatching(/cut a statement of promptctl short: statement_timeout/) });
      expect(err?.why).toMatch(/canceling statement due to statement timeout \(57014\): the statement_timeout in the URL's options/);
      expect(err?.hint).toMatch(/raise statement_timeout in the URL's options[\s\S]*eval --resume/);
      expect(`${err?.message} ${err?.why} ${err?.hint}`).not.toMatch(/TLS|sslmode/);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
      await timed.close();
    }
  });
});

describe.runIf(pgOk)('TLS asked of a server without it', () => {
  it('is exit 3 saying the server accepts no TLS, with sslmode=disable in the hint', async () => {
    const url = `${cluster.url(await cluster.createDatabase())}?sslmode=verify-full`;
    const registry = openPostgresRegistry({ target: postgresTarget(url, { password: cluster.password }) });
    try {
      const err = await registry.listEvents().then(() => undefined, (e: unknown) => e as UnavailableError);
      expect(err).toMatchObject({ exitCode: 3, message: expect.stringMatching(/^the PostgreSQL server of the registry at .* does not accept TLS connections$/) });
      expect(err?.hint).toMatch(/sslmode=disable in the URL or PGSSLMODE/);
    } finally {
      await registry.close();
    }
  });
});

describe.runIf(pgOk)('a table dropped from a migrated schema', () => {
  it('is named as missing from the schema at its version (exit 3), by the commands that need it and by registry migrate', async () => {
    const db = await cluster.createDatabase();
    const url = cluster.url(db);
    const migrate = () => migrateAt(url);
    await migrate();
    // The list migrate checks is every table the migrations leave.
    const tables = await cluster.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'promptctl' ORDER BY 1`, [], db);
    expect(tables.map((r) => r.t)).toEqual(Object.keys(PG_SCHEMA_COLUMNS).sort());
    await cluster.query('DROP TABLE promptctl.response_cache; DROP TABLE promptctl.events CASCADE', [], db);
    // A reader meets the missing table where a statement needs it; a writer is refused at its first session, naming both.
    const registry = openPostgresRegistry({ target: postgresTarget(url, { password: cluster.password }), readonly: true });
    const writer = openPostgresRegistry({ target: postgresTarget(url, { password: cluster.password }) });
    try {
      await expect(writer.putCachedResponse('k', { output: 'o', latencyMs: 1, tokensIn: 1, tokensOut: 1 })).rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(/^tables response_cache \(the response cache\), events \(the audit log\) are missing from the schema "promptctl" \(version \d+\)/) });
      const cache = await registry.getCachedResponse('k').then(() => undefined, (e: unknown) => e as UnavailableError);
      expect(cache).toMatchObject({ exitCode: 3, message: expect.stringMatching(/^table response_cache \(the response cache\) is missing from the schema "promptctl" \(version \d+\) of the registry at postgres:\/\/postgres@/) });
      expect(cache?.why).toMatch(/changed outside promptctl.*registry migrate` applies only the steps a schema lacks/);
      expect(cache?.hint).toMatch(/from a backup/);
      expect(cache?.hint).not.toMatch(/run `promptctl registry migrate`/);
      await expect(registry.verifyChain()).rejects.toThrow(/^table events \(the audit log\) is missing from the schema "promptctl"/);
    } finally {
      await registry.close();
      await writer.close();
    }
    await expect(migrate()).rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(/^tables response_cache \(the response cache\), events \(the audit log\) are missing from the schema "promptctl" \(version \d+\)/) });
  });
});

/** What `fn` throws (undefined when it returns). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('PostgreSQL faults as exit 3', () => {
  const ctx = { where: 'postgres://ana@db:5432/prompts', secrets: ['s3cr3t-pw'], doing: 'connecting' };
  const fault = (code: string, message: string) => pgFault(Object.assign(new Error(message), { code }), ctx) as UnavailableError;

  it.each([
    ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432', /cannot reach/],
    ['28P01', 'password authentication failed for user "ana"', /refused the credentials/],
    ['3D000', 'database "prompts" does not exist', /does not exist/],
    ['42501', 'permission denied for table events', /not allowed/],
    ['57P01', 'terminating connection due to administrator command', /was lost/],
    ['55P03', 'canceling statement due to lock timeout', /were locked by another session for longer than lock_timeout \(while connecting\)/],
    ['57014', 'canceling statement due to statement timeout', /cut a statement of promptctl short: statement_timeout \(while connecting\)/],
    ['57014', 'canceling statement due to user request', /cancelled a statement of promptctl while connecting/],
    ['XX000', 'internal error near s3cr3t-pw', /failed while connecting/],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate', /presented a TLS certificate promptctl does not trust/],
    ['53100', 'could not extend file "base/16384/16397": No space left on device', /is out of disk space \(while connecting\)/],
    ['53200', 'out of memory', /is out of memory/],
  ])('%s', (code, message, expected) => {
    const e = fault(code, message);
    expect(e).toBeInstanceOf(UnavailableError);
    expect(e.message).toMatch(expected);
    expect(e.hint).toBeTruthy();
    expect(`${e.message} ${e.why} ${e.hint}`).not.toContain('s3cr3t-pw');
  });

  it.each([
    ['an @ in the password', 'postgres://owner:Own@r/PW1@127.0.0.1:5432/prompts'],
    ['a / and # in the password', 'postgres://owner:Own@r/PW#1@127.0.0.1:5432/prompts'],
    ['a fragment', 'postgres://owner@127.0.0.1:5432/prompts#x'],
  ])('refuses a URL with %s unencoded (exit 2) without echoing any part of it', (_, url) => {
    const error = thrown(() => postgresTarget(url, { source: 'PROMPTCTL_REGISTRY_URL' }));
    expect(error).toMatchObject({ exitCode: 2 });
    const text = JSON.stringify(error) + String((error as Error).message);
    expect(text).toMatch(/must be percent-encoded/);
    for (const part of ['Own', 'PW', 'prompts']) expect(text).not.toContain(part);
  });

  it('refuses a stray % in the password (exit 2) without echoing it, never a crash', () => {
    const error = thrown(() => postgresTarget('postgres://rm:Sekr3t%zz@127.0.0.1:5432/prompts', { source: 'PROMPTCTL_REGISTRY_URL' }));
    expect(error).toMatchObject({ exitCode: 2 });
    expect((error as Error).message).toBe('PROMPTCTL_REGISTRY_URL has a % in the password that is not a percent-encoding (%XX)');
    expect(JSON.stringify(error)).not.toContain('Sekr3t');
  });

  it.each([
    ['the user name', 'postgres://r%zzm@127.0.0.1:5432/prompts', 'user name'],
    ['the database', 'postgres://rm@127.0.0.1:5432/pro%zzmpts', 'database name'],
  ])('refuses a stray %% in %s (exit 2): it was a URIError, exit 70', (_, url, part) => {
    const error = thrown(() => postgresTarget(url, { source: 'PROMPTCTL_REGISTRY_URL' }));
    expect(error).toMatchObject({ exitCode: 2, message: `PROMPTCTL_REGISTRY_URL has a % in the ${part} that is not a percent-encoding (%XX)`, hint: expect.stringMatching(/^percent-encode the % itself as %25/) });
  });

  it('a Unix-socket URL without a host says how to write it (exit 2); with localhost and host= it is taken as it is', () => {
    const error = thrown(() => postgresTarget('postgres://u:pw@/prompts?host=/var/run/postgresql', { source: 'PROMPTCTL_REGISTRY_URL' }));
    expect(error).toMatchObject({ exitCode: 2, message: 'PROMPTCTL_REGISTRY_URL has no host (a Unix-socket URL)', hint: expect.stringContaining('postgres://user@localhost/database?host=/var/run/postgresql') });
    expect(postgresTarget('postgres://u@localhost/prompts?host=/var/run/postgresql', {}).display).toBe('postgres://u@localhost/prompts?host=/var/run/postgresql');
  });

  it('never shows a password-like query parameter, and takes its value for a secret', () => {
    const t = postgresTarget('postgres://u@h/db?sslmode=require&sslpassword=KeyPass9&PASSWORD=Other7', {});
    expect(t.display).toBe('postgres://u@h/db?sslmode=require');
    expect(t.secrets).toEqual(expect.arrayContaining(['KeyPass9', 'Other7']));
  });

  it.each([
    ['the same as the URL scheme', 'postgres', 'password authentication failed for user "svc"'],
    ['the same as the database name', 'prompts', 'password authentication failed for user "svc"'],
    ['one letter', 'p', 'password authentication failed for user "svc"'],
  ])('a password %s: the message names the registry whole and is not starred where it is not', (_, password, raw) => {
    const e = pgFault(Object.assign(new Error(raw), { code: '28P01' }), { where: 'postgres://svc@127.0.0.1:5432/prompts', secrets: [password], doing: 'connecting' }) as UnavailableError;
    expect(e.message).toBe('PostgreSQL refused the credentials for the registry at postgres://svc@127.0.0.1:5432/prompts');
    expect(e.why).toBe('password authentication failed for user "svc"');
  });

  it("stars a short secret where it stands whole in the server's words, a long one wherever it is", () => {
    const e = pgFault(Object.assign(new Error('internal error near s3cr3t-pw, not s3cr3t-pwx'), { code: 'XX000' }), ctx) as UnavailableError;
    expect(`${e.message} ${e.why}`).toContain('internal error near ***, not s3cr3t-pwx');
    const long = pgFault(Object.assign(new Error('near xlong-secret-pw-99x'), { code: 'XX000' }), { ...ctx, secrets: ['long-secret-pw-99'] }) as UnavailableError;
    expect(`${long.message} ${long.why}`).toContain('near x***x');
  });

  it.each([
    ['postgres://u@h/db?sslmode=bogus', {}, /sslmode=bogus \(in PROMPTCTL_REGISTRY_URL\) is not an sslmode/],
    ['postgres://u@h/db', { PGSSLMODE: 'verify_full' }, /sslmode=verify_full \(in PGSSLMODE\) is not an sslmode/],
  ])('refuses an unknown sslmode in %s (exit 2) naming where it came from', (url, env, message) => {
    const error = thrown(() => postgresTarget(url, { source: 'PROMPTCTL_REGISTRY_URL', env }));
    expect(error).toMatchObject({ exitCode: 2 });
    expect((error as Error).message).toMatch(message);
    expect(postgresTarget('postgres://u@h/db?sslmode=verify-full', {}).display).toContain('sslmode=verify-full');
  });

  it.each([
    ['postgres://u@h/db?sslmode=prefer', {}, 'prefer', 'PROMPTCTL_REGISTRY_URL'],
    ['postgres://u@h/db?sslmode=allow', {}, 'allow', 'PROMPTCTL_REGISTRY_URL'],
    ['postgres://u@h/db', { PGSSLMODE: 'prefer' }, 'prefer', 'PGSSLMODE'],
  ])('refuses %s %j, a fallback pg cannot make (exit 2), naming what to use instead', (url, env, mode, from) => {
    const error = thrown(() => postgresTarget(url, { source: 'PROMPTCTL_REGISTRY_URL', env }));
    expect(error).toMatchObject({ exitCode: 2, message: `sslmode=${mode} (in ${from}) is not supported by promptctl` });
    expect((error as InputError).why).toMatch(/cannot fall back/);
    expect((error as InputError).hint).toMatch(/sslmode=verify-full .* or sslmode=disable/);
  });

  it('takes the password in the URL, then password_env\'s variable when set, then PGPASSWORD', () => {
    const config = { path: '.promptctl/registry.db', schema: 'promptctl', password_env: 'TEAM_PW' } as never;
    const at = (env: Record<string, string>) => new URL(registryTarget(config, env, (p) => p).backend === 'postgres' ? (registryTarget(config, env, (p) => p) as { pg: { url: string } }).pg.url : '').password;
    expect(at({ PROMPTCTL_REGISTRY_URL: 'postgres://u:inurl@h/db', TEAM_PW: 'team', PGPASSWORD: 'pg' })).toBe('inurl');
    expect(at({ PROMPTCTL_REGISTRY_URL: 'postgres://u@h/db', TEAM_PW: 'team', PGPASSWORD: 'pg' })).toBe('team');
    // An unset password_env variable is no error: the URL or PGPASSWORD may carry the password in CI.
    expect(at({ PROMPTCTL_REGISTRY_URL: 'postgres://u@h/db', PGPASSWORD: 'pg' })).toBe('pg');
    expect(at({ PROMPTCTL_REGISTRY_URL: 'postgres://u:inurl@h/db' })).toBe('inurl');
  });

  it('leaves an error that is not from the database alone (a bug stays a bug)', () => {
    const mine = new Error('decided against it: no SSL here');
    expect(pgFault(mine, { ...ctx, doing: 'in a transaction' })).toBe(mine);
    const leaky = pgFault(new TypeError('cannot use s3cr3t-pw here'), { ...ctx, doing: 'in a transaction' }) as Error;
    expect(`${leaky.message}${leaky.stack}`).not.toContain('s3cr3t-pw');
  });
});

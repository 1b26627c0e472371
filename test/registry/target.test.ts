import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runsInCi } from '../../src/core/ci-env.js';
import { RegistryConfig } from '../../src/core/schemas/config.js';
import { connectTimeoutMs, justUnderAnswerMs } from '../../src/infra/registry/postgres/timeouts.js';
import { postgresTarget, registryTarget } from '../../src/infra/registry/target.js';

const sqlite = RegistryConfig.parse({});
const team = RegistryConfig.parse({ url: 'postgres://ci@db:5432/prompts' });
const target = (config: RegistryConfig, env: Record<string, string | undefined>) => {
  try {
    const t = registryTarget(config, env, (p) => p);
    return t.backend === 'sqlite' ? 'sqlite' : t.pg.display;
  } catch (e) {
    return `exit ${(e as { exitCode: number }).exitCode}: ${(e as Error).message}`;
  }
};

describe('which registry a project uses', () => {
  it.each([
    ['unset, outside CI', sqlite, {}, 'sqlite'],
    ['unset, in CI', sqlite, { CI: 'true' }, 'sqlite'],
    ['empty, outside CI (a shell unsets it so)', sqlite, { PROMPTCTL_REGISTRY_URL: '' }, 'sqlite'],
    ['empty, CI=false', sqlite, { PROMPTCTL_REGISTRY_URL: '', CI: 'false' }, 'sqlite'],
    ['empty in CI (a fork pull request gets empty secrets)', sqlite, { PROMPTCTL_REGISTRY_URL: '', CI: 'true' }, 'exit 2: PROMPTCTL_REGISTRY_URL is set but empty in this CI job'],
    ['empty in CI with CI=1', sqlite, { PROMPTCTL_REGISTRY_URL: '', CI: '1' }, 'exit 2: PROMPTCTL_REGISTRY_URL is set but empty in this CI job'],
    ['empty in CI, registry.url set: the team registry', team, { PROMPTCTL_REGISTRY_URL: '', CI: 'true' }, 'postgres://ci@db:5432/prompts'],
    ['set in CI', sqlite, { PROMPTCTL_REGISTRY_URL: 'postgres://rm@h/db', CI: 'true' }, 'postgres://rm@h/db'],
    ['empty on Jenkins (JENKINS_URL, no CI)', sqlite, { PROMPTCTL_REGISTRY_URL: '', JENKINS_URL: 'http://jenkins/' }, 'exit 2: PROMPTCTL_REGISTRY_URL is set but empty in this CI job'],
    ['empty on Azure Pipelines (TF_BUILD, no CI)', sqlite, { PROMPTCTL_REGISTRY_URL: '', TF_BUILD: 'True' }, 'exit 2: PROMPTCTL_REGISTRY_URL is set but empty in this CI job'],
    ['empty on Jenkins with CI=false: switched off', sqlite, { PROMPTCTL_REGISTRY_URL: '', JENKINS_URL: 'http://jenkins/', CI: 'false' }, 'sqlite'],
  ])('%s', (_, config, env, expected) => {
    expect(target(config, env)).toBe(expected);
  });

  it.each([
    [undefined, false], ['', false], ['false', false], ['FALSE', false], ['0', false],
    ['true', true], ['1', true], ['yes', true], ['woodpecker', true],
  ])('CI=%j counts as a CI job: %s', (value, expected) => {
    expect(runsInCi({ CI: value })).toBe(expected);
  });

  it.each([
    [{ JENKINS_URL: 'http://jenkins/' }, true],
    [{ TF_BUILD: 'True' }, true],
    [{ TEAMCITY_VERSION: '2024.03' }, true],
    [{ GITLAB_CI: 'true' }, true],
    [{ CODEBUILD_BUILD_ID: 'proj:1' }, true],
    [{ JENKINS_URL: '' }, false],
    [{ TF_BUILD: 'False' }, false],
    [{ JENKINS_URL: 'http://jenkins/', CI: 'false' }, false],
    [{ JENKINS_URL: 'http://jenkins/', CI: '0' }, false],
    [{ BUILD_ID: '12' }, false],
  ])('a service that does not set CI: %j counts as a CI job: %s', (env, expected) => {
    expect(runsInCi(env)).toBe(expected);
  });

  it.each([
    ['nothing: 10 s', 'postgres://u@h/db', {}, 10_000],
    ['PGCONNECT_TIMEOUT, as libpq reads it', 'postgres://u@h/db', { PGCONNECT_TIMEOUT: '3' }, 3_000],
    ['the URL wins over PGCONNECT_TIMEOUT', 'postgres://u@h/db?connect_timeout=4', { PGCONNECT_TIMEOUT: '3' }, 4_000],
    ['PGCONNECT_TIMEOUT=0 (libpq: forever) is the default, never unbounded', 'postgres://u@h/db', { PGCONNECT_TIMEOUT: '0' }, 10_000],
  ])('connecting waits: %s', (_, url, env, ms) => {
    expect(connectTimeoutMs(postgresTarget(url, { env }).url)).toBe(ms);
  });

  it.each([
    ['in the URL', 'postgres://u@h/db?connect_timeout=5s', {}, 'exit 2: connect_timeout=5s (in the registry URL) is not a whole number of seconds'],
    ['in PGCONNECT_TIMEOUT', 'postgres://u@h/db', { PGCONNECT_TIMEOUT: 'x' }, 'exit 2: connect_timeout=x (in PGCONNECT_TIMEOUT) is not a whole number of seconds'],
    ['a fraction', 'postgres://u@h/db?connect_timeout=1.5', {}, 'exit 2: connect_timeout=1.5 (in the registry URL) is not a whole number of seconds'],
    ['a bad PGCONNECT_TIMEOUT the URL overrides', 'postgres://u@h/db?connect_timeout=4', { PGCONNECT_TIMEOUT: 'x' }, 'ok'],
  ])('a connect_timeout that is not whole seconds is refused: %s', (_, url, env, expected) => {
    let got = 'ok';
    try {
      postgresTarget(url, { env });
    } catch (e) {
      got = `exit ${(e as { exitCode: number }).exitCode}: ${(e as Error).message}`;
    }
    expect(got).toBe(expected);
  });

  // pg hands query_timeout's text to setTimeout: each of these ended every statement at once, which
  // every command reported as a server that never answered (exit 3).
  it.each([
    ['a unit', 'postgres://u@h/db?query_timeout=5s', 'exit 2: query_timeout=5s (in the registry URL) is not a whole number of milliseconds up to 2147483647'],
    ['a word', 'postgres://u@h/db?query_timeout=abc', 'exit 2: query_timeout=abc (in the registry URL) is not a whole number of milliseconds up to 2147483647'],
    ['a negative', 'postgres://u@h/db?query_timeout=-5', 'exit 2: query_timeout=-5 (in the registry URL) is not a whole number of milliseconds up to 2147483647'],
    ['a fraction', 'postgres://u@h/db?query_timeout=1.5', 'exit 2: query_timeout=1.5 (in the registry URL) is not a whole number of milliseconds up to 2147483647'],
    ['past what a timer holds', 'postgres://u@h/db?query_timeout=99999999999', 'exit 2: query_timeout=99999999999 (in the registry URL) is not a whole number of milliseconds up to 2147483647'],
    ['whole milliseconds', 'postgres://u@h/db?query_timeout=60000', 'ok'],
    ['the largest a timer holds', 'postgres://u@h/db?query_timeout=2147483647', 'ok'],
  ])('a query_timeout that is not whole milliseconds is refused: %s', (_, url, expected) => {
    let got = 'ok';
    try {
      postgresTarget(url, { source: 'the registry URL' });
    } catch (e) {
      got = `exit ${(e as { exitCode: number }).exitCode}: ${(e as Error).message}`;
    }
    expect(got).toBe(expected);
  });

  // pg takes one host: it looked `h1,h2` up as one name (ENOTFOUND, exit 3), or found no URL in `h1:5432,h2:5432`.
  it.each([
    ['a list of hosts', 'postgres://u:pw@h1,h2/db', 'h1,h2'],
    ['each with its port', 'postgres://u:pw@h1:5432,h2:5433/db', 'h1:5432,h2:5433'],
    ['in the host parameter', 'postgres://u@localhost/db?host=%2Frun%2Fa,%2Frun%2Fb', '/run/a,/run/b'],
  ])('a URL naming more than one host is refused (exit 2), saying one is supported: %s', (_, url, hosts) => {
    const e = (() => {
      try {
        postgresTarget(url, { source: 'PROMPTCTL_REGISTRY_URL' });
      } catch (err) {
        return err as { exitCode: number; message: string; hint: string };
      }
      throw new Error('not refused');
    })();
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe(`PROMPTCTL_REGISTRY_URL names more than one host (${hosts}); promptctl connects to one`);
    expect(e.hint).toMatch(/^name one host/);
    expect(`${e.message} ${e.hint}`).not.toContain('pw');
  });

  it.each(['postgres://alice:s3cr,etpw/x@db.example/reg', 'postgres://alice:s3cr,etpw?x@db.example/reg'])('a password with a comma and an unencoded / or ? never reaches the message: %s', (url) => {
    let message = '';
    try {
      postgresTarget(url, { source: 'PROMPTCTL_REGISTRY_URL' });
    } catch (err) {
      message = `${(err as Error).message} ${(err as { hint?: string }).hint ?? ''} ${(err as { why?: string }).why ?? ''}`;
    }
    expect(message).not.toBe('');
    expect(message).not.toContain('s3cr');
    expect(message).not.toContain('etpw');
  });

  it.each(['postgres://owner1:/S3cretTail@127.0.0.1:5432/prompts', 'postgres://owner1:2024/S3cretTail@127.0.0.1:5432/prompts', 'postgres://owner1:12?S3cretTail@127.0.0.1:5432/prompts', 'postgres://u@db/x?application_name=ci@S3cretTail'])(
    'an @ after the host (a password with an unencoded / or ?) is exit 2, never echoed: %s',
    (url) => {
      const e = (() => {
        try {
          postgresTarget(url, { source: 'PROMPTCTL_REGISTRY_URL' });
        } catch (err) {
          return err as { exitCode: number; message: string; why: string; hint: string };
        }
        throw new Error('not refused');
      })();
      expect(e.exitCode).toBe(2);
      expect(e.message).toMatch(/must be percent-encoded/);
      expect(`${e.message} ${e.why} ${e.hint}`).not.toContain('S3cretTail');
    },
  );

  it('the same URLs percent-encoded are taken, and shown without the password', () => {
    expect(postgresTarget('postgres://owner1:%2FS3cretTail@127.0.0.1:5432/prompts').display).toBe('postgres://owner1@127.0.0.1:5432/prompts');
    expect(postgresTarget('postgres://u@db/x?application_name=ci%40runner').display).toBe('postgres://u@db/x?application_name=ci%40runner');
  });

  it('a comma in the password is no list of hosts', () => {
    expect(postgresTarget('postgres://u:p%2Cw,x@h/db').display).toBe('postgres://u@h/db');
  });

  it('query_timeout=0 waits the default, as connect_timeout=0 does, and is shown as written', () => {
    const target = postgresTarget('postgres://u:pw@h/db?query_timeout=0');
    expect(new URL(target.url).searchParams.has('query_timeout')).toBe(false);
    expect(justUnderAnswerMs(target.url, 120_000)).toBe(108_000);
    expect(target.display).toBe('postgres://u@h/db?query_timeout=0');
  });

  // `registry migrate` migrates the project's configured registry: a URL named otherwise is named in the hint's command.
  it.each([
    ['PROMPTCTL_REGISTRY_URL', 'PROMPTCTL_REGISTRY_URL', undefined],
    ['registry.url in .promptrc.yaml', 'registry.url in .promptrc.yaml', undefined],
    ['registry push --to', '--to', "PROMPTCTL_REGISTRY_URL='postgres://rm@h:5432/db?sslmode=disable' promptctl registry migrate"],
    ['the library', undefined, "PROMPTCTL_REGISTRY_URL='postgres://rm@h:5432/db?sslmode=disable' promptctl registry migrate"],
  ])('the migrate command for a URL from %s', (_, source, command) => {
    expect(postgresTarget('postgres://rm:s3cret@h:5432/db?sslmode=disable', { source }).migrateCommand).toBe(command);
  });

  it("the library's reader (its schema chosen by openRegistry's option): the command names the schema owner, not the reader's user", () => {
    const target = postgresTarget('postgres://app:s3cret@h:5432/db', { schemaPlace: "openRegistry's schema option", schema: 'team_a' });
    expect(target.migrateCommand).toBe("PROMPTCTL_REGISTRY_URL='postgres://<schema owner>@h:5432/db' promptctl registry migrate");
  });
});

/**
 * What pg connects with says user, host, port and database itself, filled from the `env` given by
 * libpq's rules: pg would otherwise fill them from process.env (another project's, for a library
 * call). The URL shown stays as written.
 */
describe('a registry URL is completed from the env given, never left for pg to fill', () => {
  const connect = (url: string, env: Record<string, string>) => {
    const u = new URL(postgresTarget(url, { env: { PGPASSFILE: '/nonexistent', ...env } }).url);
    const p = u.searchParams;
    return { user: u.username || p.get('user'), host: u.hostname || p.get('host'), port: u.port || p.get('port'), database: u.pathname.slice(1), password: u.password };
  };
  it.each([
    ['the URL says everything', 'postgres://u@h:5433/db', { PGUSER: 'x', PGHOST: 'y', PGPORT: '1', PGDATABASE: 'z' }, { user: 'u', host: 'h', port: '5433', database: 'db', password: '' }],
    ['PGUSER and PGDATABASE fill the gaps', 'postgres://h', { PGUSER: 'alice', PGDATABASE: 'reg_b' }, { user: 'alice', host: 'h', port: '5432', database: 'reg_b', password: '' }],
    ['the database defaults to the user', 'postgres://alice@h', {}, { user: 'alice', host: 'h', port: '5432', database: 'alice', password: '' }],
    ['PGHOST and PGPORT for a URL without a host', 'postgres:///db', { PGUSER: 'u', PGHOST: '/var/run/postgresql', PGPORT: '6543' }, { user: 'u', host: '/var/run/postgresql', port: '6543', database: 'db', password: '' }],
  ])('%s', (_, url, env, expected) => {
    expect(connect(url, env)).toEqual(expected);
  });

  it('shows the URL as written', () => {
    expect(postgresTarget('postgres://h', { env: { PGUSER: 'alice', PGDATABASE: 'reg_b', PGPASSFILE: '/nonexistent' } }).display).toBe('postgres://h');
  });

  it("finds a ~/.pgpass line for localhost for the README's socket URL, as libpq does for its socket folder", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'promptctl-pgpass-'));
    const file = path.join(dir, 'pgpass');
    writeFileSync(file, 'localhost:5432:db:alice:s3cret\n', { mode: 0o600 });
    try {
      expect(connect('postgres://alice@localhost/db?host=/var/run/postgresql', { PGPASSFILE: file }).password).toBe('s3cret');
      expect(connect('postgres://alice@localhost/db', { PGPASSFILE: file }).password).toBe('s3cret');
      expect(connect('postgres://alice@db.internal/db', { PGPASSFILE: file }).password).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a PGPORT that is no port, naming it', () => {
    expect(() => postgresTarget('postgres://u@h/db', { env: { PGPORT: '54x' } })).toThrow(/PGPORT=54x is not a port number/);
  });
});

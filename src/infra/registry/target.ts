import { runsInCi } from '../../core/ci-env.js';
import { emptySecretInCi } from '../../core/empty-secret.js';
import { InputError } from '../../core/errors.js';
import { pgSchemaNameProblem } from '../../core/pg-schema-name.js';
import type { RegistryConfig } from '../../core/schemas/config.js';
import { FALLBACK_SSL_MODES, SSL_MODES } from '../../core/pg-url.js';
import { hasStrayAt } from '../../core/url-userinfo.js';
import type { PgTarget } from './postgres/pg-target.js';
import { decodedUrlPart, withLibpqDefaults } from './postgres/libpq-env.js';
import { passwordFile, pgpassPassword } from './postgres/pgpass.js';
import { decodeURIComponentSafe, refuseChosenElsewhere } from './url-chosen-elsewhere.js';
import { addressFrom, refuseUnreadLibpq } from './libpq-unread.js';
import { refuseSystemRootCert, withoutUnreadTlsFiles } from './tls-files.js';

/**
 * Which registry a project uses: the SQLite file of `registry.path` (the default), or PostgreSQL
 * when `PROMPTCTL_REGISTRY_URL` is set (it wins) or `registry.url` is. The password comes only
 * from the environment: the URL in PROMPTCTL_REGISTRY_URL, the variable `registry.password_env`
 * names, PGPASSWORD, or the password file (PGPASSFILE or ~/.pgpass). It is never part of what is shown.
 */

export type Env = Record<string, string | undefined>;

export type RegistryTarget = { backend: 'sqlite'; path: string } | { backend: 'postgres'; pg: PgTarget };

export const REGISTRY_URL_ENV = 'PROMPTCTL_REGISTRY_URL';


export function registryTarget(config: RegistryConfig, env: Env, resolvePath: (p: string) => string): RegistryTarget {
  const fromEnv = env[REGISTRY_URL_ENV];
  if (fromEnv) return { backend: 'postgres', pg: postgresTarget(fromEnv, { schema: config.schema, ...configPassword(config, env), env, source: REGISTRY_URL_ENV }) };
  if (config.url) return { backend: 'postgres', pg: postgresTarget(config.url, { schema: config.schema, ...configPassword(config, env), env, source: 'registry.url in .promptrc.yaml' }) };
  if (fromEnv !== undefined && runsInCi(env)) throw emptyUrlInCi();
  return { backend: 'sqlite', path: resolvePath(config.path) };
}

/**
 * A CI job whose PROMPTCTL_REGISTRY_URL is set but empty: GitHub gives pull requests from forks
 * empty secrets, and the job would otherwise judge against a fresh local SQLite registry (no
 * baseline, no deployed versions) and pass. Outside CI an empty variable means unset, as in a shell.
 */
function emptyUrlInCi(): InputError {
  return emptySecretInCi(REGISTRY_URL_ENV, 'the job would use a fresh SQLite registry instead of the team registry, so there is no baseline and nothing deployed to judge against', 'to use the SQLite registry on purpose');
}

/**
 * The password from the environment, after the one in the URL itself: the variable
 * `registry.password_env` names when it is set, else PGPASSWORD (then the password file). An unset
 * `password_env` variable is not an error: CI may give the password in PROMPTCTL_REGISTRY_URL or
 * PGPASSWORD instead; a server that then refuses the login says which sources were tried.
 */
export function envPassword(config: RegistryConfig, env: Env): string | undefined {
  return (config.password_env ? env[config.password_env] : undefined) || env.PGPASSWORD || undefined;
}

/** What `postgresTarget` takes from the project's registry config: the password and the variable named for it. */
export function configPassword(config: RegistryConfig, env: Env): { password?: string; passwordFrom?: string; passwordEnv?: PgTarget['passwordEnv'] } {
  const password = envPassword(config, env);
  const fromNamed = Boolean(config.password_env && env[config.password_env]);
  const passwordFrom = fromNamed ? `${config.password_env} (registry.password_env names it)` : 'PGPASSWORD';
  return { ...(password ? { password, passwordFrom } : {}), ...(config.password_env ? { passwordEnv: { name: config.password_env, set: Boolean(env[config.password_env]) } } : {}) };
}

/**
 * A connection target for `url`: the password of the URL itself wins, then `password`, then the
 * password file. libpq's PGSSLMODE, PGSSLROOTCERT, PGCONNECT_TIMEOUT and PGSSLNEGOTIATION, and
 * PGUSER, PGHOST, PGPORT and PGDATABASE (libpq-env.ts), apply when the URL does not say
 * (sslmode=verify-full&sslrootcert=...&connect_timeout=5): from `env` only, never process.env.
 * `urlEnvUnread`: the URL was given instead of PROMPTCTL_REGISTRY_URL (`registry push --to`), so
 * no hint names that variable as a place the password is read from. `schemaPlace`: where the
 * caller chooses the schema (registry.schema in .promptrc.yaml; the library's `schema` option), for
 * a URL parameter that tries to (url-chosen-elsewhere.ts).
 */
export function postgresTarget(raw: string, opts: { schema?: string; schemaPlace?: string; password?: string; passwordFrom?: string; passwordEnv?: PgTarget['passwordEnv']; env?: Env; source?: string; urlEnvUnread?: true } = {}): PgTarget {
  const source = opts.source ?? 'the registry URL';
  const schema = opts.schema ?? 'promptctl';
  // The same rule as registry.schema in .promptrc.yaml: the name goes into SQL and the search path unquoted.
  const problem = pgSchemaNameProblem(schema);
  if (problem) throw new InputError({ message: `registry schema "${schema}" ${problem}`, hint: 'use lowercase letters, digits and _ only, not starting with pg_, e.g. promptctl' });
  // A password with an unencoded @, /, ? or # makes the URL mean another host; its tail would show
  // as that host in every message (core/url-userinfo.ts: an @ after the host). Refused without echoing the URL.
  if (raw.includes('#') || (raw.split('?')[0]!.match(/@/g) ?? []).length > 1 || hasStrayAt(raw)) {
    throw new InputError({
      message: `${source} has a character that must be percent-encoded (an @, /, ? or # in the user name or password, or an @ after the host)`,
      why: 'in a URL these characters end the password or the host, so the rest would be taken for the server name',
      hint: 'percent-encode them in the password: @ as %40, / as %2F, ? as %3F, # as %23, : as %3A (encodeURIComponent does it), and an @ in a parameter as %40; or give the password in PGPASSWORD instead',
    });
  }
  refuseHostList(raw, source);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // libpq's form for a Unix socket (no host, the socket folder in host=) is no URL to Node.
    if (/^postgres(ql)?:\/\/([^@/]*@)?\//.test(raw)) {
      throw new InputError({
        message: `${source} has no host (a Unix-socket URL)`,
        hint: 'put localhost in the host place and the socket folder in host=: postgres://user@localhost/database?host=/var/run/postgresql',
      });
    }
    throw new InputError({ message: `${source} is not a valid URL`, hint: 'write it as postgres://user@host:5432/database' });
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new InputError({ message: `${source} must be a postgres:// URL`, hint: 'write it as postgres://user@host:5432/database, or unset it to use the SQLite registry (registry.path)' });
  }
  refuseChosenElsewhere(url, source, schema, opts.schemaPlace ?? 'registry.schema in .promptrc.yaml');
  refuseUnreadLibpq(url, opts.env ?? {}, source);
  const inUrl = url.password ? decodedUrlPart(url.password, 'password', source) : (url.searchParams.get('password') ?? undefined);
  const env = opts.env ?? {};
  const sslFrom = url.searchParams.has('sslmode') ? source : 'PGSSLMODE';
  const timeoutFrom = url.searchParams.has('connect_timeout') ? source : 'PGCONNECT_TIMEOUT';
  const rootCertFrom = url.searchParams.has('sslrootcert') ? source : 'PGSSLROOTCERT';
  for (const [param, variable] of [['sslmode', 'PGSSLMODE'], ['sslrootcert', 'PGSSLROOTCERT'], ['connect_timeout', 'PGCONNECT_TIMEOUT'], ['sslnegotiation', 'PGSSLNEGOTIATION']] as const) {
    const value = env[variable];
    // A connection without TLS reads no root certificate (libpq): PGSSLROOTCERT kept for other servers is not this URL's.
    if (param === 'sslrootcert' && url.searchParams.getAll('sslmode').at(-1) === 'disable') continue;
    if (value && !url.searchParams.has(param)) url.searchParams.set(param, value);
  }
  refuseSystemRootCert(url, rootCertFrom);
  // libpq's modes: a typo would otherwise surface as a TLS failure at connect time (exit 3).
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode !== null && FALLBACK_SSL_MODES.includes(sslmode)) {
    throw new InputError({
      message: `sslmode=${sslmode} (in ${sslFrom}) is not supported by promptctl`,
      why: `with libpq, ${sslmode} tries ${sslmode === 'prefer' ? 'TLS first and then a plain connection' : 'a plain connection first and then TLS'}; the pg driver promptctl uses cannot fall back, and would demand a verified TLS connection instead`,
      hint: 'say which one you mean: sslmode=verify-full (with sslrootcert=/path/ca.pem for a private CA) for a server with TLS, or sslmode=disable for one without',
    });
  }
  if (sslmode !== null && !SSL_MODES.includes(sslmode)) {
    throw new InputError({
      message: `sslmode=${sslmode} (in ${sslFrom}) is not an sslmode`,
      hint: `use one of ${SSL_MODES.join(', ')} (verify-full checks the server's certificate and name)`,
    });
  }
  // libpq takes whole seconds; a typo (`5s`, `x`) would otherwise wait the default 10 s without a word.
  const timeout = url.searchParams.get('connect_timeout');
  if (timeout !== null && !/^\s*\d+\s*$/.test(timeout)) {
    throw new InputError({
      message: `connect_timeout=${timeout} (in ${timeoutFrom}) is not a whole number of seconds`,
      why: 'it says how long connecting to PostgreSQL may wait, in seconds, as libpq reads it',
      hint: 'write it as a whole number of seconds, e.g. connect_timeout=5 (0 or none: the default, 10)',
    });
  }
  const answerWait = checkedQueryTimeout(url, source);
  const shown = new URL(url.toString());
  withoutUnreadTlsFiles(url);
  shown.password = '';
  // 0 means the default wait, as connect_timeout=0 does: pg would read "0" as a 0 ms wait.
  if (answerWait === 0) url.searchParams.delete('query_timeout');
  // password, sslpassword (a client key's passphrase) and any look-alike are never shown.
  const secretParams = [...shown.searchParams.keys()].filter((k) => /pass/i.test(k));
  const paramSecrets = secretParams.flatMap((k) => shown.searchParams.getAll(k));
  for (const k of secretParams) shown.searchParams.delete(k);
  const address = addressFrom(url, env);
  // Shown as written; connected to with every gap filled from `env`, never by pg from process.env.
  const identity = withLibpqDefaults(url, env, source);
  const file = passwordFile(env);
  const fromFile = inUrl || opts.password ? undefined : pgpassPassword(file, identity);
  const password = inUrl || opts.password || fromFile;
  const passwordFrom = inUrl ? `the URL in ${source}` : opts.password ? opts.passwordFrom : fromFile ? `the password file (${env.PGPASSFILE ? 'PGPASSFILE' : '~/.pgpass'})` : undefined;
  if (password && !url.password && !url.searchParams.has('password')) {
    url.password = encodeURIComponent(password);
    // A URL without a host (postgres:///db) holds no password: pg reads the parameter then.
    if (!url.password) url.searchParams.set('password', password);
  }
  const connect = url.toString();
  // Scrubbing the password hides it inside any URL too; the URL without it is fine to show.
  const secrets = [...(password ? [password, encodeURIComponent(password)] : []), ...paramSecrets].filter(Boolean);
  // Only a URL the project's config and PROMPTCTL_REGISTRY_URL do not name needs its own in the
  // migrate command (quoted: a URL's & and ? mean something to the shell).
  const named = opts.source === REGISTRY_URL_ENV || opts.source?.startsWith('registry.url');
  // The library's reader logs in as a reader, which may not migrate: its user is not the one to run it as.
  const migrateUrl = opts.schemaPlace && shown.username ? shown.toString().replace(`//${shown.username}@`, '//<schema owner>@') : shown.toString();
  const migrateCommand = named ? undefined : `${REGISTRY_URL_ENV}='${migrateUrl}' promptctl registry migrate`;
  return { url: connect, schema, display: shown.toString(), secrets, ...(migrateCommand ? { migrateCommand } : {}), ...(opts.passwordEnv ? { passwordEnv: opts.passwordEnv } : {}), ...(passwordFrom ? { passwordFrom } : {}), ...(file ? { passwordFile: { name: file.name, ...(file.ignoredMode ? { ignoredMode: file.ignoredMode } : {}) } } : {}), ...(opts.urlEnvUnread ? { urlEnvUnread: true as const } : {}), ...(address ? { addressFrom: address } : {}) };
}

/**
 * `query_timeout` (ms) in the URL, checked: pg hands the text to setTimeout, so `5s`, `abc`, `-5`
 * or `0` ended every statement at once, which every command then reported as a server that never
 * answered (exit 3). Undefined when the URL does not say.
 */
const MAX_TIMER_MS = 2_147_483_647;

function checkedQueryTimeout(url: URL, source: string): number | undefined {
  const value = url.searchParams.get('query_timeout');
  if (value === null) return undefined;
  // Above 2^31-1 ms Node's setTimeout fires after 1 ms: the same "no answer" at once.
  if (!/^\s*\d+\s*$/.test(value) || Number(value) > MAX_TIMER_MS) {
    throw new InputError({
      message: `query_timeout=${value} (in ${source}) is not a whole number of milliseconds up to ${MAX_TIMER_MS}`,
      why: 'it says how long promptctl waits for the answer to each statement, in milliseconds',
      hint: 'write it as a whole number of milliseconds, e.g. query_timeout=60000 (0 or none: the default, 120000 for commands and 10000 for the library\'s reader)',
    });
  }
  return Number(value);
}

/**
 * libpq's list of hosts to try in turn (`postgres://u@h1,h2/db`, or `?host=h1,h2`): pg, which
 * promptctl connects through, takes one host, and looked the whole list up as one name (ENOTFOUND,
 * blamed on the server), or found no URL in it at all when each host had its port. Bad input (exit 2).
 * The hosts are after the user name and password, so naming them shows no secret (see hasStrayAt).
 */
function refuseHostList(raw: string, source: string): void {
  const authority = /^[a-z]+:\/\/(?:[^@/?#]*@)?([^/?#]*)/i.exec(raw);
  const inAuthority = authority?.[1] ?? '';
  const inParam = /[?&]host=([^&#]*)/.exec(raw)?.[1] ?? '';
  const hosts = [inAuthority, decodeURIComponentSafe(inParam)].find((h) => h.includes(','));
  if (hosts === undefined) return;
  // What it took for hosts is no user and password: an @ after them was refused first (hasStrayAt).
  throw new InputError({
    message: `${source} names more than one host (${hosts}); promptctl connects to one`,
    why: "the pg driver promptctl connects through takes one host: libpq's list of hosts tried in turn (with target_session_attrs) is not supported",
    hint: "name one host: the primary server's, or a name that always leads to it (a DNS name your failover moves, or a proxy such as PgBouncer or HAProxy in front of the servers)",
  });
}

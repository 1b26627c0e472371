import { InputError } from '../../core/errors.js';

type Env = Record<string, string | undefined>;

/**
 * libpq connection settings the pg driver does not read, refused (exit 2) rather than dropped: with
 * them psql connects where the user means, and promptctl went to localhost:5432 (a `service=` URL),
 * looked a PGHOST list up as one name (ENOTFOUND), or looked up the host `hostaddr=` was to skip.
 * The same rule as url-chosen-elsewhere.ts: a setting pg would silently not honour is bad input,
 * naming the setting, where it came from and what to write instead.
 */

/** What the URL leaves out that libpq would take from a service (PGSERVICE) and pg takes from PGUSER etc. or the defaults. */
function leftOut(url: URL): string[] {
  const p = url.searchParams;
  return [
    ['host', !p.get('host') && !url.hostname],
    ['port', !p.get('port') && !url.port],
    ['user', !p.get('user') && !url.username],
    ['database', !url.pathname.slice(1)],
  ].flatMap(([name, missing]) => (missing ? [name as string] : []));
}

/**
 * Where the host and port came from when the URL names neither (PGHOST, PGPORT, or the defaults), for
 * a fault's hint: the URL shown has no host to check. Undefined when the URL names both.
 */
export function addressFrom(url: URL, env: Env): string | undefined {
  const missing = leftOut(url);
  const parts = [
    ...(missing.includes('host') ? [env.PGHOST ? `the host ${env.PGHOST} from PGHOST` : 'the host localhost (the default: PGHOST is not set)'] : []),
    ...(missing.includes('port') ? [env.PGPORT ? `the port ${env.PGPORT} from PGPORT` : 'the port 5432 (the default: PGPORT is not set)'] : []),
  ];
  return parts.length ? parts.join(' and ') : undefined;
}

export function refuseUnreadLibpq(url: URL, env: Env, source: string): void {
  const service = url.searchParams.get('service');
  if (service !== null) {
    throw new InputError({
      message: `${source} names the connection service ${service} (service=), which promptctl does not read`,
      why: "libpq reads the host, port, database and user from that service's entry in pg_service.conf; the pg driver promptctl connects through reads no service file, and would connect to localhost:5432 instead",
      hint: `write what the service's entry says in the URL itself: postgres://user@host:5432/database (with its sslmode and other settings as parameters), and remove service=`,
    });
  }
  const hostaddr = url.searchParams.get('hostaddr');
  if (hostaddr !== null) {
    throw new InputError({
      message: `${source} gives hostaddr=${hostaddr}, which promptctl does not read`,
      why: 'libpq connects to that address instead of looking the host name up; the pg driver promptctl connects through ignores it and would look the host name up',
      hint: `put the address in the host place (postgres://user@${hostaddr.includes(':') ? `[${hostaddr}]` : hostaddr}:5432/database) and remove hostaddr=; with sslmode=verify-full the server's certificate must then name that address, or make the host name resolve to it`,
    });
  }
  if (env.PGHOSTADDR) {
    throw new InputError({
      message: `PGHOSTADDR=${env.PGHOSTADDR} is set, and promptctl does not read it`,
      why: `libpq would connect to that address whatever host ${source} names; the pg driver promptctl connects through ignores it`,
      hint: `put the address in the host place of the URL (postgres://user@${env.PGHOSTADDR}:5432/database), or unset PGHOSTADDR for promptctl`,
    });
  }
  const missing = leftOut(url);
  if (env.PGSERVICE && missing.length) {
    throw new InputError({
      message: `PGSERVICE=${env.PGSERVICE} is set, and promptctl does not read connection service files`,
      why: `${source} leaves out the ${missing.join(', ')}, which libpq would take from that service's entry in pg_service.conf; promptctl would take them from PGHOST, PGPORT, PGUSER and PGDATABASE or the defaults (localhost, 5432, the OS user) instead`,
      hint: `write the ${missing.join(', ')} from the service's entry in the URL (postgres://user@host:5432/database), or unset PGSERVICE for promptctl`,
    });
  }
  if (missing.includes('host') && env.PGHOST?.includes(',')) {
    throw new InputError({
      message: `PGHOST names more than one host (${env.PGHOST}); promptctl connects to one`,
      why: `${source} names no host, so it comes from PGHOST; the pg driver promptctl connects through takes one host: libpq's list of hosts tried in turn (with target_session_attrs) is not supported`,
      hint: "set PGHOST (or the URL's host) to one host: the primary server's, or a name that always leads to it (a DNS name your failover moves, or a proxy such as PgBouncer or HAProxy in front of the servers)",
    });
  }
}

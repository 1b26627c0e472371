import os from 'node:os';
import { InputError } from '../../../core/errors.js';

type Env = Record<string, string | undefined>;

/** Whom and where a connection goes: what libpq's PGUSER, PGHOST, PGPORT and PGDATABASE fill in. */
export interface LibpqIdentity {
  user: string;
  host: string;
  port: string;
  database: string;
}

/**
 * The user, host, port and database of `url` by libpq's rules, written into `url` where it does
 * not say them: the URL (or its `user`, `host`, `port` parameters, which pg reads first), else
 * PGUSER, PGHOST, PGPORT and PGDATABASE of `env`, else the defaults (the OS user; localhost, pg's
 * default rather than libpq's socket; 5432; the user's name for the database).
 *
 * Why here and not in pg: pg fills whatever a URL leaves out from `process.env`. For the CLI that
 * is the same environment, but a use case called as a library with `env` (a service working for
 * several projects) would read, write or log in to another project's registry. So the URL pg gets
 * says everything itself (connection.ts also keeps pg from taking a password from process.env).
 */
export function withLibpqDefaults(url: URL, env: Env, source: string): LibpqIdentity {
  const p = url.searchParams;
  const user = p.get('user') || decodedUrlPart(url.username, 'user name', source) || env.PGUSER || osUser(env, source);
  if (!p.get('user') && !url.username) setOrParam(url, 'username', 'user', encodeURIComponent(user), user);
  // A socket folder or an IPv6 address is no URL host name: `host=` takes either verbatim, as in libpq.
  const host = p.get('host') || url.hostname || env.PGHOST || 'localhost';
  if (!p.get('host') && !url.hostname) p.set('host', host);
  const port = p.get('port') || url.port || env.PGPORT || '5432';
  if (!p.get('port') && !url.port) {
    if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
      throw new InputError({
        message: `PGPORT=${port} is not a port number`,
        why: `${source} names no port, so it comes from PGPORT, as libpq reads it`,
        hint: 'set PGPORT to the server\'s TCP port (e.g. 5432), or put the port in the URL: postgres://user@host:5432/database',
      });
    }
    setOrParam(url, 'port', 'port', port, port);
  }
  // pg reads the database from the path only (decodeURI), never from a dbname= parameter.
  const inPath = url.pathname.slice(1);
  const database = inPath ? decodedUrlPart(inPath, 'database name', source, decodeURI) : env.PGDATABASE || user;
  if (!inPath) url.pathname = `/${encodeURI(database)}`;
  return { user, host, port, database };
}

/**
 * A percent-encoded part of a registry URL (`source` names where it came from), decoded; a stray %
 * (one that starts no %XX) is bad input (exit 2), never a crash: the user name, the database and
 * (target.ts) the password. `decode` is how pg decodes that part (the database with decodeURI).
 */
export function decodedUrlPart(encoded: string, part: 'user name' | 'database name' | 'password', source: string, decode: (text: string) => string = decodeURIComponent): string {
  try {
    return decode(encoded);
  } catch {
    throw new InputError({
      message: `${source} has a % in the ${part} that is not a percent-encoding (%XX)`,
      why: `in a URL a % starts an escape of two hex digits, so the ${part} cannot be read`,
      hint: `percent-encode the % itself as %25 (encodeURIComponent does it)${part === 'password' ? ', or give the password in PGPASSWORD instead' : ''}`,
    });
  }
}

/** A URL without a host (postgres:///db) can hold no user or port: pg reads them from parameters then. */
function setOrParam(url: URL, part: 'username' | 'port', param: string, encoded: string, value: string): void {
  url[part] = encoded;
  if (url[part] !== encoded) url.searchParams.set(param, value);
}

/** libpq's default user: the operating system's user the process runs as. */
function osUser(env: Env, source: string): string {
  try {
    return os.userInfo().username;
  } catch {
    // A container user with no entry in /etc/passwd has no name to ask for.
    const named = env.USER || env.USERNAME;
    if (named) return named;
    throw new InputError({
      message: `${source} names no PostgreSQL user, and there is none to default to`,
      why: 'without a user in the URL or PGUSER, libpq logs in as the operating system user, and this process has no user name',
      hint: 'put the user in the URL (postgres://user@host:5432/database) or set PGUSER',
    });
  }
}

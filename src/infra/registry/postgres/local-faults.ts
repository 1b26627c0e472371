import { errorCode, UnavailableError } from '../../../core/errors.js';

/**
 * Faults on this machine's side of a connection, before any server could answer (faults.ts): a
 * Unix socket with no server behind it, and a TLS file the URL names that cannot be read. Worded
 * apart because the general answer ("see the PostgreSQL server log; check sslmode") sends a person
 * to a server log that says nothing about either.
 */

interface LocalContext {
  where: string;
  doing: string;
  /** Where the URL is set, for the hint. */
  urlHint: string;
  /** Met while connecting again mid-command: how the command goes on (faults.ts goOnHint), appended to the hint. */
  goOn?: string;
}

/** The URL parameters whose file pg reads while connecting (target.ts fills sslrootcert from PGSSLROOTCERT). */
const TLS_FILES = ['sslrootcert', 'sslcert', 'sslkey'];

/** The fault for `err` when it is one of these, else undefined. */
export function localFault(err: unknown, detail: string, ctx: LocalContext): UnavailableError | undefined {
  const code = errorCode(err);
  const { syscall, address, path } = (err ?? {}) as { syscall?: unknown; address?: unknown; path?: unknown };
  if (syscall === 'connect' && typeof address === 'string' && address.startsWith('/')) return socketFault(code, address, detail, ctx);
  if (syscall === 'open' && typeof path === 'string' && (code === 'ENOENT' || code === 'EACCES')) return tlsFileFault(code, path, detail, ctx);
  return undefined;
}

function socketFault(code: string | undefined, socket: string, detail: string, ctx: LocalContext): UnavailableError | undefined {
  const folder = socket.slice(0, socket.lastIndexOf('/')) || '/';
  const port = /\.s\.PGSQL\.(\d+)$/.exec(socket)?.[1];
  const where = `check host= (the socket folder: the server's unix_socket_directories) and the port${port ? ` (${port})` : ''} in ${ctx.urlHint}`;
  if (code === 'ENOENT' || code === 'ECONNREFUSED') {
    return new UnavailableError({
      message: `no PostgreSQL server listens on the Unix socket of the registry at ${ctx.where}`,
      why:
        code === 'ENOENT'
          ? `${detail} (${code}) while ${ctx.doing}: there is no socket ${socket}: the server is not running, or keeps its socket in another folder than ${folder}, or listens on another port`
          : `${detail} (${code}) while ${ctx.doing}: the socket ${socket} is there but no server accepts on it (one that stopped left it behind)`,
      hint: `check that PostgreSQL is running on this machine (pg_lsclusters or pg_ctl status), and ${where}${ctx.goOn ? `; ${ctx.goOn}` : ''}`,
    });
  }
  if (code === 'EACCES') {
    return new UnavailableError({
      message: `this user may not connect to the Unix socket of the registry at ${ctx.where}`,
      why: `${detail} (${code}) while ${ctx.doing}: the socket ${socket}, or its folder ${folder}, does not let this operating-system user in`,
      hint: `run promptctl as a user the socket lets in (the server's unix_socket_group and unix_socket_permissions decide), or connect over TCP: a host name in ${ctx.urlHint}`,
    });
  }
  return undefined;
}

function tlsFileFault(code: string | undefined, path: string, detail: string, ctx: LocalContext): UnavailableError {
  let params: URLSearchParams | undefined;
  try {
    params = new URL(ctx.where).searchParams;
  } catch {
    params = undefined;
  }
  const param = TLS_FILES.find((p) => params?.get(p) === path);
  const state = code === 'ENOENT' ? 'does not exist' : 'is not readable by this user';
  return new UnavailableError({
    message: `cannot read the TLS file ${path} that the registry URL names (${ctx.where})`,
    why: `${detail} while ${ctx.doing}: ${param ? `${param}=` : ''}${path} ${state}, so no connection was tried`,
    hint: `give ${param ?? 'the parameter'} the path of a file this user can read, in ${ctx.urlHint}${param === 'sslrootcert' ? ' (else PGSSLROOTCERT)' : ''}, or leave it out`,
  });
}

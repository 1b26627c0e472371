import type { ClientConfig, PoolConfig } from 'pg';
import type { loadPg } from './load-pg.js';

/** What connection.ts hands pg from the target's URL: the URL without `options` (sslmode as pg means it), and a client that reads no password from process.env. */

/** Whether the target found a password (target.ts writes it into the URL). */
export function hasPassword(raw: string): boolean {
  const url = new URL(raw);
  return Boolean(url.password || url.searchParams.get('password'));
}

/**
 * pg's client, with three differences:
 * - a connection whose target found no password logs in with none: pg would take PGPASSWORD, then
 *   ~/.pgpass (PGPASSFILE, HOME), from process.env, which for a library call is not the environment
 *   it passed. A password function answering nothing makes pg ask neither; a server that wants one
 *   then refuses the login as having been given none (faults.ts);
 * - a connection that fails while connecting is closed: pg leaves the socket of one whose server
 *   sent a reply it could not read (protocol-fault.ts) open, and the pool forgets the client, so an
 *   application reading through a damaging proxy leaked a socket at every attempt;
 * - `signal` aborted while it connects closes its socket (a server that accepted it and never answers).
 */
export function registryClient(pg: ReturnType<typeof loadPg>, password: boolean, signal?: AbortSignal): NonNullable<PoolConfig['Client']> {
  return class extends pg.Client {
    constructor(config?: ClientConfig) {
      super(config);
      if (!password) (this as { password?: unknown }).password = () => undefined;
      const connect = this.connect.bind(this) as (callback?: (err: Error | undefined) => void) => Promise<unknown> | void;
      const destroy = () => (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
      // The command's stop signal while connecting (stop-wait.ts): the socket goes at once, not at connect_timeout.
      const onAbort = () => destroy();
      const close = (err: unknown): void => {
        signal?.removeEventListener('abort', onAbort);
        if (err) destroy();
      };
      if (signal && !signal.aborted) signal.addEventListener('abort', onAbort, { once: true });
      // Both of pg's forms: the pool's callback, and the promise.
      (this as { connect: unknown }).connect = (callback?: (err: Error | undefined) => void) =>
        callback
          ? connect((err) => {
              close(err);
              callback(err);
            })
          : (connect() as Promise<unknown>).then(
              (ok) => (close(undefined), ok),
              (err: unknown) => {
                close(err);
                throw err;
              },
            );
    }
  } as NonNullable<PoolConfig['Client']>;
}

/**
 * The sslmode values pg (pg-connection-string 2.x, without `uselibpqcompat=true`) treats exactly as
 * verify-full: each makes `ssl: {}` (with the URL's certificate files), a verified TLS connection.
 * pg says so in a process warning on stderr ("SECURITY WARNING: The SSL modes 'prefer', 'require',
 * and 'verify-ca' are treated as aliases for 'verify-full'"), which a library must not print into
 * its host's output; written as verify-full, the same connection is made without it. (prefer never
 * gets here: target.ts refuses it.)
 */
const VERIFY_FULL_ALIASES = ['prefer', 'require', 'verify-ca'];

/**
 * What pg is handed for the target's URL: the URL without its `options` parameter, and that
 * parameter (run-time settings for the server); an sslmode pg takes for verify-full written as
 * verify-full. pg reads a parameter given twice by its last value, so that is the one looked at.
 */
export function pgConnectionUrl(raw: string): { url: string; options?: string } {
  const url = new URL(raw);
  const options = url.searchParams.get('options');
  const sslmode = url.searchParams.getAll('sslmode').at(-1);
  const alias = sslmode !== undefined && VERIFY_FULL_ALIASES.includes(sslmode) && url.searchParams.getAll('uselibpqcompat').at(-1) !== 'true';
  if (options === null && !alias) return { url: raw };
  if (options !== null) url.searchParams.delete('options');
  if (alias) url.searchParams.set('sslmode', 'verify-full');
  return { url: url.toString(), ...(options === null ? {} : { options }) };
}

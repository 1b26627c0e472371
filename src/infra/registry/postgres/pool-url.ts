import type { ClientConfig, PoolConfig } from 'pg';
import type { loadPg } from './load-pg.js';

/** What connection.ts hands pg from the target's URL: the URL without `options`, and a client that reads no password from process.env. */

/** Whether the target found a password (target.ts writes it into the URL). */
export function hasPassword(raw: string): boolean {
  const url = new URL(raw);
  return Boolean(url.password || url.searchParams.get('password'));
}

/**
 * pg's client, with two differences:
 * - a connection whose target found no password logs in with none: pg would take PGPASSWORD, then
 *   ~/.pgpass (PGPASSFILE, HOME), from process.env, which for a library call is not the environment
 *   it passed. A password function answering nothing makes pg ask neither; a server that wants one
 *   then refuses the login as having been given none (faults.ts);
 * - a connection that fails while connecting is closed: pg leaves the socket of one whose server
 *   sent a reply it could not read (protocol-fault.ts) open, and the pool forgets the client, so an
 *   application reading through a damaging proxy leaked a socket at every attempt.
 */
export function registryClient(pg: ReturnType<typeof loadPg>, password: boolean): NonNullable<PoolConfig['Client']> {
  return class extends pg.Client {
    constructor(config?: ClientConfig) {
      super(config);
      if (!password) (this as { password?: unknown }).password = () => undefined;
      const connect = this.connect.bind(this) as (callback?: (err: Error | undefined) => void) => Promise<unknown> | void;
      const close = (err: unknown): void => {
        if (err) (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
      };
      // Both of pg's forms: the pool's callback, and the promise.
      (this as { connect: unknown }).connect = (callback?: (err: Error | undefined) => void) =>
        callback
          ? connect((err) => {
              close(err);
              callback(err);
            })
          : (connect() as Promise<unknown>).catch((err: unknown) => {
              close(err);
              throw err;
            });
    }
  } as NonNullable<PoolConfig['Client']>;
}

/** The URL without its `options` parameter, and that parameter (run-time settings for the server). */
export function withoutOptions(raw: string): { url: string; options?: string } {
  const url = new URL(raw);
  const options = url.searchParams.get('options');
  if (options === null) return { url: raw };
  url.searchParams.delete('options');
  return { url: url.toString(), options };
}

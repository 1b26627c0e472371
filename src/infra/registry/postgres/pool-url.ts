import type { ClientConfig, PoolConfig } from 'pg';
import type { loadPg } from './load-pg.js';

/** What connection.ts hands pg from the target's URL: the URL without `options`, and a client that reads no password from process.env. */

/** Whether the target found a password (target.ts writes it into the URL). */
export function hasPassword(raw: string): boolean {
  const url = new URL(raw);
  return Boolean(url.password || url.searchParams.get('password'));
}

/**
 * pg's client, except that a connection whose target found no password logs in with none: pg would
 * take PGPASSWORD, then ~/.pgpass (PGPASSFILE, HOME), from process.env, which for a library call is
 * not the environment it passed. A password function answering nothing makes pg ask neither; a
 * server that wants one then refuses the login as having been given none (faults.ts).
 */
export function clientWithoutEnvPassword(pg: ReturnType<typeof loadPg>, password: boolean): NonNullable<PoolConfig['Client']> {
  if (password) return pg.Client;
  return class extends pg.Client {
    constructor(config?: ClientConfig) {
      super(config);
      (this as { password?: unknown }).password = () => undefined;
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

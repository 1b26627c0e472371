import { requirePackage } from '../../lazy-package.js';

/**
 * The `pg` package, loaded on first use (lazy-package.ts; only a PostgreSQL registry needs it).
 *
 * Why not a plain import: when `pg` loads, it asks whether it runs on Cloudflare Workers, and on a
 * Node without `navigator` (Node 20) it answers by constructing a `Response`. That loads Node's
 * whole fetch implementation (undici), about 25 ms of a 250 ms `deploy`, for a class no PostgreSQL
 * connection uses. So `pg` is required synchronously with the global `Response` hidden, and the
 * global is put back exactly as it was before anything else can run: pg then takes Node's sockets,
 * which is what it would choose on Node anyway. Node 21 and later answer from `navigator`.
 */
type Pg = typeof import('pg');

export function loadPg(): Pg {
  const load = () => requirePackage<Pg>('pg');
  const response = Object.getOwnPropertyDescriptor(globalThis, 'Response');
  if (!response?.configurable) return load();
  Object.defineProperty(globalThis, 'Response', { value: undefined, configurable: true, writable: true });
  try {
    return load();
  } finally {
    Object.defineProperty(globalThis, 'Response', response);
  }
}

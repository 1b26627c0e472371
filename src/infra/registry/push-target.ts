import { InputError } from '../../core/errors.js';
import type { RegistryConfig } from '../../core/schemas/config.js';
import type { PgTarget } from './postgres/pg-target.js';
import { configPassword, postgresTarget, registryTarget, type Env } from './target.js';

/**
 * Where to push: `--to` (no password in it: a command line shows in the process list and the
 * shell's history; the password comes from the environment as for every registry URL), else the
 * team registry the project is configured with (PROMPTCTL_REGISTRY_URL, then registry.url).
 */
export function pushTarget(config: RegistryConfig, env: Env, to: string | undefined): PgTarget {
  if (to === undefined) {
    const configured = registryTarget(config, env, (p) => p);
    if (configured.backend === 'postgres') return configured.pg;
    throw new InputError({
      message: 'registry push needs a PostgreSQL registry to push to',
      hint: 'name it with --to postgres://user@host:5432/db (the password in PGPASSWORD or ~/.pgpass), or set PROMPTCTL_REGISTRY_URL',
    });
  }
  let withPassword = false;
  try {
    const url = new URL(to);
    withPassword = Boolean(url.password) || url.searchParams.has('password');
  } catch {
    // postgresTarget says what is wrong with it.
  }
  if (withPassword) {
    throw new InputError({
      message: '--to must not contain a password',
      why: 'a command line shows in the process list and the shell history',
      hint: `give the password in the environment (${config.password_env ? `${config.password_env}, which registry.password_env names, ` : ''}PGPASSWORD or ~/.pgpass), or omit --to and set PROMPTCTL_REGISTRY_URL`,
    });
  }
  return postgresTarget(to, { schema: config.schema, ...configPassword(config, env), env, source: '--to' });
}

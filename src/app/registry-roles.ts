import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { loadProjectConfig } from '../infra/project-config.js';
import { DEFAULT_ROLE_PREFIX, roleNames, rolesSql, type RoleNames } from '../infra/registry/postgres/roles.js';
import { registryTarget } from '../infra/registry/target.js';
import { appContext, type AppOptions } from './context.js';
import { parseOptions } from './options.js';

/** `promptctl registry roles`: the SQL of the reader, evaluator and deployer roles on the configured schema. */

/**
 * PostgreSQL cuts a longer role name to 63 bytes without an error: a longer prefix would make the
 * three roles one (each grant then given to it, the evaluator's restriction too) or names other
 * than those printed; `pg_` names are the server's own and CREATE ROLE refuses them.
 */
const MAX_PREFIX = 63 - Math.max(...Object.values(roleNames('')).map((n) => n.length));

export const RolesOptions = z.object({
  /** Role names are global to a PostgreSQL server: the prefix keeps two registries' roles apart. */
  prefix: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'lower-case letters, digits and _, not starting with a digit')
    .refine((p) => p.length <= MAX_PREFIX, `must be at most ${MAX_PREFIX} characters long: PostgreSQL cuts a role name at 63, and the longest role adds "evaluator"`)
    .refine((p) => !p.startsWith('pg_'), 'must not start with pg_: PostgreSQL reserves those role names')
    .default(DEFAULT_ROLE_PREFIX),
});
export type RolesOptions = z.input<typeof RolesOptions>;

export interface RolesResult {
  schema: string;
  roles: RoleNames;
  sql: string;
}

export async function registryRoles(opts: RolesOptions & AppOptions): Promise<RolesResult> {
  const o = parseOptions('registryRoles', RolesOptions, opts);
  const c = appContext(opts);
  const target = registryTarget(loadProjectConfig(c.cwd, { env: c.env, optionNames: c.optionNames }).config.registry, c.env, (p) => p);
  if (target.backend !== 'postgres') {
    throw new InputError({
      message: 'registry roles prints PostgreSQL roles, but this project uses the SQLite registry',
      why: 'a SQLite registry is one file: who may write it is a file permission, not a database role',
      hint: 'set registry.url in .promptrc.yaml (or PROMPTCTL_REGISTRY_URL) to the team registry, then run it again',
    });
  }
  const roles = roleNames(o.prefix);
  return { schema: target.pg.schema, roles, sql: rolesSql(target.pg.schema, roles) };
}

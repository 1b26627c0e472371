import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { loadProjectConfig } from '../infra/project-config.js';
import { roleNames, rolesSql, type RoleNames } from '../infra/registry/postgres/roles.js';
import { registryTarget } from '../infra/registry/target.js';
import { appContext, type AppOptions } from './context.js';
import { parseOptions } from './options.js';

/** `promptctl registry roles`: the SQL of the reader, evaluator and deployer roles on the configured schema. */

export const RolesOptions = z.object({
  /** Role names are global to a PostgreSQL server: the prefix keeps two registries' roles apart. */
  prefix: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'lower-case letters, digits and _, not starting with a digit').default('promptctl_'),
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
  const target = registryTarget(loadProjectConfig(c.cwd, { env: c.env }).config.registry, c.env, (p) => p);
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

/**
 * The PostgreSQL schema of a team registry: a lowercase name its SQL uses unquoted, and not one
 * PostgreSQL keeps for itself (migrate would fail there with the server's words, exit 3). Plain
 * code, no zod: the library entry checks it without loading the config schema.
 */
export const PG_SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
export const NOT_A_SCHEMA_NAME = 'must be a lowercase PostgreSQL schema name such as promptctl';
export const RESERVED_SCHEMA_NAME = 'is reserved by PostgreSQL (pg_… and information_schema): choose another, such as promptctl';

export const isReservedSchemaName = (name: string): boolean => name.startsWith('pg_') || name === 'information_schema';

export function pgSchemaNameProblem(name: string): string | undefined {
  if (!PG_SCHEMA_NAME.test(name)) return NOT_A_SCHEMA_NAME;
  return isReservedSchemaName(name) ? RESERVED_SCHEMA_NAME : undefined;
}

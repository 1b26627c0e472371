/**
 * The PostgreSQL schema of a team registry: a lowercase name its SQL uses unquoted, and not one
 * PostgreSQL keeps for itself (migrate would fail there with the server's words, exit 3). Plain
 * code, no zod: the library entry checks it without loading the config schema.
 */
export const PG_SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
export const NOT_A_SCHEMA_NAME = 'must be a lowercase PostgreSQL schema name such as promptctl';
export const RESERVED_SCHEMA_NAME = 'is reserved by PostgreSQL (pg_… and information_schema): choose another, such as promptctl';

/** Names that are not PostgreSQL's own, as a pattern so the JSON Schema carries it too. */
export const NOT_RESERVED_SCHEMA_NAME = /^(?!pg_|information_schema$)/;

export const isReservedSchemaName = (name: string): boolean => !NOT_RESERVED_SCHEMA_NAME.test(name);

export function pgSchemaNameProblem(name: string): string | undefined {
  if (!PG_SCHEMA_NAME.test(name)) return NOT_A_SCHEMA_NAME;
  return isReservedSchemaName(name) ? RESERVED_SCHEMA_NAME : undefined;
}

import { UnavailableError } from '../../../core/errors.js';

/**
 * The schema a registry's statements resolve to. Every statement names no schema: promptctl puts
 * the registry's schema on the search path with the `options` startup parameter (connection.ts).
 * A connection pooler such as PgBouncer refuses that parameter, or, with
 * `ignore_startup_parameters = options`, drops it without a word: the search_path set for the role
 * or the database then decides, and every statement would read and write another schema's tables
 * while the configured schema, looked up by name, still checks out.
 */

/** What to do when the search path promptctl sets does not reach the server: the one wording for both faults below. */
export function searchPathAdvice(schema: string, role: string, database: string): string {
  return (
    'connect to PostgreSQL directly (not through the pooler), or through a pooler in session mode that ignores the parameter ' +
    `(PgBouncer: ignore_startup_parameters = options) with the role's search_path set to the registry's schema: ALTER ROLE "${role}" IN DATABASE "${database}" SET search_path = ${schema} ` +
    '(as an administrator); then run the command again'
  );
}

/** Where a session's statements resolve, against the schema the registry is configured with. */
export interface ResolvedSchema {
  where: string;
  /** The configured schema (registry.schema, or the library's `schema`). */
  schema: string;
  /** current_schema() of the session: null when no schema on its search path exists (or may be used). */
  resolved: string | null;
  /** current_user and current_database() of the session, for the ALTER ROLE the hint names. */
  role: string;
  database: string;
}

/** The configured schema exists, but the session's statements would use another (or none): exit 3 before anything is read or written. */
export function otherSchemaFault(s: ResolvedSchema): UnavailableError {
  return new UnavailableError({
    message: `statements on the registry at ${s.where} would use ${s.resolved === null ? 'no schema' : `schema "${s.resolved}"`}, not the configured schema "${s.schema}"`,
    why:
      `promptctl puts "${s.schema}" on the search path with the \`options\` startup parameter (-c search_path=${s.schema}), and this session's search path is not that: ` +
      'the parameter was dropped on the way, as a connection pooler such as PgBouncer does with ignore_startup_parameters = options, so the search_path set for the role or the database decides instead; ' +
      'promptctl stopped before reading or writing anything',
    hint: searchPathAdvice(s.schema, s.role, s.database),
  });
}

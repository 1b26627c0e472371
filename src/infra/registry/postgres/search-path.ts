import { UnavailableError } from '../../../core/errors.js';
import { afterTheFix } from './fault-hints.js';
import { databaseIn, roleIn } from './url-parts.js';

/**
 * The schema a registry's statements resolve to. Every statement names no schema: promptctl puts
 * the registry's schema on the search path with the `options` startup parameter (connection.ts).
 * A connection pooler such as PgBouncer refuses that parameter (08P01), or, with
 * `ignore_startup_parameters = options`, drops it without a word: the search_path set for the role
 * or the database then decides, and every statement would read and write another schema's tables
 * while the configured schema, looked up by name, still checks out.
 */

/** SQLSTATE 08P01 (protocol violation): what PgBouncer answers a startup parameter it does not take. */
export const PROTOCOL_VIOLATION = '08P01';

/** What to do when the search path promptctl sets does not reach the server: the one wording for both faults below. */
export function searchPathAdvice(schema: string, role: string, database: string, library: boolean | undefined): string {
  return (
    'connect to PostgreSQL directly (not through the pooler), or through a pooler in session mode that ignores the parameter ' +
    `(PgBouncer: ignore_startup_parameters = options) with the role's search_path set to the registry's schema: ALTER ROLE "${role}" IN DATABASE "${database}" SET search_path = ${schema} ` +
    `(as an administrator); ${afterTheFix(library)}`
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
  /** The library's reader: an application, which runs no command (fault-hints.ts afterTheFix). */
  library?: boolean;
}

/** The configured schema exists, but the session's statements would use another (or none): exit 3 before anything is read or written. */
export function otherSchemaFault(s: ResolvedSchema): UnavailableError {
  return new UnavailableError({
    message: `statements on the registry at ${s.where} would use ${s.resolved === null ? 'no schema' : `schema "${s.resolved}"`}, not the configured schema "${s.schema}"`,
    why:
      `promptctl puts "${s.schema}" on the search path with the \`options\` startup parameter (-c search_path=${s.schema}), and this session's search path is not that: ` +
      'the parameter was dropped on the way, as a connection pooler such as PgBouncer does with ignore_startup_parameters = options, so the search_path set for the role or the database decides instead; ' +
      'promptctl stopped before reading or writing anything',
    hint: searchPathAdvice(s.schema, s.role, s.database, s.library),
  });
}

/** 08P01 "unsupported startup parameter: options": PgBouncer's default answer to the parameter promptctl sets the schema with. */
export function isRefusedOptions(code: string | undefined, raw: string): boolean {
  return code === PROTOCOL_VIOLATION && /unsupported startup parameter:?\s*options/i.test(raw);
}

export function refusedOptionsFault(ctx: { where: string; schema?: { name: string }; library?: boolean }, detail: string): UnavailableError {
  const schema = ctx.schema?.name ?? 'promptctl';
  return new UnavailableError({
    message: `the registry at ${ctx.where} refused the \`options\` startup parameter, which promptctl sets its schema with`,
    why: `${detail} (${PROTOCOL_VIOLATION}): a connection pooler such as PgBouncer stands between promptctl and PostgreSQL and takes no \`options\` (unless ignore_startup_parameters lists it); promptctl puts its schema "${schema}" on the search path there (-c search_path=${schema})`,
    hint: searchPathAdvice(schema, roleIn(ctx.where), databaseIn(ctx.where), ctx.library),
  });
}

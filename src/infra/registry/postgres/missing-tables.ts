import { UnavailableError } from '../../../core/errors.js';

/** A schema missing tables or columns it should have: named with what each held, and why migrate cannot help. */

/** What each table holds, for the people told it is gone. */
const TABLE_HOLDS: Record<string, string> = {
  events: 'the audit log',
  chain_head: "the audit log's head",
  prompt_versions: 'the registered versions',
  superseded_versions: "drafts' earlier contents",
  runs: 'the eval runs',
  samples: "the eval runs' samples",
  response_cache: 'the response cache',
  secrets: 'the canary key',
  run_leases: "the leases of running evals",
};

/**
 * Tables missing from a schema that is (or claims to be) at a known version: someone changed it
 * outside promptctl. `registry migrate` applies only the steps a schema lacks, so it cannot help.
 */
export function missingTablesFault(ctx: { where: string; schema?: { name: string; version?: number } }, tables: readonly string[], why?: string): UnavailableError {
  const named = tables.map(tableNamed).join(', ');
  return missingFault(ctx, `${tables.length === 1 ? `table ${named} is` : `tables ${named} are`}`, 'a table dropped or renamed', tables.length === 1 ? 'it' : 'them', why);
}

/** The same for columns of a table (SQLSTATE 42703, or a writer's check at open): a column dropped or renamed by hand. */
export function missingColumnFault(ctx: { where: string; schema?: { name: string; version?: number } }, columns: string | readonly string[], table: string | undefined, why?: string): UnavailableError {
  const named = typeof columns === 'string' ? [columns] : columns;
  const subject = named.length === 1 ? `column ${named[0]}` : `columns ${named.join(', ')}`;
  const of = `${subject}${table ? ` of table ${tableNamed(table)}` : ''} ${named.length === 1 ? 'is' : 'are'}`;
  return missingFault(ctx, of, named.length === 1 ? 'a column dropped or renamed' : 'columns dropped or renamed', named.length === 1 ? 'it' : 'them', why);
}

const tableNamed = (t: string) => `${t}${TABLE_HOLDS[t] ? ` (${TABLE_HOLDS[t]})` : ''}`;

function missingFault(ctx: { where: string; schema?: { name: string; version?: number } }, subject: string, change: string, it: string, why?: string): UnavailableError {
  const schema = ctx.schema ? ` "${ctx.schema.name}"${ctx.schema.version !== undefined ? ` (version ${ctx.schema.version})` : ''}` : '';
  return new UnavailableError({
    message: `${subject} missing from the schema${schema} of the registry at ${ctx.where}`,
    why: `${why ? `${why}: ` : ''}the schema was changed outside promptctl (${change}); \`promptctl registry migrate\` applies only the steps a schema lacks, so it does not bring ${it} back`,
    hint: 'restore the registry database (or the missing tables) from a backup, then run `promptctl audit verify`',
  });
}

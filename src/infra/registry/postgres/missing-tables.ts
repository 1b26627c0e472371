import { UnavailableError } from '../../../core/errors.js';

/** A schema missing tables it should have: named with what each held, and why migrate cannot help. */

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
  const named = tables.map((t) => `${t}${TABLE_HOLDS[t] ? ` (${TABLE_HOLDS[t]})` : ''}`).join(', ');
  const schema = ctx.schema ? ` "${ctx.schema.name}"${ctx.schema.version !== undefined ? ` (version ${ctx.schema.version})` : ''}` : '';
  return new UnavailableError({
    message: `${tables.length === 1 ? `table ${named} is` : `tables ${named} are`} missing from the schema${schema} of the registry at ${ctx.where}`,
    why: `${why ? `${why}: ` : ''}the schema was changed outside promptctl (a table dropped or renamed); \`promptctl registry migrate\` applies only the steps a schema lacks, so it does not bring ${tables.length === 1 ? 'it' : 'them'} back`,
    hint: 'restore the registry database (or the missing tables) from a backup, then run `promptctl audit verify`',
  });
}

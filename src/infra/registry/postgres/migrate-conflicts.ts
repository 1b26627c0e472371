import type { ClientBase } from 'pg';
import { UnavailableError } from '../../../core/errors.js';
import { PG_MIGRATIONS } from './migrations.js';

/**
 * Names the registry's steps create that something else already uses in the schema: another
 * application's `events` or `runs` table in a schema chosen as `registry.schema`. The first step
 * failed on `relation "events" already exists` (42P07), worded as an unknown server fault (exit 3
 * with a TLS hint), and every command then said to run `registry migrate` again, which failed the
 * same way. Asked of the catalog before any DDL (migrate.ts), like the migration's rights, and
 * refused the way those are (exit 3: the registry cannot be used there), naming what is in the way.
 */

/** The names the steps after `from` create: relations (tables, indexes, sequences) and functions. */
function createdNames(from: number): { relations: string[]; functions: string[] } {
  const sql = PG_MIGRATIONS.slice(from).join('\n');
  const names = (pattern: RegExp) => [...new Set([...sql.matchAll(pattern)].map((m) => m[1]!))];
  return {
    relations: names(/\bCREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX|SEQUENCE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_][a-z0-9_]*)/gi),
    functions: names(/\bCREATE\s+FUNCTION\s+([a-z_][a-z0-9_]*)/gi),
  };
}

const KINDS: Record<string, string> = { r: 'table', p: 'table', v: 'view', m: 'materialized view', f: 'foreign table', i: 'index', I: 'index', S: 'sequence', c: 'type' };

interface Taken {
  kind: string;
  name: string;
}

async function takenNames(client: ClientBase, schema: string, from: number): Promise<Taken[]> {
  const { relations, functions } = createdNames(from);
  const { rows } = await client.query<{ kind: string; name: string }>(
    `SELECT c.relkind::text AS kind, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = ANY($2::text[])
     UNION ALL
     SELECT DISTINCT 'function', p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 AND p.proname = ANY($3::text[])
     ORDER BY 1, 2`,
    [schema, relations, functions],
  );
  return rows.map((r) => ({ kind: KINDS[r.kind] ?? (r.kind === 'function' ? 'function' : 'relation'), name: r.name }));
}

const inWords = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/** "tables named events and runs, a function named refuse", grouped by kind in the catalog's order. */
function described(taken: Taken[]): string {
  const kinds = [...new Set(taken.map((t) => t.kind))];
  return inWords(
    kinds.map((kind) => {
      const names = taken.filter((t) => t.kind === kind).map((t) => t.name);
      return `${names.length > 1 ? `${kind}s` : `a ${kind}`} named ${inWords(names)}`;
    }),
  );
}

/** The refusal, or undefined when none of the names the steps after `from` create is taken in the schema. */
export async function takenNamesFault(client: ClientBase, target: { schema: string; display: string }, from: number): Promise<UnavailableError | undefined> {
  const taken = await takenNames(client, target.schema, from);
  if (taken.length === 0) return undefined;
  return new UnavailableError({
    message: `schema "${target.schema}" at ${target.display} already holds ${described(taken)}, which the registry creates there`,
    why: `${from === 0 ? 'the schema has no promptctl registry yet, so they belong to something else' : `they are not the registry's: the steps from schema version ${from} create them`}; a registry needs its own schema: nothing was changed`,
    hint: `set registry.schema in .promptrc.yaml to a schema of the registry's own (one that does not exist yet, e.g. promptctl), or move or drop those in schema "${target.schema}" if nothing else uses them; then run \`promptctl registry migrate\` again`,
  });
}

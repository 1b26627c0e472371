import type { MigrateResult, PruneCacheReport, RegistryStats } from '../app/registry-admin.js';

/** The words of `registry migrate`, `registry info` and `registry prune-cache`. The location never holds a password. */

/** `(postgres, schema team_a)`: one database may hold several registries, one per schema. */
const where = (r: { backend: string; schema?: string }): string => `(${r.backend}${r.schema ? `, schema ${r.schema}` : ''})`;

export function migrateText(r: MigrateResult): string[] {
  if (r.from === r.to) return [`registry at ${r.location} ${where(r)} is up to date: schema version ${r.to}`];
  return [`registry at ${r.location} ${where(r)} migrated: schema version ${r.from} → ${r.to}`];
}

export function registryInfoText(r: RegistryStats): string[] {
  // A table this role may not read (a least-privilege role's) is said so, not shown as empty.
  const c = Object.fromEntries(Object.entries(r.counts).map(([k, n]) => [k, n ?? 'not readable by this role'])) as Record<keyof RegistryStats['counts'], number | string>;
  return [
    `backend         ${r.backend}`,
    `location        ${r.location}${r.noFileYet ? ' (no file yet: nothing recorded; the first eval or deploy creates it)' : ''}`,
    ...(r.schema ? [`schema          ${r.schema}`] : []),
    `schema version  ${r.schemaVersion}`,
    `versions        ${c.versions}`,
    `runs            ${c.runs}`,
    `samples         ${c.samples}`,
    `tested marks    ${c.testedMarks}`,
    `audit events    ${c.events}`,
    `cached answers  ${c.cachedResponses}`,
  ];
}

/** `registry roles`: the SQL itself, ready to pipe into psql. */
export function rolesText(r: { sql: string }): string[] {
  return r.sql.replace(/\n$/, '').split('\n');
}

const MIB = 1024 * 1024;
/** Bytes as people read them, rounded up past a whole byte (a size shown is never less than what goes). */
const size = (b: number): string => (b < 1024 ? `${b} bytes` : b < MIB ? `${Math.ceil(b / 1024)} KiB` : `${Math.ceil((b / MIB) * 10) / 10} MiB`);

/** `registry prune-cache`: what went (or would go), from which answers, and what it means for the next eval. */
export function pruneCacheText(r: PruneCacheReport): string[] {
  const which = r.before === undefined ? 'every cached answer' : `the cached answers cached before ${r.before}`;
  const count = `${r.answers} cached answer${r.answers === 1 ? '' : 's'} (${size(r.bytes)})`;
  // Nothing to remove reads the same with or without --dry-run: "would remove 0 … (0 bytes)" read as a plan.
  if (!r.answers) return [`nothing to remove: no ${r.before === undefined ? 'cached answers' : `answers cached before ${r.before}`} in ${r.location} ${where(r)}${r.dryRun ? ' (--dry-run)' : ''}`];
  if (r.dryRun) return [`would remove ${count}: ${which}, from ${r.location} ${where(r)}; nothing was removed (--dry-run)`];
  const lines = [`removed ${count}: ${which}, from ${r.location} ${where(r)}`, 'runs keep their samples, so reports, gates and tested marks are unchanged; the next eval asks the server for these answers again'];
  // SQLite keeps a file's size and reuses the freed pages; only VACUUM gives the space back.
  if (r.backend === 'sqlite') lines.push(`the file keeps its size and reuses the space; to shrink it, run sqlite3 ${r.location} VACUUM while no promptctl command uses it`);
  return lines;
}

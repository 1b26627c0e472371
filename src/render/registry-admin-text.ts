import type { MigrateResult, RegistryStats } from '../app/registry-admin.js';

/** The words of `registry migrate` and `registry info`. The location never holds a password. */

export function migrateText(r: MigrateResult): string[] {
  if (r.from === r.to) return [`registry at ${r.location} (${r.backend}) is up to date: schema version ${r.to}`];
  return [`registry at ${r.location} (${r.backend}) migrated: schema version ${r.from} → ${r.to}`];
}

export function registryInfoText(r: RegistryStats): string[] {
  const c = r.counts;
  return [
    `backend         ${r.backend}`,
    `location        ${r.location}`,
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

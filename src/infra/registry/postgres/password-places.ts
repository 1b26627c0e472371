import type { PgTarget } from './pg-target.js';

/**
 * Where a CLI connection to a PostgreSQL registry takes a password from, named the one way every
 * hint names them: only the places that connection reads. `--to` never reads PROMPTCTL_REGISTRY_URL's
 * password; the password file is named as found (a PGPASSFILE set by its path, else ~/.pgpass), and
 * left out when libpq ignores it for group/other permissions, which `ignoredFileNote` says instead.
 * `first` are places a caller names ahead of these (registry.password_env's variable).
 */
export type PasswordSources = Pick<PgTarget, 'passwordFile' | 'urlEnvUnread'>;

export function passwordPlaces(src: PasswordSources, first: readonly string[] = []): string {
  const file = src.passwordFile;
  const places = [...first, 'PGPASSWORD', ...(src.urlEnvUnread ? [] : ['PROMPTCTL_REGISTRY_URL']), ...(file && file.ignoredMode === undefined ? [file.name] : [])];
  return places.length > 1 ? `${places.slice(0, -1).join(', ')} or ${places.at(-1)}` : places[0]!;
}

/** Said ahead of a hint when the password file was ignored, so it is not taken for read: '' otherwise. */
export function ignoredFileNote(src: PasswordSources): string {
  const file = src.passwordFile;
  return file?.ignoredMode ? `${file.name} was ignored: group or others may read it (mode ${file.ignoredMode}), and libpq ignores it too; chmod 600 it, or ` : '';
}

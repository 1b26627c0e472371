import { compare as compareSemver, valid as validSemver } from 'semver';

/**
 * Orders strings by UTF-16 code units, as `<` does: the same order in every locale. For the
 * strings sorted with it (ISO timestamps, slugs) it agrees with `localeCompare`, whose first call
 * builds ICU's collator, several milliseconds of a short command such as `deploy --dry-run`.
 */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Registered versions in listing order, on every backend: by prompt id, then by semantic version
 * (1.10.0 after 1.9.0, which SQL cannot sort), a version that is not semver by code units.
 */
/** Whether `a` is a lower semantic version than `b` (1.9.0 below 1.10.0); false when either is not semver. */
export function isOlderVersion(a: string, b: string): boolean {
  return Boolean(validSemver(a) && validSemver(b)) && compareSemver(a, b) < 0;
}

/** The newer of `newest` (so far) and `v`; a `v` that is not semver is passed over, as isOlderVersion compares none. */
export function newerVersion(newest: string | undefined, v: string): string | undefined {
  if (!validSemver(v)) return newest;
  return newest === undefined || compareSemver(newest, v) < 0 ? v : newest;
}

export function byPromptThenVersion(a: { promptId: string; version: string }, b: { promptId: string; version: string }): number {
  if (a.promptId !== b.promptId) return byCodeUnits(a.promptId, b.promptId);
  if (validSemver(a.version) && validSemver(b.version)) return compareSemver(a.version, b.version);
  return byCodeUnits(a.version, b.version);
}

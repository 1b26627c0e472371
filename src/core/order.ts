// The two functions alone, not semver's index: applications reading their active prompt import
// this through the library entry, and the index loads all of semver (53 files, about 18 ms).
import compareSemver from 'semver/functions/compare.js';
import validSemver from 'semver/functions/valid.js';

/**
 * Orders strings by UTF-16 code units, as `<` does: the same order in every locale. For the
 * strings sorted with it (ISO timestamps, slugs) it agrees with `localeCompare`, whose first call
 * builds ICU's collator, several milliseconds of a short command such as `deploy --dry-run`.
 */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A plain release (`1.10.0`: no `v`, pre-release or build, numbers of at most 15 digits, so exact as
 * numbers): its three numbers, compared without building semver's objects. Replaying a registry's
 * 50,000 events compares versions at each deploy, and four SemVer objects per comparison were a
 * twentieth of `deploy --dry-run`. Anything else is left to semver.
 */
const PLAIN_RELEASE = /^(0|[1-9]\d{0,14})\.(0|[1-9]\d{0,14})\.(0|[1-9]\d{0,14})$/;

/** `a` against `b` as semantic versions (negative, 0, positive), or undefined when either is not one. */
export function semverOrder(a: string, b: string): number | undefined {
  const x = PLAIN_RELEASE.exec(a);
  const y = x && PLAIN_RELEASE.exec(b);
  if (x && y) return Number(x[1]) - Number(y[1]) || Number(x[2]) - Number(y[2]) || Number(x[3]) - Number(y[3]);
  return validSemver(a) && validSemver(b) ? compareSemver(a, b) : undefined;
}

/** Whether `a` is a lower semantic version than `b` (1.9.0 below 1.10.0); false when either is not semver. */
export function isOlderVersion(a: string, b: string): boolean {
  return (semverOrder(a, b) ?? 0) < 0;
}

/** The newer of `newest` (so far) and `v`; a `v` that is not semver is passed over, as isOlderVersion compares none. */
export function newerVersion(newest: string | undefined, v: string): string | undefined {
  if (newest === undefined) return PLAIN_RELEASE.test(v) || validSemver(v) ? v : undefined;
  return isOlderVersion(newest, v) ? v : newest;
}

/**
 * Registered versions in listing order, on every backend: by prompt id, then by semantic version
 * (1.10.0 after 1.9.0, which SQL cannot sort), a version that is not semver by code units.
 */
export function byPromptThenVersion(a: { promptId: string; version: string }, b: { promptId: string; version: string }): number {
  if (a.promptId !== b.promptId) return byCodeUnits(a.promptId, b.promptId);
  return semverOrder(a.version, b.version) ?? byCodeUnits(a.version, b.version);
}

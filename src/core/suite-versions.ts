import semver from 'semver';
import type { EvalSet } from './schemas/evalset.js';

/** Which of these prompt versions a suite applies to: its `versions` range, prereleases included. */
export function versionsCovered(suite: Pick<EvalSet, 'versions'>, versions: string[]): string[] {
  return versions.filter((v) => semver.satisfies(v, suite.versions, { includePrerelease: true }));
}

import semver from 'semver';

/**
 * What a pull request's changes mean for the gate: pure. New prompt versions are evaluated; a
 * version file that existed at the base and was edited is an error (versions are immutable); a
 * changed suite re-evaluates every version it covers; a changed config re-evaluates the highest
 * version of every prompt, since a model or default change can break prompts that did not change.
 */

export interface ChangeInput {
  file: string;
  status: 'added' | 'modified' | 'deleted';
}

export interface ProjectShape {
  /** id → versions present in the working tree. */
  versions: Map<string, string[]>;
  /** Suites present in the working tree. */
  suites: Array<{ promptId: string; name: string; file: string; range: string }>;
}

export interface CiPlan {
  /** Files to lint (changed and still present). */
  lintFiles: string[];
  /** `id@version` to evaluate, with why. */
  evaluate: Array<{ ref: string; why: string }>;
  /** Registered-version files edited in the change: exit 2. */
  editedVersions: string[];
  deletedVersions: string[];
  configChanged: boolean;
  /** True when nothing promptctl cares about changed. */
  nothingChanged: boolean;
}

const VERSION_FILE = /^prompts\/([^/]+)\/([^/]+)\.ya?ml$/;
const SUITE_FILE = /^evalsets\/([^/]+)\/([^/]+)\.ya?ml$/;
const CONFIG_FILE = '.promptrc.yaml';

export function planCi(changes: ChangeInput[], shape: ProjectShape): CiPlan {
  const lintFiles: string[] = [];
  const evaluate = new Map<string, string>();
  const editedVersions: string[] = [];
  const deletedVersions: string[] = [];
  let configChanged = false;
  let relevant = false;
  const add = (ref: string, why: string) => {
    if (!evaluate.has(ref)) evaluate.set(ref, why);
  };

  for (const c of changes) {
    const version = c.file.match(VERSION_FILE);
    const suite = c.file.match(SUITE_FILE);
    if (c.file === CONFIG_FILE) {
      relevant = true;
      if (c.status !== 'deleted') {
        configChanged = true;
        lintFiles.push(c.file);
      }
    } else if (version) {
      relevant = true;
      const [, id, v] = version;
      if (c.status === 'deleted') deletedVersions.push(`${id}@${v}`);
      else {
        lintFiles.push(c.file);
        if (c.status === 'modified') editedVersions.push(c.file);
        else add(`${id}@${v}`, 'new version');
      }
    } else if (suite) {
      relevant = true;
      if (c.status === 'deleted') continue;
      lintFiles.push(c.file);
      const s = shape.suites.find((x) => x.file === c.file);
      if (!s) continue; // unreadable suite: lint reports it
      const covered = (shape.versions.get(s.promptId) ?? []).filter((v) => semver.validRange(s.range) !== null && semver.satisfies(v, s.range, { includePrerelease: true }));
      for (const v of covered) add(`${s.promptId}@${v}`, `suite ${s.name} changed`);
    }
  }
  if (configChanged) {
    for (const [id, versions] of shape.versions) {
      const highest = [...versions].sort(semver.rcompare)[0];
      if (highest) add(`${id}@${highest}`, '.promptrc.yaml changed');
    }
  }
  return {
    lintFiles,
    evaluate: [...evaluate.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([ref, why]) => ({ ref, why })),
    editedVersions,
    deletedVersions,
    configChanged,
    nothingChanged: !relevant,
  };
}

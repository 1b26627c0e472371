import semver from 'semver';
import { CONFIG_FILE } from '../schemas/config.js';
import { byCodeUnits } from '../order.js';
import { isRetired, suiteOfFile } from '../gone-suites.js';
import { versionOfFileName } from '../refs.js';
import { Slug } from '../schemas/common.js';

/**
 * What a pull request's changes mean for the gate: pure. New prompt versions are evaluated; a
 * version file that existed at the base and was edited is an error (versions are immutable); a
 * changed suite (its content, or the data file its `cases_from` reads; not its comments or
 * formatting) re-evaluates every version it covers; a changed config re-evaluates the highest
 * version of every prompt, since a model or default change can break prompts that did not change.
 */

export interface ChangeInput {
  file: string;
  status: 'added' | 'modified' | 'deleted';
  /**
   * Modified, but its content is the base's: the data the registry hashes (canonical JSON of the
   * parsed file) is the same, as after a comment or formatting change. Not an edit of a version,
   * as lint and deploy judge the same file.
   */
  sameContent?: boolean;
  /**
   * Modified as git sees it, but this checkout cannot read the file (a permission, a folder in its
   * place): its read error is a lint problem of its own, and nothing says it was edited.
   */
  unreadable?: boolean;
  /** A version file modified in content: where it first differs from the base's (core/version-state.ts editedAt). */
  editedAt?: { line: number; col: number; field: string };
  /** Modified under another name (`2.0.0.yaml` → `2.0.0.yml`): the version file's path at the base (`byVersion`). */
  from?: string;
}

export interface ProjectShape {
  /** id → versions present in the working tree. */
  versions: Map<string, string[]>;
  /** Suites present in the working tree, with the project-relative `cases_from` file of those that read one. */
  suites: Array<{ promptId: string; name: string; file: string; range: string; dataFile?: string }>;
  /** `retired_suites` of the change's .promptrc.yaml: suites it may delete. */
  retiredSuites?: readonly string[];
}

export interface CiPlan {
  /** Files to lint (changed and still present). */
  lintFiles: string[];
  /**
   * `id@version` to evaluate, with why. Only candidates (new versions; for a changed suite or
   * config, the highest version of each prompt) are gated on regressions: an old version a changed
   * suite re-evaluates was never going to be deployed again, so its drop is reported, not gated.
   */
  evaluate: Array<{ ref: string; why: string; candidate: boolean }>;
  /**
   * Unchanged suites a version added or deleted can break: those covering a new version (a renamed
   * variable), and every suite of a prompt that lost a version (its prompt or its range's only
   * version gone), so a green change never leaves the base branch failing `promptctl lint`.
   */
  coveringSuites: string[];
  /** Registered-version files edited in the change: exit 2. */
  editedVersions: string[];
  /** Version files renamed at the same `id@version`, and suite files at the same `id/suite` (the base's path `from`): judged as modified, never as deleted and new. `kind` as in `deleted`. */
  renamed: Array<{ from: string; file: string; kind: 'version' | 'suite' }>;
  deletedVersions: string[];
  /**
   * Version, suite and data files edited in place whose content is the base's (`sameContent`:
   * comments or formatting only; a data file's rows, its line endings say nothing): linted, nothing
   * re-run. A suite whose data file's rows changed is not here: it re-runs.
   */
  sameContent: Array<{ file: string; kind: 'version' | 'suite' | 'data' }>;
  /** Every deleted file promptctl cares about, to list in the summary; `retired`: a suite `retired_suites` lists, deleted deliberately. */
  deleted: Array<{ file: string; kind: 'version' | 'suite' | 'config'; ref?: string; retired?: true }>;
  configChanged: boolean;
  /** True when nothing promptctl cares about changed. */
  nothingChanged: boolean;
}

const VERSION_FILE = /^prompts\/([^/]+)\/([^/]+\.ya?ml)$/;

/**
 * The id and version of a version file's path (relative to the project) named as the loader reads
 * one: a prompt-id folder and a semantic version file name. Any other YAML file under prompts/
 * (`1.4.yaml`, `Order_Bot/1.1.0.yaml`) is outside the layout: lint reports it, ci never evaluates it.
 */
function versionOfFile(file: string): [id: string, version: string] | undefined {
  const m = VERSION_FILE.exec(file);
  if (!m || !Slug.safeParse(m[1]).success) return undefined;
  const version = versionOfFileName(m[2]!);
  return version === undefined ? undefined : [m[1]!, version];
}

/** `id@version` of a version file's path (relative to the project), undefined for any other file. */
export function versionRefOfFile(file: string): string | undefined {
  const v = versionOfFile(file);
  return v ? `${v[0]}@${v[1]}` : undefined;
}
/** What a file is for the gate, whatever its extension: `id@version`, or `id/suite` (a suite is its file's stem); undefined for any other file. */
function identityOfFile(file: string): string | undefined {
  const suite = suiteOfFile(file);
  return versionRefOfFile(file) ?? (suite ? `${suite.promptId}/${suite.suite}` : undefined);
}
/**
 * The changes grouped by `id@version` (versions) and `id/suite` (suites): one deleted under one
 * path and added under another (`2.0.0.yaml` → `2.0.0.yml`, `golden.yaml` → `golden.yml`) is one
 * modification of the new path, `from` the old. A version is its id and semver, a suite its prompt
 * and name, not their file names: an edit through a rename is an edit, and a rename alone deletes
 * nothing that runs.
 */
export function byVersion(changes: ChangeInput[]): ChangeInput[] {
  const refOf = (c: ChangeInput) => (c.from === undefined ? identityOfFile(c.file) : undefined);
  const gone = new Map<string, string>();
  for (const c of changes) if (c.status === 'deleted' && refOf(c)) gone.set(refOf(c)!, c.file);
  const paired = new Map<string, string>();
  for (const c of changes) if (c.status === 'added' && refOf(c) && gone.has(refOf(c)!)) paired.set(refOf(c)!, c.file);
  return changes.flatMap((c): ChangeInput[] => {
    const ref = refOf(c);
    if (!ref || !paired.has(ref)) return [c];
    return c.status === 'added' ? [{ ...c, status: 'modified', from: gone.get(ref)! }] : [];
  });
}
/** Any other YAML file under prompts/ or evalsets/ is outside the layout: lint reports it, so it is never a change that passes unread. */
const STRAY_YAML = /^(prompts|evalsets)\/.*\.ya?ml$/i;

export function planCi(changes: ChangeInput[], shape: ProjectShape): CiPlan {
  const lintFiles: string[] = [];
  const evaluate = new Map<string, string>();
  const editedVersions: string[] = [];
  const renamed: CiPlan['renamed'] = [];
  const deletedVersions: string[] = [];
  const sameContent: CiPlan['sameContent'] = [];
  const deleted: CiPlan['deleted'] = [];
  const candidates = new Set<string>();
  let configChanged = false;
  let relevant = false;
  const add = (ref: string, why: string) => {
    if (!evaluate.has(ref)) evaluate.set(ref, why);
  };
  const covers = (s: ProjectShape['suites'][number], v: string) => semver.validRange(s.range) !== null && semver.satisfies(v, s.range, { includePrerelease: true });
  const highest = (versions: string[]) => [...versions].sort(semver.rcompare)[0];
  const newVersions: Array<[string, string]> = [];
  const rerun = new Set<string>();
  const suiteChanged = (s: ProjectShape['suites'][number], why: string) => {
    rerun.add(s.file);
    if (!lintFiles.includes(s.file)) lintFiles.push(s.file);
    const covered = (shape.versions.get(s.promptId) ?? []).filter((v) => covers(s, v));
    for (const v of covered) add(`${s.promptId}@${v}`, why);
    const top = highest(covered);
    if (top) candidates.add(`${s.promptId}@${top}`);
  };

  for (const c of byVersion(changes)) {
    const version = versionOfFile(c.file);
    const suite = suiteOfFile(c.file);
    if (c.file === CONFIG_FILE) {
      relevant = true;
      if (c.status !== 'deleted') {
        if (!c.sameContent) configChanged = true;
        lintFiles.push(c.file);
      } else deleted.push({ file: c.file, kind: 'config' });
    } else if (version) {
      relevant = true;
      const [id, v] = version;
      if (c.status === 'deleted') {
        deletedVersions.push(`${id}@${v}`);
        deleted.push({ file: c.file, kind: 'version', ref: `${id}@${v}` });
      } else {
        lintFiles.push(c.file);
        if (c.status === 'modified') {
          if (c.from !== undefined) renamed.push({ from: c.from, file: c.file, kind: 'version' });
          if (!c.sameContent && !c.unreadable) editedVersions.push(c.file);
          else if (c.sameContent && c.from === undefined) sameContent.push({ file: c.file, kind: 'version' });
        } else {
          // The first reason: a new version is checked as one (its revisions, its diff) even when
          // a suite added in the same change, listed before it, covers it too.
          evaluate.set(`${id}@${v}`, 'new version');
          candidates.add(`${id}@${v}`);
          newVersions.push([id!, v!]);
        }
      }
    } else if (suite) {
      relevant = true;
      if (c.status === 'deleted') {
        deleted.push({ file: c.file, kind: 'suite', ...(isRetired(shape.retiredSuites ?? [], suite.promptId, suite.suite) ? { retired: true as const } : {}) });
        continue;
      }
      if (c.from !== undefined) renamed.push({ from: c.from, file: c.file, kind: 'suite' });
      const s = shape.suites.find((x) => x.file === c.file);
      if (s && !c.sameContent) suiteChanged(s, `suite ${s.name} changed`);
      else if (!lintFiles.includes(c.file)) lintFiles.push(c.file); // unreadable suite: lint reports it; a rename alone changes no case
      if (s && c.sameContent && c.from === undefined) sameContent.push({ file: c.file, kind: 'suite' });
    } else if (STRAY_YAML.test(c.file)) {
      // Deleting a file promptctl never read changes nothing; adding or editing one is a mistake to report.
      if (c.status !== 'deleted') {
        relevant = true;
        lintFiles.push(c.file);
      }
    } else {
      // A data file is part of its suite's content: changed (or gone), the suite changed; its rows unchanged, nothing did.
      const readers = shape.suites.filter((x) => x.dataFile === c.file);
      if (readers.length && c.sameContent && c.from === undefined) sameContent.push({ file: c.file, kind: 'data' });
      for (const s of readers) {
        relevant = true;
        if (!c.sameContent) suiteChanged(s, `suite ${s.name} changed (its cases_from file ${c.file})`);
      }
    }
  }
  if (configChanged) {
    for (const [id, versions] of shape.versions) {
      const top = highest(versions);
      if (top) {
        add(`${id}@${top}`, '.promptrc.yaml changed');
        candidates.add(`${id}@${top}`);
      }
    }
  }
  const lostVersion = new Set(deletedVersions.map((ref) => ref.split('@')[0]));
  const coveringSuites = shape.suites
    .filter((s) => !lintFiles.includes(s.file) && (lostVersion.has(s.promptId) || newVersions.some(([id, v]) => s.promptId === id && covers(s, v))))
    .map((s) => s.file);
  return {
    lintFiles,
    evaluate: [...evaluate.entries()].sort(([a], [b]) => byCodeUnits(a, b)).map(([ref, why]) => ({ ref, why, candidate: candidates.has(ref) })),
    coveringSuites,
    editedVersions,
    renamed,
    deletedVersions,
    // A suite re-run for its data file (changed before or after it in the list) changed after all.
    sameContent: sameContent.filter((x) => x.kind === 'version' || !rerun.has(x.file)),
    deleted,
    configChanged,
    nothingChanged: !relevant,
  };
}

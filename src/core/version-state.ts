import { firstDifference } from './canonical.js';
import type { Locate } from './yaml-source.js';
import { shellWord } from './shell-word.js';

/**
 * The one rule for what a version file may hold. A version is a draft until its first deploy to
 * any environment (a chained event, so the terminal, `ci` and every machine sharing a registry see
 * the same fact); a draft may hold any content, each content keeping its own runs and marks. After
 * that deploy the version is released: its file must keep the content that was released.
 */

export type VersionState = 'draft' | 'released';

export interface VersionFacts {
  /** The content hash of the file now. */
  fileHash: string;
  /** The environments an event deployed (or rolled back to) this version in; empty: never deployed. */
  releasedIn: readonly string[];
  /** The content hash it was released with; undefined while a draft, or when no record says (then the file's content is taken). */
  releasedHash?: string;
}

/**
 * How git knows a file deleted: from the working tree only, staged, or by a commit of the current
 * history; `untracked`: git has no copy of it (no commit ever had it, or the project is not in a
 * git repository), so only the registry's content can bring it back.
 */
export type Deletion = GitDeletion | 'untracked';
/** A deletion git can undo (a copy of the file is in the index, HEAD or an earlier commit). */
export type GitDeletion = 'working-tree' | 'staged' | 'committed';

/**
 * A deployed version's file in a checkout that has its prompt: edited after release, or deleted (as
 * git knows it). `fromCwd`: `file` from the folder the command ran in, when that is not the project
 * root, which the restore commands name.
 */
/**
 * A project file as a result names it: its project path, and the path from the folder the command
 * ran in where that differs. `draft`: a version never deployed, whose registry copy is its
 * registered content, not a released one (`show --registered`, not `--released`).
 */
export type FileAt = string | { file: string; fromCwd?: string; draft?: boolean };

export type DeployedFileState = ({ state: 'edited'; file: string; releasedHash: string; fileHash: string; origin?: EditOrigin } | { state: 'deleted'; file: string; how?: GitDeletion }) & { fromCwd?: string };

/**
 * The git command that brings a deleted version file back. A deletion a commit made (a revert, a
 * folder renamed) is not in HEAD, so `git checkout -- <file>` fails there ("pathspec did not
 * match"): the file comes from the commit before the deleting one. Unknown `how`: that form, which
 * also serves an uncommitted deletion once `git log` names the last commit that had the file.
 * `untracked` (with the version's `ref`, `<id>@<version>`): the registry's copy, which show prints.
 * The file as the command names it from the folder it will run in, which git reads pathspecs from:
 * its `fromCwd` where a result has one (infra/real-path.ts `fromCwdField`: `../prompts/…` from
 * evalsets/), else its project path; a plain string is taken as that name.
 */
// A `how` that may be `untracked` needs the `ref` its restore names: the overloads make every caller pass it.
export function restoreDeletedFile(at: FileAt, how?: GitDeletion): string;
export function restoreDeletedFile(at: FileAt, how: Deletion | undefined, ref: string): string;
export function restoreDeletedFile(at: FileAt, how?: Deletion, ref?: string): string {
  const f = shellWord(typeof at === 'string' ? at : (at.fromCwd ?? at.file));
  if (how === 'untracked' && ref !== undefined) return `git has no copy of it: ${typeof at !== 'string' && at.draft ? draftFromRegistry(ref, f) : fromRegistry(ref, f)}`;
  if (how === 'working-tree') return `git checkout -- ${f}`;
  if (how === 'staged') return `git checkout HEAD -- ${f}`;
  return `\`git log --all -- ${f}\` finds the commit that deleted it; \`git checkout <commit>^ -- ${f}\` brings it back`;
}

export type VersionVerdict =
  | { state: 'draft'; allowed: true }
  | { state: 'released'; allowed: boolean; releasedHash: string; releasedIn: readonly string[] };

export function versionState(f: VersionFacts): VersionVerdict {
  if (!f.releasedIn.length) return { state: 'draft', allowed: true };
  // Deployed by events from before content hashes, and never registered here: nothing to differ from.
  const releasedHash = f.releasedHash ?? f.fileHash;
  return { state: 'released', allowed: releasedHash === f.fileHash, releasedHash, releasedIn: f.releasedIn };
}

/** The content hash a released version was released with: its first environment event that names one, else what was registered before events named hashes. */
export function releasedHashOf(events: ReadonlyArray<{ contentHash?: string }>, registeredHash: string | undefined): string | undefined {
  return events.find((e) => e.contentHash)?.contentHash ?? registeredHash;
}

/**
 * Why a released version's file differs from what was released, as git tells (infra/edit-origins.ts);
 * undefined outside git or for an untracked file. `uncommitted`: edited in this working tree (or
 * index). `committed`: the checked-out commit holds other content (another branch's own version of
 * that number, an old tag, an edit committed since), which `git checkout -- <file>` would not change.
 * `untracked`: git has no copy of the file (not a git checkout, or never committed), so the
 * released content comes from the registry (`show --released`), not from git.
 * `next`: the number `promptctl new <id>@<version>` copies the content to (core/refs.ts `nextFreeVersion`).
 */
export type EditOrigin = { kind: 'uncommitted'; next: string } | { kind: 'committed'; checkout: string; next: string } | { kind: 'untracked'; next: string };

/** How the released content of a version git has no copy of comes back: the registry's, as a version file. */
function fromRegistry(ref: string, file: string): string {
  return `\`promptctl show ${ref} --released\` prints the content it was released with as a version file; save that as ${file}`;
}

/** How a draft's file git has no copy of comes back: the content the registry holds for it (never released, so not `--released`). */
function draftFromRegistry(ref: string, file: string): string {
  return `\`promptctl show ${ref} --registered\` prints the content the registry holds for this draft (never deployed) as a version file; save that as ${file}`;
}

/** What every command says about an edit of a released version, in the same words. */
export function editedAfterReleaseMessage(e: { id: string; version: string; releasedIn: readonly string[]; origin?: EditOrigin }): string {
  const where = `deployed to ${e.releasedIn.join(', ')}`;
  if (e.origin?.kind === 'committed') return `${e.id}@${e.version} in this checkout (${e.origin.checkout}) holds other content than it was released with (${where})`;
  return `${e.id}@${e.version} was edited after it was released (${where})`;
}

export const EDITED_AFTER_RELEASE_WHY = 'a released version never changes: its tests, deploys and audit trail refer to the content it was released with.';

/**
 * What to do about an edit of a released version, in the one safe order: keep the edit first (`new
 * <id>@<version>` copies that version's file as it is now, edit included, not the highest version),
 * then put the released content back. Restoring first would throw the edit away for good.
 * `file` undefined: a file git may not have (ci's new versions), so no restore is suggested;
 * `restore` is the command that puts the released content back (default: from HEAD). Content the
 * checked-out commit holds (`origin` committed) is no edit to restore: it moves to the next number,
 * and the released content comes from the commit that has it. `here`: `file` as a command names it
 * from the folder this one ran in (the project-relative `file` when absent), for the git commands.
 */
export function editedAfterReleaseHint(e: { id: string; version: string; file?: string; here?: string; restore?: string; origin?: EditOrigin }): string {
  const arg = shellWord(e.here ?? e.file ?? '');
  if (e.origin?.kind === 'committed' && e.file) {
    return (
      `${e.file} is as ${e.origin.checkout} committed it, not an edit here, so git checkout -- ${arg} would change nothing. ` +
      `To keep this content, move it to the next free number, ${e.origin.next}: promptctl new ${e.id}@${e.version} copies it there; ` +
      `then take ${e.file} from the commit or branch that holds the released content (git checkout <commit or branch> -- ${arg}). ` +
      `Or check out that commit to work from what was released`
    );
  }
  const to = e.origin ? `the next free version number, ${e.origin.next}` : 'the next free version number';
  const keep = `first keep the change in a new version: promptctl new ${e.id}@${e.version} (copies the edited file to ${to})`;
  // `git checkout -- <file>` fails ("did not match any file known to git") for a file git has no copy of.
  if (e.origin?.kind === 'untracked' && e.file && !e.restore) return `${keep}; then restore ${e.file}, which git has no copy of: ${fromRegistry(`${e.id}@${e.version}`, arg)}`;
  return e.file ? `${keep}; then restore ${e.file}: ${e.restore ?? `git checkout -- ${arg}`}` : keep;
}

/**
 * Where a version's file first differs from the content it was released with, both as canonical
 * JSON (what the registry hashes): the field and its line and column in the file. The one position
 * every command reports an edit at (lint, eval and deploy take the registry's content, ci the base
 * branch's file); the start of the file when the released content is unknown or unreadable.
 */
export function editedAt(released: string | undefined, now: string, locate: Locate): { line: number; col: number; field: string } {
  let at: Array<string | number> = [];
  try {
    if (released !== undefined) at = firstDifference(JSON.parse(released), JSON.parse(now)) ?? [];
  } catch {
    // Unparseable released content: point at the whole file.
  }
  const pos = locate(at);
  return { line: pos.line, col: pos.col, field: at.join('.') };
}

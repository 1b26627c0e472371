import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { BaseChoice } from '../core/ci/base-choice.js';
import { noMergeBaseError, unknownBaseError } from '../core/ci/base-errors.js';
import type { OptionNames } from '../core/option-names.js';
import { byCodeUnits } from '../core/order.js';
import { git, isCommit, prefetchTopAndCommit, remoteNames, repositoryTop, type ChangeStatus, type FileChange } from './git.js';
import { remembered, withGitMemo } from './git-memo.js';
import { gitBlobs, gitForPaths } from './git-paths.js';
import { linkedPaths, throughLink, type LinkedPath } from './repo-links.js';

/**
 * What a branch changed since the base ci compares with: the base resolved to a commit, where the
 * branch left it, the files changed since, and their content there (git's answers, relative paths).
 */

/** A base git knows as a commit, and the top folder of the repository it was resolved in. */
export interface ResolvedBase {
  ref: string;
  /** git's real path of the repository's top folder. */
  top: string;
  /** Where the branch left `ref` (`diffBase`): the commit every change and base-side file is read against. */
  from: string;
  /** The project's paths that symbolic links lead elsewhere in the repository (`followLinks`). */
  links?: readonly LinkedPath[];
  /** Whether HEAD's commit is on `ref` already (the merge base is HEAD): only uncommitted changes can differ. */
  headOnBase?: () => boolean;
}

/**
 * `base` with the links ci follows to the project's layout folders and to `files` (config, data
 * files): git reports a change under a link's target, so without them a pull request that edits
 * `prompts/` through a link would change "nothing". A link out of the repository is exit 2.
 */
export function followLinks(projectRoot: string, base: ResolvedBase, files: readonly string[]): ResolvedBase {
  return { ...base, links: linkedPaths(projectRoot, base.top, files) };
}

/**
 * The ref ci compares with: the first of the choice's refs git holds (core/ci/base-choice.ts). A
 * clone made by CI (or `git clone` then a branch checkout) often has only `origin/main`, not a local
 * `main`; a commit CI names may be missing from a shallow clone: the error says how to fetch it.
 */
export function resolveBaseRef(projectRoot: string, choice: BaseChoice, names: OptionNames = 'flags'): ResolvedBase {
  // Each answer is kept for the command (git-memo.ts): eval's number check, run by ci, resolves a base too.
  return withGitMemo(() => {
    const refs = choice.kind === 'none' || choice.kind === 'range' ? [] : choice.refs;
    if (refs.length) prefetchTopAndCommit(projectRoot, refs[0]!);
    const top = repositoryTop(projectRoot);
    const ref = refs.find((r) => isCommit(projectRoot, r));
    if (ref === undefined) throw unknownBaseError(choice, () => remoteNames(projectRoot), names);
    const from = diffBase(projectRoot, ref, choice, names);
    // Asked only when wanted (ci, when nothing changed): HEAD's commit is another git process.
    const headOnBase = () => from === remembered(['head', projectRoot], () => git(projectRoot, ['rev-parse', 'HEAD']).trim());
    return { ref, top, from, headOnBase };
  });
}

/**
 * Where the branch left `base`: the merge base of `base` and HEAD. Diffing against the ref itself
 * would report everything added on the target branch since as deleted here, and everything changed
 * there as edited here.
 *
 * A shallow clone hides the merge base. One such checkout is still exact: CI's checkout of a pull
 * request's merge commit (GitHub's refs/pull/N/merge at depth 1, then the base fetched), whose
 * first parent is the base tip, so base..HEAD is exactly the pull request; likewise any HEAD whose
 * first parent is on the base branch. The commit object keeps its `parent` lines when a shallow
 * clone grafts the parents away. Otherwise ci cannot tell the branch's changes from the base's, and
 * says so (exit 2) rather than blame the pull request for what the base branch changed.
 */
function diffBase(projectRoot: string, base: string, choice: BaseChoice, names: OptionNames): string {
  let mergeBase = '';
  try {
    // Kept for the command (git-memo.ts): ci's eval resolves the default branch, often the same base.
    mergeBase = remembered(['merge-base', projectRoot, base], () => git(projectRoot, ['merge-base', base, 'HEAD']).trim());
  } catch {
    // No merge base: exit 1 from git, with nothing to say.
  }
  if (mergeBase) return mergeBase;
  const parent = firstParentOfHead(projectRoot);
  if (parent && isAncestor(projectRoot, parent, base)) return parent;
  const shallow = git(projectRoot, ['rev-parse', '--is-shallow-repository']).trim() === 'true';
  // The service's own way to fetch the history, as for a base commit missing from the clone.
  throw noMergeBaseError(base, shallow, choice.service, names);
}

/** HEAD's first parent as the commit records it (a shallow clone keeps the line, not the commit); undefined for a root commit. */
function firstParentOfHead(projectRoot: string): string | undefined {
  try {
    return /^parent ([0-9a-f]+)$/m.exec(git(projectRoot, ['cat-file', '-p', 'HEAD']))?.[1];
  } catch {
    return undefined;
  }
}

/** Whether `commit` is `ref` or one of its ancestors; false when git does not hold `commit`. */
function isAncestor(projectRoot: string, commit: string, ref: string): boolean {
  try {
    git(projectRoot, ['merge-base', '--is-ancestor', commit, ref]);
    return true;
  } catch {
    return false;
  }
}

/**
 * What changed between where the branch left `base` and the working tree: committed and
 * uncommitted changes to tracked files, plus untracked files git does not ignore. Renames count as
 * a delete and an add. `base` is what resolveBaseRef found, so git is not asked twice for the
 * repository's top folder, whether the base is a commit, or where the branch left it.
 */
export function changedFiles(projectRoot: string, base: ResolvedBase): FileChange[] {
  const { top } = base;
  // git answers with the real path of the top folder: compare it with the real path of the project,
  // or a project reached through a symlink (-C link, macOS /var → /private/var) would see every
  // change as outside the project, and the gate would pass on "nothing changed".
  const root = realpathSync(projectRoot);
  const links = base.links ?? [];
  // A path git names may be the project's under its own name and, through a link, under another
  // (`data/current.jsonl -> golden-v3.jsonl`): a change is a change to every name it has here.
  const toProject = (repoPath: string): string[] => {
    const own = path.relative(root, path.join(top, repoPath)).split(path.sep).join('/');
    const linked = throughLink(links, repoPath, 'repo');
    return [...new Set([...(linked === undefined ? [] : [linked]), own])];
  };
  // The project's folder, and where its links lead (pathspecs from the top, taken literally).
  const where = ['.', ...links.map((l) => `:(top,literal)${l.repo}`)];
  const changes = new Map<string, ChangeStatus>();
  // In batches that fit a command line (git-paths.ts): a monorepo's project may link to thousands of
  // folders, too many pathspecs for one (E2BIG). git 2.39's diff and ls-files read no pathspecs from
  // standard input; a project with few links still takes one call each.
  // Paths from the top, whatever the user's git config says: `diff.relative=true` (git 2.28) would
  // give them relative to the project's folder, which then read as outside it, and a project in a
  // subfolder would "change nothing". `-c` rather than `--no-relative`, which git before 2.28 refuses.
  const diff = gitForPaths(projectRoot, ['-c', 'diff.relative=false', 'diff', '--name-status', '--no-renames', '-z', base.from], where).split('\0').filter(Boolean);
  for (let i = 0; i + 1 < diff.length; i += 2) {
    const code = diff[i]!;
    for (const file of toProject(diff[i + 1]!)) changes.set(file, code.startsWith('A') ? 'added' : code.startsWith('D') ? 'deleted' : 'modified');
  }
  for (const f of gitForPaths(projectRoot, ['ls-files', '--others', '--exclude-standard', '-z', '--full-name'], where).split('\0').filter(Boolean)) {
    for (const file of toProject(f)) changes.set(file, 'added');
  }
  return [...changes.entries()]
    .filter(([file]) => !file.startsWith('..'))
    .map(([file, status]) => ({ file, status }))
    .sort((a, b) => byCodeUnits(a.file, b.file));
}

/**
 * The text of each of `files` (relative to the project) where the branch left `base`, as
 * `changedFiles` diffed with, decoded as UTF-8 (a byte sequence UTF-8 refuses reads as U+FFFD, as
 * git's answers always have); a file git cannot show there (missing, a folder) is left out. One git
 * process for all of them (`gitBlobs`).
 */
export function filesAtBase(projectRoot: string, base: ResolvedBase, files: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (!files.length) return out;
  // Through a link, the base holds the file under the link's target (git stores the link itself as a path).
  const nameOf = (file: string): string => {
    const repo = throughLink(base.links ?? [], file, 'project');
    return repo === undefined ? `${base.from}:./${file}` : `${base.from}:${repo}`;
  };
  const names = files.map(nameOf);
  let blobs: Map<string, Buffer>;
  try {
    blobs = gitBlobs(projectRoot, names);
  } catch {
    // git could not answer: every file counts as changed, as each did when it could not be shown.
    return out;
  }
  files.forEach((file, i) => {
    const bytes = blobs.get(names[i]!);
    if (bytes) out.set(file, bytes.toString('utf8'));
  });
  return out;
}

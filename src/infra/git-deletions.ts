import type { GitDeletion } from '../core/version-state.js';
import { git, mayBeInRepository } from './git.js';
import { remembered } from './git-memo.js';
import { gitForPaths, gitLogForPaths } from './git-paths.js';

/**
 * The files under `paths` (pathspecs relative to `root`: files or folders) that git knows as
 * deleted in this checkout, each with the nearest way it was deleted, which decides the command
 * that brings it back (core/version-state.ts `restoreDeletedFile`): tracked and missing from the
 * working tree, its removal staged, or (`committed`) removed by a commit of the current history (a
 * shallow clone knows only the commits it holds). One git call per way asked (a few more for a
 * great many paths); none outside a repository, and nothing when git cannot answer.
 */
export function gitDeletions(root: string, paths: readonly string[], opts: { committed?: boolean } = {}): Map<string, GitDeletion> {
  const found = new Map<string, GitDeletion>();
  if (!paths.length || !mayBeInRepository(root)) return found;
  // Paths go in batches that fit a command line, or on standard input for the history walk
  // (git-paths.ts): a shared registry may have tens of thousands of versions missing here.
  const ask = (question: () => string): string[] => {
    try {
      return question().split('\0').filter(Boolean);
    } catch {
      return [];
    }
  };
  const nearestFirst: Array<[GitDeletion, string[]]> = [
    ['working-tree', ask(() => gitForPaths(root, ['ls-files', '--deleted', '-z'], paths))],
    ['staged', ask(() => gitForPaths(root, ['diff', '--cached', '--name-only', '--relative', '--diff-filter=D', '-z'], paths))],
    ...(opts.committed ? [['committed', ask(() => gitLogForPaths(root, ['log', '--diff-filter=D', '--name-only', '--relative', '--format=', '-z'], paths))] as [GitDeletion, string[]]] : []),
  ];
  for (const [how, files] of nearestFirst) for (const file of files) if (!found.has(file)) found.set(file, how);
  return found;
}

/**
 * Whether git has no copy of any of `paths` (relative to `root`): outside a repository, or no
 * commit of any branch ever had them, so no git command brings them back. False when git cannot
 * answer: its general restore words stay.
 */
export function gitHasNoCopy(root: string, paths: readonly string[]): boolean {
  if (!mayBeInRepository(root)) return true;
  try {
    return gitLogForPaths(root, ['log', '--all', '-1', '--format=%H'], paths).trim() === '';
  } catch {
    return false;
  }
}

/**
 * The files under `folder` (relative to `root`) that some commit of HEAD's history held, named
 * relative to `root`: those there now and those removed since (by a commit of this history, or
 * not yet committed). A file only another branch ever had is not among them. Undefined where git
 * cannot tell: outside a repository, before the first commit, in a shallow clone (the commits
 * before its depth are not there to ask), or when git fails. Kept for the command (git-memo.ts).
 */
export function filesInHistory(root: string, folder: string): Set<string> | undefined {
  if (!mayBeInRepository(root)) return undefined;
  return remembered(['files-in-history', root, folder], () => {
    try {
      if (git(root, ['rev-parse', '--is-shallow-repository']).trim() !== 'false') return undefined;
      return new Set(git(root, ['log', 'HEAD', '--format=', '--name-only', '--relative', '-z', '--', folder]).split(/[\0\n]/).filter(Boolean));
    } catch {
      return undefined;
    }
  });
}

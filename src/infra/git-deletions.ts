import type { GitDeletion } from '../core/version-state.js';
import { mayBeInRepository } from './git.js';
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

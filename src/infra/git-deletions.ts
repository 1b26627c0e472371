import type { Deletion } from '../core/version-state.js';
import { git, mayBeInRepository } from './git.js';

/**
 * The files under `paths` (pathspecs relative to `root`: files or folders) that git knows as
 * deleted in this checkout, each with the nearest way it was deleted, which decides the command
 * that brings it back (core/version-state.ts `restoreDeletedFile`): tracked and missing from the
 * working tree, its removal staged, or (`committed`) removed by a commit of the current history (a
 * shallow clone knows only the commits it holds). One git call per way asked; none outside a
 * repository, and nothing when git cannot answer.
 */
export function gitDeletions(root: string, paths: readonly string[], opts: { committed?: boolean } = {}): Map<string, Deletion> {
  const found = new Map<string, Deletion>();
  if (!paths.length || !mayBeInRepository(root)) return found;
  const ask = (args: string[]): string[] => {
    try {
      return git(root, [...args, '-z', '--', ...paths]).split('\0').filter(Boolean);
    } catch {
      return [];
    }
  };
  const nearestFirst: Array<[Deletion, string[]]> = [
    ['working-tree', ask(['ls-files', '--deleted'])],
    ['staged', ask(['diff', '--cached', '--name-only', '--relative', '--diff-filter=D'])],
    ...(opts.committed ? [['committed', ask(['log', '--diff-filter=D', '--name-only', '--relative', '--format='])] as [Deletion, string[]]] : []),
  ];
  for (const [how, files] of nearestFirst) for (const file of files) if (!found.has(file)) found.set(file, how);
  return found;
}

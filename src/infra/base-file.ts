import path from 'node:path';
import { git } from './git.js';
import { realPathOf } from './real-path.js';

/**
 * A file as the base commit holds it under its own name, resolved in the base's tree as a system
 * resolves a path: a symbolic link met at any part (the file, or a folder on the way) is followed
 * there, never through the checkout's links. It is what ci compares a pull request's
 * `.promptrc.yaml` with, so it fails closed: anything it cannot read is "present, unreadable",
 * never "absent" (only a base with nothing at that name is).
 */

export type BaseFile = { present: false } | { present: true; text?: string };

/** Links followed before giving up, as a system does (ELOOP). */
const MAX_LINKS = 40;

/** `rel` (relative to the repository's top folder, `/`-separated) as an entry of the tree at `from`: mode, type and object, or undefined. */
function entryAt(top: string, from: string, rel: string): { mode: string; type: string; oid: string } | undefined {
  const m = /^(\d+) (\w+) ([0-9a-f]+)\t/.exec(git(top, ['ls-tree', '-z', from, '--', rel]).split('\0')[0] ?? '');
  return m ? { mode: m[1]!, type: m[2]!, oid: m[3]! } : undefined;
}

/**
 * `file` (relative to `projectRoot`, `/`-separated) at commit `from` of the repository whose top
 * folder is `top`. An absolute link into the repository is read as the path inside it; one out of
 * the repository, a loop, a folder where a file should be, a missing blob or a git failure leave
 * it present but unreadable.
 */
export function fileAtBaseByName(top: string, projectRoot: string, from: string, file: string): BaseFile {
  // git names its top folder by its real path: the project's too, or a checkout reached through a link would lie outside it.
  let parts = path.posix.normalize(path.relative(top, path.join(realPathOf(projectRoot), file)).split(path.sep).join('/')).split('/');
  if (parts[0] === '..') return { present: true };
  let done: string[] = [];
  let links = 0;
  try {
    while (parts.length) {
      const at = [...done, parts[0]!].join('/');
      const entry = entryAt(top, from, at);
      // Nothing at the name itself: absent; nothing where a base-side link leads: unreadable.
      if (!entry) return links === 0 ? { present: false } : { present: true };
      if (entry.mode === '120000') {
        if (++links > MAX_LINKS) return { present: true };
        const target = git(top, ['cat-file', 'blob', entry.oid]);
        const inRepo = path.posix.isAbsolute(target) ? path.relative(top, target).split(path.sep).join('/') : path.posix.join(...done, target);
        const next = path.posix.normalize([inRepo, ...parts.slice(1)].join('/')).split('/');
        if (next[0] === '..' || path.posix.isAbsolute(next.join('/'))) return { present: true };
        [parts, done] = [next, []];
        continue;
      }
      if (parts.length === 1) return entry.type === 'blob' ? { present: true, text: git(top, ['cat-file', 'blob', entry.oid]) } : { present: true };
      if (entry.type !== 'tree') return { present: true };
      done = [...done, parts[0]!];
      parts = parts.slice(1);
    }
  } catch {
    // git could not answer: unreadable, never absent.
  }
  return { present: true };
}

import path from 'node:path';
import { git } from './git.js';
import { remembered } from './git-memo.js';
import { gitBlobs } from './git-paths.js';
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

type Entry = { mode: string; type: string; oid: string };

/** An `ls-tree -z` line: mode, type and object, then the path. */
const ENTRY = /^(\d+) (\w+) ([0-9a-f]+)\t([^]*)$/;

/** `rel` (relative to the repository's top folder, `/`-separated) as an entry of the tree at `from`: mode, type and object, or undefined. */
function entryAt(top: string, from: string, rel: string): Entry | undefined {
  const m = ENTRY.exec(remembered(['ls-tree', top, from, rel], () => git(top, ['ls-tree', '-z', from, '--', rel])).split('\0')[0] ?? '');
  return m ? { mode: m[1]!, type: m[2]!, oid: m[3]! } : undefined;
}

/**
 * The entries of the tree at `from` on the way to each of `rels` (every folder on the way and what
 * is at the path, where they exist as real folders), by path: one `ls-tree -r -t` for all, where
 * asking each folder on the way took a git process each. A path missing here whose folders on the
 * way are all here is missing from the tree; a link on the way is followed step by step (`entryAt`).
 */
function entriesAlong(top: string, from: string, rels: readonly string[]): Map<string, Entry> {
  return remembered(['ls-tree-along', top, from, ...rels], () => {
    const entries = new Map<string, Entry>();
    for (const line of git(top, ['ls-tree', '-r', '-t', '-z', from, '--', ...rels]).split('\0')) {
      const m = ENTRY.exec(line);
      if (m) entries.set(m[4]!, { mode: m[1]!, type: m[2]!, oid: m[3]! });
    }
    return entries;
  });
}

/**
 * `file` (relative to `projectRoot`, `/`-separated) at commit `from` of the repository whose top
 * folder is `top`. An absolute link into the repository is read as the path inside it; one out of
 * the repository, a loop, a folder where a file should be, a missing blob or a git failure leave
 * it present but unreadable.
 */
export function fileAtBaseByName(top: string, projectRoot: string, from: string, file: string): BaseFile {
  return filesAtBaseByName(top, projectRoot, from, [file])[0]!;
}

/** `fileAtBaseByName` for each of `files`, with two git processes for all of them (the tree on their way, then their blobs) unless a link is on the way. */
export function filesAtBaseByName(top: string, projectRoot: string, from: string, files: readonly string[], opts: { texts?: boolean } = {}): BaseFile[] {
  // git names its top folder by its real path: the project's too, or a checkout reached through a link would lie outside it.
  const paths = files.map((file) => path.posix.normalize(path.relative(top, path.join(realPathOf(projectRoot), file)).split(path.sep).join('/')).split('/'));
  const inside = paths.filter((parts) => parts[0] !== '..').map((parts) => parts.join('/'));
  let along: Map<string, Entry> | undefined;
  try {
    along = inside.length ? entriesAlong(top, from, inside) : undefined;
  } catch {
    // git could not answer: each file unreadable, never absent.
  }
  const walked = paths.map((parts) => (parts[0] === '..' || !along ? { present: true as const } : walk(top, from, parts, along)));
  // Whether each is there is the walk's answer: a caller that needs no text reads no blob.
  if (opts.texts === false) return walked.map((w) => ('oid' in w ? { present: true } : w));
  const oids = walked.flatMap((w) => ('oid' in w ? [w.oid] : []));
  let blobs = new Map<string, Buffer>();
  try {
    blobs = oids.length ? gitBlobs(top, oids) : blobs;
  } catch {
    // git could not answer: each file unreadable, never absent.
  }
  return walked.map((w) => {
    if (!('oid' in w)) return w;
    const bytes = blobs.get(w.oid);
    return bytes ? { present: true, text: bytes.toString('utf8') } : { present: true };
  });
}

/** Where `parts` leads in the tree at `from`: absent, present (unreadable), or the blob to read. `along` answers for the path's own folders; off them (a link), each step asks git. */
function walk(top: string, from: string, start: string[], along: ReadonlyMap<string, Entry>): BaseFile | { oid: string } {
  let parts = start;
  let done: string[] = [];
  let links = 0;
  // The paths links led to: one met again is a loop, given up at once rather than after MAX_LINKS
  // links, each two git processes.
  const reached = new Set<string>([start.join('/')]);
  try {
    while (parts.length) {
      const at = [...done, parts[0]!].join('/');
      // `ls-tree -r -t` lists every folder on the way and anything at the path itself, not a file
      // or link where a folder should be: missing from `along`, only the path itself is surely absent.
      const entry = links === 0 && (along.has(at) || parts.length === 1) ? along.get(at) : entryAt(top, from, at);
      // Nothing at the name itself: absent; nothing where a base-side link leads: unreadable.
      if (!entry) return links === 0 ? { present: false } : { present: true };
      if (entry.mode === '120000') {
        if (++links > MAX_LINKS) return { present: true };
        const target = git(top, ['cat-file', 'blob', entry.oid]);
        const inRepo = path.posix.isAbsolute(target) ? path.relative(top, target).split(path.sep).join('/') : path.posix.join(...done, target);
        const next = path.posix.normalize([inRepo, ...parts.slice(1)].join('/')).split('/');
        if (next[0] === '..' || path.posix.isAbsolute(next.join('/'))) return { present: true };
        if (reached.has(next.join('/'))) return { present: true };
        reached.add(next.join('/'));
        [parts, done] = [next, []];
        continue;
      }
      if (parts.length === 1) return entry.type === 'blob' ? { oid: entry.oid } : { present: true };
      if (entry.type !== 'tree') return { present: true };
      done = [...done, parts[0]!];
      parts = parts.slice(1);
    }
  } catch {
    // git could not answer: unreadable, never absent.
  }
  return { present: true };
}

import { closeSync, lstatSync, openSync, readlinkSync, readSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { ignoredPaths, repositoryTopOrNone } from './git.js';
import { isWithin, realPathOf } from './real-path.js';

/**
 * The one rule for a `cases_from` data file reached through a symbolic link that leads out of the
 * git repository. A git-ignored link (a mount, a DVC cache) is the team's own choice on its own
 * machine, and is followed. A link that is part of the checkout (tracked, or about to be) came with
 * the files a pull request may change: followed, it would read any file of the CI runner (a
 * kubeconfig, a registry login) into reports, logs and requests to the model server, so it is
 * refused. Outside a git repository nothing is tracked, and nothing is refused.
 */

export interface OutsideLink {
  /** The link, relative to the project root (or absolute when outside it), with forward slashes. */
  link: string;
  /** Where the data file really is. */
  target: string;
}

/** Links resolved before giving up, as the system's own limit (ELOOP) does. */
const MAX_LINKS = 40;

/**
 * The symbolic links met while resolving `rel` below the real folder `from`, in the order the system
 * follows them, each as an absolute path whose folder is real. A component that does not exist ends
 * the walk (the caller reports a missing file).
 */
export function linksOnPath(from: string, rel: string): string[] {
  const links: string[] = [];
  const parts = (p: string) => p.split(/[\\/]/).filter((s) => s !== '' && s !== '.');
  // The components still to resolve, the next one last.
  const rest = parts(rel).reverse();
  let at = from;
  while (rest.length) {
    const part = rest.pop()!;
    if (part === '..') {
      at = path.dirname(at);
      continue;
    }
    const next = path.join(at, part);
    let isLink: boolean;
    try {
      isLink = lstatSync(next).isSymbolicLink();
    } catch {
      break;
    }
    if (!isLink) {
      at = next;
      continue;
    }
    if (links.length >= MAX_LINKS) break;
    links.push(next);
    const target = readlinkSync(next);
    if (path.isAbsolute(target)) at = path.parse(target).root;
    rest.push(...parts(target).reverse());
  }
  return links;
}

/**
 * The link that makes the project's data file `file` (project-relative, already known to stay inside
 * the project by its text) lead out of the repository while git does not ignore it; undefined when
 * the file is in the repository, missing, or every link on its way out is git-ignored. Git is asked
 * only when the file resolves outside the project, which a project without such links never does.
 */
export function committedLinkOut(root: string, file: string): OutsideLink | undefined {
  let real: string;
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
    real = realpathSync(path.join(realRoot, file));
  } catch {
    return undefined;
  }
  if (isWithin(realRoot, real)) return undefined;
  const top = repositoryTopOrNone(realRoot);
  if (top === undefined || isWithin(top, real)) return undefined;
  const links = linksOnPath(realRoot, file).filter((l) => isWithin(top, l));
  // A link git cannot answer for (its answer failed) counts as not ignored: the boundary holds.
  const ignored = ignoredPaths(top, links.map((l) => path.relative(top, l)));
  const culprit = links.find((l) => !ignored?.has(path.relative(top, l).split(path.sep).join('/')));
  if (culprit === undefined) return undefined;
  const named = isWithin(realRoot, culprit) ? path.relative(realRoot, culprit) : culprit;
  return { link: named.split(path.sep).join('/'), target: real };
}

/**
 * The tool folder `abs` is in, if any: folders of the tools, not of the data. A `.git` anywhere on
 * its real path (the repository's own, above a project in a sub-folder, included: its config holds
 * the checkout's credentials in CI, actions/checkout's `extraheader`), or a `.promptctl` below the
 * project root, by its spelt or its real path (the registry, with its canary key, and the caches).
 * A data file there would put their lines into a parse error, a report or a request.
 */
export function toolFolderOf(root: string, abs: string): string | undefined {
  const real = realPathOf(abs);
  const parts = (p: string) => p.split(path.sep).map((s) => s.toLowerCase());
  if (parts(real).includes('.git') || parts(abs).includes('.git')) return '.git';
  for (const [base, p] of [[root, abs], [realPathOf(root), real]] as const) {
    if (isWithin(base, p) && parts(path.relative(base, p)).includes('.promptctl')) return '.promptctl';
  }
  return undefined;
}

/** The first 8 bytes of a SQLite rollback journal (`-journal`), which holds pages of the database after a crash. */
const JOURNAL_MAGIC = Buffer.from([0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]);

/**
 * Whether `abs` is a SQLite database, write-ahead log or rollback journal by its first bytes (a registry named
 * anywhere, `registry.path` outside `.promptctl/` included): it holds the canary key and every
 * recorded output, never a suite's rows. Read before the file is: only 16 bytes, never quoted.
 */
export function sqliteFileKind(abs: string): 'database' | 'write-ahead log' | 'rollback journal' | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(abs, 'r');
    const head = Buffer.alloc(16);
    const n = readSync(fd, head, 0, 16, 0);
    if (n === 16 && head.toString('latin1') === 'SQLite format 3\0') return 'database';
    if (n >= 4 && (head.readUInt32BE(0) & 0xfffffffe) === 0x377f0682) return 'write-ahead log';
    if (n >= 8 && head.subarray(0, 8).equals(JOURNAL_MAGIC)) return 'rollback journal';
    return undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

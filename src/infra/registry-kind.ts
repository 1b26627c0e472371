import { closeSync, existsSync, lstatSync, openSync, readlinkSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { errorCode } from '../core/errors.js';

/**
 * The one rule for a path that cannot be a registry by its kind — a YAML file (the config, a
 * prompt version, a suite), a data file that is no SQLite database (a suite's CSV), a folder, a
 * device or other special file (/dev/null) — shared by the
 * CLI's `registry.path` check (registry-path.ts) and the library's `openRegistry({ path })`
 * (reader-options.ts), which word it each for their own reader. Loads nothing but node:fs, so
 * the library entry stays light.
 */
export function notRegistryKind(file: string): { kind: 'yaml' | 'folder' | 'special' | 'data' | 'loop' | 'dangling'; what: string; why: string } | undefined {
  if (/\.ya?ml$/i.test(file)) {
    return { kind: 'yaml', what: 'a YAML file', why: 'the registry is a SQLite database; YAML files are the config, prompt versions and suites, and opening one as the registry would write into it.' };
  }
  if (!existsSync(file)) return brokenLink(file);
  const st = statSync(file);
  if (st.isDirectory()) return { kind: 'folder', what: 'which is a folder', why: 'the registry is one file, not a folder.' };
  if (!st.isFile()) return { kind: 'special', what: 'which is a device or special file, not a regular file', why: 'the registry must be a regular file that SQLite can keep (a device such as /dev/null keeps nothing).' };
  const data = DATA_FILE.exec(file)?.[1];
  if (data && st.size > 0 && !startsAsSqlite(file)) {
    return { kind: 'data', what: `a ${data.toUpperCase()} file, not a SQLite database`, why: `the registry is a SQLite database; a ${data.toUpperCase()} file is data (a suite's cases_from file, a report), and opening it as the registry would fail as "damaged" or write into it.` };
  }
  return undefined;
}

/** Files of the kinds a project keeps as data, which a misspelt registry.path may name. */
const DATA_FILE = /\.(csv|jsonl|ndjson|json|txt|md|html|xml)$/i;

/** Whether the file starts with SQLite's header: a registry named .json by choice still opens. */
function startsAsSqlite(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(16);
    return readSync(fd, head, 0, 16, 0) === 16 && head.toString('latin1') === 'SQLite format 3\0';
  } catch {
    // Unreadable here: the open that follows says why, in its own words.
    return true;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * A symbolic link at the path that leads nowhere. existsSync follows links, so without this a link
 * loop or a link to an unmounted volume read as "no registry here: eval creates one", which points
 * away from the cause (and promptctl never creates a registry through a link).
 */
function brokenLink(file: string): { kind: 'loop' | 'dangling'; what: string; why: string } | undefined {
  try {
    if (!lstatSync(file).isSymbolicLink()) return undefined;
  } catch {
    return undefined;
  }
  try {
    statSync(file);
    return undefined;
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ELOOP') return { kind: 'loop', what: `which is a symbolic link that loops (${file} -> ${readlinkSync(file)} -> …)`, why: 'the link, or one it leads to, points back to itself: no file can be reached through it.' };
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      const target = path.resolve(path.dirname(file), readlinkSync(file));
      return { kind: 'dangling', what: `which is a symbolic link to ${target}, and nothing is there`, why: 'the link points to a file that does not exist (a volume that is not mounted, or a registry that was moved); no registry is created through a link.' };
    }
    return undefined;
  }
}

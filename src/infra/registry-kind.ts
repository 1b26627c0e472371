import { existsSync, lstatSync, readlinkSync, statSync } from 'node:fs';
import path from 'node:path';
import { errorCode } from '../core/errors.js';

/**
 * The one rule for a path that cannot be a registry by its kind — a YAML file (the config, a
 * prompt version, a suite), a folder, a device or other special file (/dev/null) — shared by the
 * CLI's `registry.path` check (registry-path.ts) and the library's `openRegistry({ path })`
 * (reader-options.ts), which word it each for their own reader. Loads nothing but node:fs, so
 * the library entry stays light.
 */
export function notRegistryKind(file: string): { kind: 'yaml' | 'folder' | 'special' | 'loop' | 'dangling'; what: string; why: string } | undefined {
  if (/\.ya?ml$/i.test(file)) {
    return { kind: 'yaml', what: 'a YAML file', why: 'the registry is a SQLite database; YAML files are the config, prompt versions and suites, and opening one as the registry would write into it.' };
  }
  if (!existsSync(file)) return brokenLink(file);
  const st = statSync(file);
  if (st.isDirectory()) return { kind: 'folder', what: 'which is a folder', why: 'the registry is one file, not a folder.' };
  if (!st.isFile()) return { kind: 'special', what: 'which is a device or special file, not a regular file', why: 'the registry must be a regular file that SQLite can keep (a device such as /dev/null keeps nothing).' };
  return undefined;
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

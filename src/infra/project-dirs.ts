import { lstatSync, readdirSync, readlinkSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import type { Problem } from '../core/errors.js';
import { fileProblem } from './yaml-file.js';

/**
 * Listing the folders of a project (`prompts/`, `evalsets/` and the folders in them), following
 * symbolic links. What cannot be what it should be is a problem naming its path, never skipped
 * silently and never a crash: the folder itself a file, a dangling link, a link loop, a folder named
 * like a YAML file. A missing folder is simply empty (a project may have no suites yet).
 */

type Kind = 'file' | 'dir' | 'other';

/** `rel` is relative to the project root, with forward slashes, for problems. */
function linkProblem(root: string, rel: string, err: unknown): Problem {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return fileProblem(rel, 'is a symbolic link loop (it leads back to itself): point it at a real file or remove it');
  let target = '';
  try {
    target = readlinkSync(path.join(root, rel));
  } catch {
    // Not a link after all: the message below still names the path.
  }
  if (code === 'ENOENT' || code === 'ENOTDIR') return fileProblem(rel, `is a symbolic link to ${target || 'a path'}, which does not exist: restore the target or remove the link`);
  return fileProblem(rel, `cannot be read (${code ?? String(err)})`);
}

/** The kind of `entry` in `dirAbs`, following a symbolic link; a broken link is a problem. */
function kindOf(root: string, rel: string, entry: Dirent, problems: Problem[]): Kind | undefined {
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'dir';
  if (!entry.isSymbolicLink()) return 'other';
  try {
    const st = statSync(path.join(root, rel));
    return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
  } catch (err) {
    problems.push(linkProblem(root, rel, err));
    return undefined;
  }
}

function entriesOf(root: string, rel: string, problems: Problem[]): Dirent[] {
  const abs = path.join(root, rel);
  try {
    return readdirSync(abs, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      // A link to nowhere is a problem; a folder that is not there is an empty one.
      let isLink = false;
      try {
        isLink = lstatSync(abs).isSymbolicLink();
      } catch {
        isLink = false;
      }
      if (isLink) problems.push(linkProblem(root, rel, err));
      return [];
    }
    if (code === 'ENOTDIR') problems.push(fileProblem(rel, 'is a file, not a folder: a project keeps one folder per prompt in it; move the file away'));
    else problems.push(code === 'ELOOP' ? linkProblem(root, rel, err) : fileProblem(rel, `cannot be read (${code ?? String(err)})`));
    return [];
  }
}

const join = (rel: string, name: string): string => `${rel}/${name}`;

/** The folders in `rel` (links to folders included), sorted. Files next to them are not the project's business. */
export function listDirs(root: string, rel: string, problems: Problem[]): string[] {
  const out: string[] = [];
  for (const e of entriesOf(root, rel, problems)) {
    if (kindOf(root, join(rel, e.name), e, problems) === 'dir') out.push(e.name);
  }
  return out.sort();
}

/** The YAML files in `rel` (links to files included), sorted; anything else named like one is a problem. */
export function listYaml(root: string, rel: string, problems: Problem[]): string[] {
  const out: string[] = [];
  for (const e of entriesOf(root, rel, problems)) {
    const entryRel = join(rel, e.name);
    const kind = kindOf(root, entryRel, e, problems);
    if (kind === undefined || !/\.ya?ml$/.test(e.name)) continue;
    if (kind === 'file') out.push(e.name);
    else if (kind === 'dir') problems.push(fileProblem(entryRel, 'is a folder, not a file: a version or suite is one YAML file; rename or remove the folder'));
    else problems.push(fileProblem(entryRel, 'is not a regular file (a device, socket or pipe): a version or suite is one YAML file'));
  }
  return out.sort();
}

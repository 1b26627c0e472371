import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * A file as the base commit holds it under its own name, following symbolic links on the base's
 * side: what ci compares a pull request's `.promptrc.yaml` with. The checkout's links say nothing
 * about the base (a pull request that turns the config into a link to a new file would otherwise
 * have "no base config" to be compared with).
 */

export type BaseFile = { present: false } | { present: true; text?: string };

/** Links followed before giving up, as a system does (ELOOP). */
const MAX_LINKS = 40;

const git = (cwd: string, args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });

/**
 * `file` (relative to `projectRoot`, `/`-separated) at commit `from`: absent when the base has
 * nothing of that name; present without text when it has one that cannot be read as a file (a
 * link leading out of the repository or to nothing, a folder, a git failure).
 */
export function fileAtBaseByName(projectRoot: string, from: string, file: string): BaseFile {
  let rel = file;
  for (let hop = 0; hop <= MAX_LINKS; hop++) {
    let entry: string;
    try {
      entry = git(projectRoot, ['ls-tree', '-z', from, '--', rel]).split('\0')[0] ?? '';
    } catch {
      return hop ? { present: true } : { present: false };
    }
    const m = /^(\d+) (\w+) ([0-9a-f]+)\t/.exec(entry);
    if (!m) return hop ? { present: true } : { present: false };
    const [, mode, type, oid] = m;
    if (type !== 'blob') return { present: true };
    const text = git(projectRoot, ['cat-file', 'blob', oid!]);
    if (mode !== '120000') return { present: true, text };
    if (path.posix.isAbsolute(text)) return { present: true };
    rel = path.posix.normalize(path.posix.join(path.posix.dirname(rel), text));
  }
  return { present: true };
}

/** Whether the checkout holds `file` as the base commit does (the same bytes, or the same link): `git diff` of that one name. */
export function unchangedSinceBase(projectRoot: string, from: string, file: string): boolean {
  try {
    execFileSync('git', ['diff', '--quiet', from, '--', file], { cwd: projectRoot, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

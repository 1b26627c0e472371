import { realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * Paths as the file system knows them. A user's path is spelt as they typed it: through a symbolic
 * link (a shell's logical $PWD, macOS /tmp → /private/tmp) or, on macOS and Windows, in another
 * letter case. The project root is the process's physical folder. Compared as strings, such paths
 * say "outside the project" or select nothing; compared as real paths, they name the same files.
 */

/**
 * The real path of `abs`: its nearest existing ancestor resolved (links followed; `native` gives
 * the on-disk letter case where the file system ignores case), the missing rest appended.
 */
export function realPathOf(abs: string): string {
  const missing: string[] = [];
  for (let at = path.resolve(abs); ; at = path.dirname(at)) {
    try {
      return path.join(realpathSync.native(at), ...missing.reverse());
    } catch {
      if (path.dirname(at) === at) return path.resolve(abs);
      missing.push(path.basename(at));
    }
  }
}

/**
 * The real path of an existing `abs`, or undefined when it does not exist. `native` gives the
 * on-disk letter case where the file system ignores it (`DATA/Golden.csv` is `data/golden.csv`);
 * without it, the case as spelt, as git names paths.
 */
export function existingRealPath(abs: string, opts: { native?: boolean } = {}): string | undefined {
  try {
    return opts.native ? realpathSync.native(abs) : realpathSync(abs);
  } catch {
    return undefined;
  }
}

/** Whether `inner` is `outer` or inside it (both absolute). */
export function isWithin(outer: string, inner: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/**
 * `abs` relative to the project root with forward slashes, as promptctl names project files: as
 * spelt when that is inside the project, else by real paths; undefined when it is outside either way.
 */
export function projectRelative(root: string, abs: string): string | undefined {
  const slashes = (p: string) => p.split(path.sep).join('/');
  if (isWithin(root, abs)) return slashes(path.relative(root, abs));
  const realRoot = realPathOf(root);
  const real = realPathOf(abs);
  return isWithin(realRoot, real) ? slashes(path.relative(realRoot, real)) : undefined;
}

/**
 * A project file (`file`, relative to `root`) as a path from `cwd`, the folder a command ran in
 * (the project is found upwards from it, so it is `root` or below): what a command run there takes.
 */
export function fromCwd(root: string, cwd: string, file: string): string {
  return path.relative(path.resolve(cwd), path.join(root, file)).split(path.sep).join('/');
}

/**
 * How a command printed for a person names a project file: from the folder the command ran in
 * (`project.cwd`), where a git pathspec or a shell path is read from, so `git checkout main --
 * ../prompts/…` works from evalsets/ as it does at the root (where the path is unchanged).
 */
export function fromCwdOf(project: { root: string; cwd?: string }): (file: string) => string {
  const { root, cwd } = project;
  return cwd === undefined ? (file) => file : (file) => fromCwd(root, cwd, file);
}

/**
 * A result's `fromCwd` for `file`: the path from the folder the command ran in, present only where
 * it differs from the project path (at the root, results stay as they were).
 */
export function fromCwdField(project: { root: string; cwd?: string }, file: string): { fromCwd?: string } {
  const here = fromCwdOf(project)(file);
  return here !== file ? { fromCwd: here } : {};
}

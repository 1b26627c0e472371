import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { errorCode } from '../core/errors.js';

/**
 * Marks a folder promptctl made as out of git, like `.pytest_cache`: a `.gitignore` of `*` inside
 * it, whatever the project's own .gitignore says (a project copied from an example has none).
 * Kept if the folder already has one.
 */
export function ignoreFolderInGit(folder: string, what: string): void {
  try {
    writeFileSync(join(folder, '.gitignore'), `# Written by promptctl: ${what}, not kept in git.\n*\n`, { flag: 'wx' });
  } catch (err) {
    if (errorCode(err) !== 'EEXIST') throw err;
  }
}

/**
 * Makes `dir` and any folder above it that is missing; a `.promptctl` folder among those it made
 * ignores itself in git (whichever of the registry and the file cache makes it first: a project
 * `init` did not make would otherwise offer the registry database to `git add -A`). Any other
 * folder is the user's, and left as it is.
 */
export function makeFolder(dir: string): void {
  const first = mkdirSync(dir, { recursive: true });
  if (first === undefined) return;
  for (let folder = resolve(dir); ; folder = dirname(folder)) {
    if (basename(folder) === '.promptctl') ignoreFolderInGit(folder, "promptctl's registry database and caches");
    if (folder === resolve(first) || dirname(folder) === folder) return;
  }
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

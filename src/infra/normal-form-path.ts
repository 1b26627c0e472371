import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The spelling on disk of `rel` (relative to `root`) when it exists only in another Unicode normal
 * form, or undefined when it exists as written or not at all. A suite says `data/café.csv` (NFC,
 * as editors write it) while a checkout made on macOS may hold the name decomposed (`cafe\u0301`):
 * `ls` shows the same name, so the file is found under it. Each missing part of the path is matched
 * against its folder's entries by NFC; a part that matches none (or, ambiguously, several) is not found.
 */
export function spellingOnDisk(root: string, rel: string): string | undefined {
  if (exists(path.resolve(root, rel))) return undefined;
  const parts = rel.split(/[\\/]/);
  let at = root;
  const found: string[] = [];
  for (const part of parts) {
    let name = part;
    if (part !== '' && part !== '.' && part !== '..' && !exists(path.join(at, part))) {
      const wanted = part.normalize('NFC');
      const matches = entries(at).filter((e) => e.normalize('NFC') === wanted);
      if (matches.length !== 1) return undefined;
      name = matches[0]!;
    }
    found.push(name);
    at = path.join(at, name);
  }
  return found.join('/');
}

function exists(abs: string): boolean {
  try {
    statSync(abs);
    return true;
  } catch {
    return false;
  }
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

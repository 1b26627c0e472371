import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { userCacheDir } from './user-cache.js';

/**
 * The key that seals the file cache's entries: 32 random bytes in the user's own cache folder
 * (user-cache.ts, then file-cache.key, readable by the user only), made on first use. An entry is
 * trusted only if it was sealed with this key, so an entry that arrives with the project (committed
 * to a branch, copied from another machine) is never used: it could otherwise make promptctl
 * evaluate, register or deploy something other than what the file says.
 */
export function fileCacheKeyPath(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const dir = userCacheDir(env);
  return dir ? path.join(dir, 'file-cache.key') : undefined;
}

const KEY_BYTES = 32;

function readKey(file: string): Buffer | undefined {
  try {
    const key = readFileSync(file);
    return key.length === KEY_BYTES ? key : undefined;
  } catch {
    return undefined;
  }
}

/** The key, made if there is none yet; undefined (no cache) where it can be neither read nor made. */
export function fileCacheKey(env: Readonly<Record<string, string | undefined>>): Buffer | undefined {
  const file = fileCacheKeyPath(env);
  if (!file) return undefined;
  const found = readKey(file);
  if (found) return found;
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // 'wx': of two processes making it at once, one writes it and both then read that one.
    writeFileSync(file, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' });
  } catch {
    // made by another process meanwhile, or a folder that cannot be written: read what is there
  }
  return readKey(file);
}

import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileCacheKey } from './file-cache-key.js';
import { packagePath } from './package-paths.js';
import { ignoreFolderInGit, makeFolder } from './self-ignore.js';

/**
 * What a project file looked like after it was read and validated, kept in
 * `.promptctl/cache/files/` so that the next command that reads the same bytes skips parsing and
 * validating them again. A 2,000-case suite takes about 150 ms to parse, check and validate; its
 * entry takes about 3 ms to read, which is most of an eval's fixed cost when a suite is unchanged.
 *
 * An entry is used only when it was written by the same promptctl build (`dist/build-id`, a hash
 * of the sources the build was made from) for exactly the same bytes (SHA-256) of the same file:
 * any edit, any upgrade or any other build reads the file afresh. And only when it is sealed with
 * this user's key (file-cache-key.ts, an HMAC over all of it): the folder is inside the project, and
 * an entry that came with the project (committed, copied) must not decide what a file says. Only
 * files that passed every check are kept, so a file with a problem always shows its problems with
 * their positions. One entry per file path, replaced when the file changes, so the folder stays as
 * large as the project.
 * The cache is a convenience: a missing, corrupt or unwritable entry only means reading the file.
 */

export interface FileCache {
  /** The entry for these exact bytes of `file` (a project-relative path), or undefined. */
  get(kind: string, file: string, bytes: Uint8Array): unknown;
  /** Keeps an entry for these bytes of `file`; failures are ignored. */
  set(kind: string, file: string, bytes: Uint8Array, entry: unknown): void;
}

/** Bumped when the entry's own layout changes (the build id covers what the entries hold). */
const FORMAT = 2;

const NO_CACHE: FileCache = { get: () => undefined, set: () => {} };

let buildId: string | null | undefined;
/**
 * The running build's id. Unbundled sources (the test suite) have none of their own, so they use
 * the package version marked as sources: their projects are temporary folders.
 */
function currentBuild(): string | null {
  if (buildId !== undefined) return buildId;
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return (buildId = 'sources');
  try {
    buildId = readFileSync(packagePath('dist', 'build-id'), 'utf8').trim() || null;
  } catch {
    buildId = null;
  }
  return buildId;
}

const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

/**
 * The project's file cache; `PROMPTCTL_FILE_CACHE=off`, a build without an id, or no key (no
 * user cache folder) turns it off. An entry is a header line (format, build, SHA-256 of the
 * file's bytes, seal) and the entry's JSON.
 */
export function openFileCache(root: string, env: Readonly<Record<string, string | undefined>> = {}): FileCache {
  if (env.PROMPTCTL_FILE_CACHE === 'off') return NO_CACHE;
  const build = currentBuild();
  if (!build) return NO_CACHE;
  const key = fileCacheKey(env);
  if (!key) return NO_CACHE;
  const dir = path.join(root, '.promptctl', 'cache', 'files');
  const entryPath = (kind: string, file: string) => path.join(dir, `${sha256(`${kind}\0${file}`).slice(0, 40)}.json`);
  // A miss hashes the bytes in get and again in set: the last file's digest serves both.
  let last: { bytes: Uint8Array; digest: string } | undefined;
  const digestOf = (bytes: Uint8Array): string => {
    if (last?.bytes !== bytes) last = { bytes, digest: sha256(bytes) };
    return last.digest;
  };
  const seal = (kind: string, file: string, bytes: string, payload: string) => createHmac('sha256', key).update(`${kind}\0${file}\0${build}\0${bytes}\0`).update(payload).digest();
  return {
    get(kind, file, bytes) {
      try {
        const text = readFileSync(entryPath(kind, file), 'utf8');
        const newline = text.indexOf('\n');
        const header = JSON.parse(text.slice(0, newline)) as { format?: unknown; build?: unknown; bytes?: unknown; seal?: unknown };
        const digest = digestOf(bytes);
        if (header?.format !== FORMAT || header.build !== build || header.bytes !== digest || typeof header.seal !== 'string') return undefined;
        const payload = text.slice(newline + 1);
        const sealed = Buffer.from(header.seal, 'hex');
        const expected = seal(kind, file, digest, payload);
        if (sealed.length !== expected.length || !timingSafeEqual(sealed, expected)) return undefined;
        return JSON.parse(payload) as unknown;
      } catch {
        return undefined;
      }
    },
    set(kind, file, bytes, entry) {
      const target = entryPath(kind, file);
      const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      try {
        if (!existsSync(dir)) {
          makeFolder(dir);
          ignoreFolderInGit(path.join(dir, '..'), 'a cache of validated project files');
        }
        const digest = digestOf(bytes);
        const payload = JSON.stringify(entry);
        const header = JSON.stringify({ format: FORMAT, build, bytes: digest, file, seal: seal(kind, file, digest, payload).toString('hex') });
        writeFileSync(temp, `${header}\n${payload}`);
        renameSync(temp, target); // another process reading it sees the old entry or the new one, never half
      } catch {
        try {
          rmSync(temp, { force: true });
        } catch {
          // an unwritable folder: nothing was kept, and nothing needs keeping
        }
      }
    },
  };
}

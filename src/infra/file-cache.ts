import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packagePath } from './package-paths.js';

/**
 * What a project file looked like after it was read and validated, kept in
 * `.promptctl/cache/files/` so that the next command that reads the same bytes skips parsing and
 * validating them again. A 2,000-case suite takes about 150 ms to parse, check and validate; its
 * entry takes about 3 ms to read, which is most of an eval's fixed cost when a suite is unchanged.
 *
 * An entry is used only when it was written by the same promptctl build (`dist/build-id`, a hash
 * of the sources the build was made from) for exactly the same bytes (SHA-256) of the same file:
 * any edit, any upgrade or any other build reads the file afresh. Only files that passed every
 * check are kept, so a file with a problem always shows its problems with their positions. One
 * entry per file path, replaced when the file changes, so the folder stays as large as the project.
 * The cache is a convenience: a missing, corrupt or unwritable entry only means reading the file.
 */

export interface FileCache {
  /** The entry for these exact bytes of `file` (a project-relative path), or undefined. */
  get(kind: string, file: string, bytes: Uint8Array): unknown;
  /** Keeps an entry for these bytes of `file`; failures are ignored. */
  set(kind: string, file: string, bytes: Uint8Array, entry: unknown): void;
}

/** Bumped when the entry's own layout changes (the build id covers what the entries hold). */
const FORMAT = 1;

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

/** The project's file cache; `PROMPTCTL_FILE_CACHE=off` (or a build without an id) turns it off. */
export function openFileCache(root: string, env: Readonly<Record<string, string | undefined>> = {}): FileCache {
  if (env.PROMPTCTL_FILE_CACHE === 'off') return NO_CACHE;
  const build = currentBuild();
  if (!build) return NO_CACHE;
  const dir = path.join(root, '.promptctl', 'cache', 'files');
  const entryPath = (kind: string, file: string) => path.join(dir, `${sha256(`${kind}\0${file}`).slice(0, 40)}.json`);
  return {
    get(kind, file, bytes) {
      let stored: { format?: unknown; build?: unknown; bytes?: unknown; entry?: unknown };
      try {
        stored = JSON.parse(readFileSync(entryPath(kind, file), 'utf8')) as typeof stored;
      } catch {
        return undefined;
      }
      if (stored?.format !== FORMAT || stored.build !== build || stored.bytes !== sha256(bytes)) return undefined;
      return stored.entry;
    },
    set(kind, file, bytes, entry) {
      const target = entryPath(kind, file);
      const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      try {
        if (!existsSync(dir)) {
          mkdirSync(dir, { recursive: true });
          // Like .pytest_cache: the folder ignores itself, whatever the project's .gitignore says.
          writeFileSync(path.join(dir, '..', '.gitignore'), '# Written by promptctl: a cache of validated project files.\n*\n');
        }
        writeFileSync(temp, JSON.stringify({ format: FORMAT, build, bytes: sha256(bytes), file, entry }));
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

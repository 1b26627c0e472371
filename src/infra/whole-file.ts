import { accessSync, chmodSync, closeSync, constants, existsSync, fsyncSync, linkSync, lstatSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { errorCode } from '../core/errors.js';

/**
 * A file written whole or not at all. The bytes go to a temporary file beside the target, which
 * replaces it only once every byte is on disk: a full disk (or any failure) halfway leaves the
 * previous file whole, or no file, never a truncated report or a 0-byte prompt version that breaks
 * the project. The temporary file is removed on failure.
 */
export interface WholeFile {
  write(text: string): void;
  /** Puts the file in place; throws (having removed the temporary file) when it cannot. */
  commit(): void;
  /** Removes what was written; never throws. */
  abandon(): void;
}

/** Errors of `link` on a file system without hard links: the exclusive commit then renames after a check. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK']);

/** Errors creating the temporary file that are not about the disk's room. */
const IN_PLACE_WHEN = new Set(['ENOENT', 'EACCES', 'EPERM']);

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
}

function quietly(act: () => void): void {
  try {
    act();
  } catch {
    // Cleaning up after a failure that is already being reported.
  }
}

/**
 * Where the bytes finally go: the file a symbolic link points to (the link stays a link), or
 * undefined when the target is not a regular file (a device such as /dev/full, a FIFO, a /proc
 * entry): those are written in place, as there is no previous content to keep.
 */
function finalPath(abs: string): string | undefined {
  let st;
  try {
    st = lstatSync(abs);
  } catch {
    return abs;
  }
  if (st.isSymbolicLink()) {
    // A link to a pipe or socket (/dev/stdout in a pipeline, >(…)) has no real path: written in place.
    try {
      if (!statSync(abs).isFile()) return undefined;
      return realpathSync(abs);
    } catch {
      return undefined;
    }
  }
  return st.isFile() ? abs : undefined;
}

/** A file written in place (a device or a /proc entry), where the temporary-file dance cannot apply. */
function inPlace(abs: string, exclusive: boolean): WholeFile {
  let fd: number | undefined = openSync(abs, exclusive ? 'wx' : 'w');
  const close = (): void => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };
  return {
    write: (text) => writeAll(fd!, text),
    commit: close,
    abandon: () => quietly(close),
  };
}

/**
 * Opens `abs` for writing whole. `exclusive` refuses to replace an existing file (EEXIST), even one
 * another process creates meanwhile: the temporary file is linked to the name, which fails if taken.
 */
export function openWholeFile(abs: string, exclusive = false): WholeFile {
  const target = finalPath(abs);
  if (target === undefined) return inPlace(abs, exclusive);
  if (exclusive && existsSync(abs)) throw Object.assign(new Error(`EEXIST: file already exists, open '${abs}'`), { code: 'EEXIST', path: abs });
  // A file this user may not write stays refused (EACCES), as writing over it in place was: a
  // rename would replace a report someone made read-only.
  if (existsSync(target)) accessSync(target, constants.W_OK);
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'w', 0o666);
  } catch (error) {
    // No new file may be made beside it (a folder only its file is writable in, a /proc entry that
    // passes for a file): write it in place as before, the one way left.
    if (existsSync(target) && IN_PLACE_WHEN.has(errorCode(error) ?? '')) return inPlace(abs, exclusive);
    throw error;
  }
  const abandon = (): void => {
    if (fd !== undefined) quietly(() => closeSync(fd!));
    fd = undefined;
    quietly(() => unlinkSync(temp));
  };
  try {
    // A replaced file keeps its permissions, as writing over it in place did.
    if (!exclusive && existsSync(target)) chmodSync(temp, statSync(target).mode & 0o7777);
  } catch (error) {
    abandon();
    throw error;
  }
  return {
    write: (text) => writeAll(fd!, text),
    commit: () => {
      try {
        // Some file systems report a full disk only when the data is flushed.
        fsyncSync(fd!);
        closeSync(fd!);
        fd = undefined;
        if (exclusive) linkInto(temp, target);
        else renameSync(temp, target);
      } finally {
        abandon();
      }
    },
    abandon,
  };
}

/** Gives `temp` the name `target` only if the name is free, then drops the temporary name. */
function linkInto(temp: string, target: string): void {
  try {
    linkSync(temp, target);
  } catch (error) {
    const code = errorCode(error) ?? '';
    if (!NO_HARD_LINKS.has(code)) throw error;
    if (existsSync(target)) throw Object.assign(new Error(`EEXIST: file already exists, link '${target}'`), { code: 'EEXIST', path: target });
    renameSync(temp, target);
  }
}

import { accessSync, appendFileSync, closeSync, constants, existsSync, lstatSync, mkdirSync, openSync, readlinkSync, readSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { errorCode, InputError, UnavailableError } from '../core/errors.js';
import { shellWord } from '../core/shell-word.js';
import { isStdoutPath } from '../core/stdout-path.js';
import { projectFileRole } from './project-owned.js';
import { openWholeFile, type WholeFile } from './whole-file.js';

/**
 * Files the user asked for (JUnit, Markdown, HTML, an export bundle, a scaffold). A path the user
 * got wrong — a folder, a file where a folder should be, no permission — is their input, so it is
 * exit 2 naming the path, never a stack trace.
 */

export interface OutputFileOptions {
  /** The option that named the file, for the message (`--junit`, `-o`). */
  option?: string;
  /** Create missing parent folders (reports do; `export -o` does not). Default true. */
  createFolders?: boolean;
  /** Refuse to replace an existing file. */
  exclusive?: boolean;
  /** What to do once the disk has room, when it is not running the command again (`report`'s advice). */
  again?: string;
  /**
   * A file written chunk by chunk stops when this aborts (Ctrl-C): `stopped` is thrown and nothing
   * is left at the path. Between chunks the event loop turns, so a signal is heard while it writes.
   */
  stop?: { signal: AbortSignal; stopped: () => Error };
}

/** The advice for a report file: the runs it was made of are recorded, so `report` can make it again. */
export const WRITE_REPORT_AGAIN = 'write the report again (`promptctl report` reads stored runs without running them)';

const PATH_ERRORS = new Set(['ENOENT', 'EISDIR', 'ENOTDIR', 'EEXIST', 'EACCES', 'EPERM', 'EROFS', 'ENAMETOOLONG']);

function named(abs: string, option?: string): string {
  return option ? `${option} ${abs}` : abs;
}

/** The existing ancestor folder closest to `abs` (or the file that sits where a folder should be). */
function nearestExisting(abs: string): string {
  let dir = path.dirname(abs);
  while (!existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/** Where `abs` points when it is a symbolic link to nothing (existsSync, which follows links, says false); else undefined. */
function danglingLinkTarget(abs: string): string | undefined {
  try {
    return lstatSync(abs).isSymbolicLink() && !existsSync(abs) ? readlinkSync(abs) : undefined;
  } catch {
    return undefined;
  }
}

/** The InputError for a file-system error on a path the user gave; undefined when it is not about the path. */
export function outputPathError(error: unknown, abs: string, opts: OutputFileOptions = {}): InputError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (!code || !PATH_ERRORS.has(code)) return undefined;
  const what = `cannot write ${named(abs, opts.option)}`;
  const near = nearestExisting(abs);
  const isFile = existsSync(near) && !statSync(near).isDirectory();
  if (code === 'EISDIR' || (code === 'EEXIST' && existsSync(abs) && statSync(abs).isDirectory() && !opts.exclusive)) {
    return new InputError({ message: `${what}: it is a folder`, why: 'a file name is expected here, not a folder.', hint: `give a file path, e.g. ${path.join(abs, '<file>')}.` });
  }
  const dangling = code === 'EEXIST' ? danglingLinkTarget(abs) : undefined;
  if (dangling !== undefined) {
    return new InputError({ message: `${what}: it is a symbolic link to a missing file (${dangling})`, why: 'this command never writes over an existing path, and the link is one, though the file it points to is gone.', hint: `remove the link (rm ${shellWord(abs)}) or restore the file it points to, then run this again.` });
  }
  if (code === 'EEXIST' && existsSync(abs)) {
    return new InputError({ message: `${what}: it already exists`, why: 'this command never overwrites a file.', hint: 'choose another path, or move the existing file away.' });
  }
  if (code === 'ENOTDIR' || isFile) {
    return new InputError({ message: `${what}: ${near} is a file, not a folder`, why: 'a folder on the way to this path is a file.', hint: 'choose a path whose folders are folders.' });
  }
  if (code === 'ENOENT') {
    return new InputError({ message: `${what}: the folder ${path.dirname(abs)} does not exist`, why: 'this output is only written into an existing folder.', hint: `create it first (mkdir -p ${shellWord(path.dirname(abs))}), or choose another path.` });
  }
  if (code === 'ENAMETOOLONG') return new InputError({ message: `${what}: the name is too long`, hint: 'choose a shorter path.' });
  return new InputError({ message: `${what}: permission denied (${code})`, why: 'the file or its folder is not writable by this user.', hint: 'choose a writable location.' });
}

/** The disk, not the path: the file was right but could not take the bytes; and what to do about each. */
const WRITE_FAULTS: Record<string, { what: string; fix: string }> = {
  ENOSPC: { what: 'no space left on the device', fix: 'free space on that disk' },
  EDQUOT: { what: 'the disk quota is used up', fix: 'free space within your quota' },
  EFBIG: { what: 'the file would be larger than the file system allows', fix: 'write it to another file system' },
  EIO: { what: 'the device reported an I/O error', fix: 'check that the path is a file on a working disk (not a device or a /proc entry)' },
};

/** The UnavailableError (exit 3) for a write the disk could not take; undefined for any other error. */
export function outputWriteFault(error: unknown, abs: string, opts: OutputFileOptions = {}): UnavailableError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const fault = code === undefined ? undefined : WRITE_FAULTS[code];
  if (!fault) return undefined;
  return new UnavailableError({
    message: `cannot write ${named(abs, opts.option)}: ${fault.what} (${code})`,
    why: 'the path is right, but the disk holding it refused the bytes; no file was left half-written (one that was there is kept as it was), and anything the command recorded in the registry is kept.',
    hint: `${fault.fix}${opts.option ? ` (or choose another path for ${opts.option})` : ''}, then ${opts.again ?? 'run the command again'}.`,
  });
}

const SQLITE_HEADER = 'SQLite format 3\0';

function isSqliteFile(file: string): boolean {
  if (!existsSync(file) || !statSync(file).isFile()) return false;
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(SQLITE_HEADER.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && head.toString('latin1') === SQLITE_HEADER;
  } finally {
    closeSync(fd);
  }
}

/**
 * A report path that names what the user has recorded — a SQLite database (the registry, or its
 * -wal/-shm/-journal files), a YAML file (prompt versions, eval sets, the config), a file of a
 * project's prompts/ or evalsets/, or a suite's `cases_from` data file — is refused whatever the
 * command: `--junit .promptctl/registry.db` would otherwise wipe the audit trail, and
 * `--summary data/golden.csv` a golden set.
 */
function refuseRecordedFile(abs: string, opts: OutputFileOptions): void {
  const what = `refusing to write ${named(abs, opts.option)}`;
  const companion = /-(wal|shm|journal)$/.exec(abs);
  if (isSqliteFile(abs) || (companion && isSqliteFile(abs.slice(0, companion.index)))) {
    throw new InputError({ message: `${what}: it is a SQLite database (the registry?)`, why: 'reports never replace a database: its runs, marks and audit trail would be lost.', hint: 'choose another path for the report.' });
  }
  if (/\.ya?ml$/i.test(abs) && existsSync(abs)) {
    throw new InputError({ message: `${what}: it is an existing YAML file`, why: 'prompt versions, eval sets and the config are YAML; promptctl never writes a report over one.', hint: 'choose another path, e.g. with .md, .xml, .html or .json.' });
  }
  const role = projectFileRole(abs);
  if (role) {
    throw new InputError({ message: `${what}: it is ${role}`, why: 'promptctl never writes a report over a file a project keeps: its cases or versions would be lost.', hint: 'choose another path for the output, e.g. outside prompts/, evalsets/ and the data folders.' });
  }
}

/**
 * `-` is standard output (core/stdout-path.ts); a command that reaches here with it prints its own
 * results there, or writes what it writes as a file only: exit 2, not a file named "-".
 */
function refuseStdout(file: string, opts: OutputFileOptions): void {
  if (!isStdoutPath(file)) return;
  throw new InputError({
    message: `cannot write ${named(file, opts.option)}: this option writes a file, not standard output`,
    why: '`-` stands for standard output, where only `export -o -` and `report -o -` print what they write.',
    hint: 'give a file path (./- for a file named "-").',
  });
}

/**
 * Checks, before any work is done, that `file` can be written: commands that record results call
 * this first, so a mistyped report path fails before the registry changes. Returns the absolute path.
 */
export function checkOutputPath(cwd: string, file: string, opts: OutputFileOptions = {}): string {
  refuseStdout(file, opts);
  const abs = path.resolve(cwd, file);
  const fail = (code: string): never => {
    throw outputPathError(Object.assign(new Error(code), { code }), abs, opts);
  };
  if (existsSync(abs)) {
    if (statSync(abs).isDirectory()) fail('EISDIR');
    if (opts.exclusive) fail('EEXIST');
  }
  // A link to a missing file is there all the same: creating the file exclusively fails on it.
  if (opts.exclusive && danglingLinkTarget(abs) !== undefined) fail('EEXIST');
  refuseRecordedFile(abs, opts);
  const near = nearestExisting(abs);
  if (!statSync(near).isDirectory()) fail('ENOTDIR');
  if (near !== path.dirname(abs) && opts.createFolders === false) fail('ENOENT');
  try {
    accessSync(existsSync(abs) ? abs : near, constants.W_OK);
  } catch {
    fail('EACCES');
  }
  if (!existsSync(abs)) probeCreate(abs, near, opts);
  return abs;
}

/**
 * Write permission is not proof (procfs, read-only mounts, quotas): create the first missing piece
 * of the path and remove it again, so a path that cannot be made fails before the work, not after
 * a whole eval. (Node's recursive mkdir can also spin forever under /proc.)
 */
function probeCreate(abs: string, near: string, opts: OutputFileOptions): void {
  const first = path.join(near, path.relative(near, abs).split(path.sep)[0]!);
  try {
    if (first === abs) {
      closeSync(openSync(abs, 'wx'));
      unlinkSync(abs);
    } else {
      mkdirSync(first);
      rmdirSync(first);
    }
  } catch (error) {
    const code = errorCode(error) ?? 'EACCES';
    throw new InputError({
      message: `cannot write ${named(abs, opts.option)}: the system refused to create ${first} (${code})`,
      why: 'the folder exists but does not accept new files (a read-only or virtual file system?).',
      hint: 'choose a path on a normal writable disk.',
    });
  }
}

/** Writes a file the user asked for, relative to the command's cwd (creating folders unless told not to); whole or not at all. */
export function writeOutputFile(cwd: string, file: string, text: string, opts: OutputFileOptions = {}): string {
  refuseStdout(file, opts);
  const abs = path.resolve(cwd, file);
  if (!opts.exclusive) refuseRecordedFile(abs, opts);
  let out: WholeFile | undefined;
  try {
    if (opts.createFolders !== false) mkdirSync(path.dirname(abs), { recursive: true });
    out = openWholeFile(abs, opts.exclusive);
    out.write(text);
    out.commit();
  } catch (error) {
    out?.abandon();
    throw outputPathError(error, abs, opts) ?? outputWriteFault(error, abs, opts) ?? error;
  }
  return abs;
}

/** Appends to a file named by the environment (`$GITHUB_STEP_SUMMARY`): never creates folders. */
export function appendOutputFile(cwd: string, file: string, text: string, opts: OutputFileOptions = {}): string {
  const abs = path.resolve(cwd, file);
  refuseRecordedFile(abs, opts);
  try {
    appendFileSync(abs, text);
  } catch (error) {
    throw outputPathError(error, abs, { ...opts, createFolders: false }) ?? outputWriteFault(error, abs, opts) ?? error;
  }
  return abs;
}

/** `writeOutputFile` for a file written as it is made: each chunk goes to disk before the next is asked for. */
export async function writeOutputChunks(cwd: string, file: string, chunks: AsyncIterable<string>, opts: OutputFileOptions = {}): Promise<string> {
  refuseStdout(file, opts);
  const abs = path.resolve(cwd, file);
  if (!opts.exclusive) refuseRecordedFile(abs, opts);
  let out: WholeFile | undefined;
  try {
    if (opts.createFolders !== false) mkdirSync(path.dirname(abs), { recursive: true });
    out = openWholeFile(abs, opts.exclusive);
    for await (const chunk of chunks) {
      out.write(chunk);
      if (opts.stop) await stopWhenAborted(opts.stop);
    }
    out.commit();
  } catch (error) {
    out?.abandon();
    if (opts.stop && opts.stop.signal.aborted) throw error;
    throw outputPathError(error, abs, opts) ?? outputWriteFault(error, abs, opts) ?? error;
  }
  return abs;
}

/** Lets the event loop turn (a signal's handler runs then), and throws `stopped` once the signal has aborted. */
export async function stopWhenAborted(stop: { signal: AbortSignal; stopped: () => Error }): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (stop.signal.aborted) throw stop.stopped();
}

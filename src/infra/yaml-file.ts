import { readFileSync, statSync, type Stats } from 'node:fs';
import type { Problem } from '../core/errors.js';
import { MAX_FILE_BYTES, type Locate } from '../core/yaml-source.js';
import { decodeUtf8, parseYamlText } from './yaml-text.js';
import { errorCode } from '../core/errors.js';

/** Reading one YAML file of a project from disk, hardened: size limit, strict UTF-8, finite numbers. */

export interface LoadedYaml {
  data: unknown;
  locate: Locate;
  problems: Problem[];
}

/** Where a problem of a file that could not be read or parsed is: its start. */
export const noLocate: Locate = () => ({ line: 1, col: 1 });

export function readYaml(abs: string, file: string): LoadedYaml {
  const read = readFileBytes(abs, file);
  return read.bytes ? parseYamlBytes(read.bytes, abs, file) : { data: undefined, locate: noLocate, problems: read.problems };
}

/**
 * The one wording for a path that must be a regular file and is a device, socket or pipe. Judged
 * from a stat (which follows links) before the file is opened: opening a named pipe blocks until
 * a writer comes, in a call no signal interrupts, and a device such as /dev/zero never ends.
 */
export const NOT_REGULAR_FILE = 'is not a regular file (a device, socket or pipe)';

/** Whether `st` is something other than a regular file or a folder (a folder has its own message). */
const isSpecialFile = (st: Stats): boolean => !st.isFile() && !st.isDirectory();

/**
 * A file's bytes (a project file, a --vars-file), within the size limit; never opens a device,
 * socket or pipe (`special`: that was the reason, for a caller's hint).
 */
export function readFileBytes(abs: string, file: string): { bytes?: Buffer; problems: Problem[]; special?: true } {
  let size: number;
  try {
    const st = statSync(abs);
    if (isSpecialFile(st)) return { problems: [{ ...fileProblem(file, `${NOT_REGULAR_FILE}: promptctl reads YAML from a file on disk; name one`), rule: UNREADABLE_RULE }], special: true };
    size = st.size;
  } catch (e) {
    return { problems: [unreadable(file, e)] };
  }
  if (size > MAX_FILE_BYTES) return { problems: [fileProblem(file, `file is ${size} bytes; the limit is ${MAX_FILE_BYTES} (1 MiB)`)] };
  try {
    return { bytes: readFileSync(abs), problems: [] };
  } catch (e) {
    return { problems: [unreadable(file, e)] };
  }
}

/** The rule of a project file this process cannot read: what commands that judge a file's content (ci's edit check) leave to this problem. */
export const UNREADABLE_RULE = 'file/unreadable';

function unreadable(file: string, e: unknown): Problem {
  const code = errorCode(e);
  const hint = code === 'EACCES' || code === 'EPERM' ? ': check its permissions (this user must be able to read it)' : code === 'EISDIR' ? ': a folder is where the file should be' : '';
  return { ...fileProblem(file, `cannot read file: ${(e as Error).message}${hint}`), rule: UNREADABLE_RULE };
}

/** Strict UTF-8, a YAML mapping, finite numbers; positions are read from `abs` again only if asked for. */
export function parseYamlBytes(bytes: Uint8Array, abs: string, file: string): LoadedYaml {
  const decoded = decodeUtf8(bytes, file);
  if (decoded.text === undefined) return { data: undefined, locate: noLocate, problems: decoded.problems };
  const parsed = parseYamlText(decoded.text, file, () => readFileSync(abs, 'utf8'));
  if (!parsed.problems.length && (parsed.data === null || typeof parsed.data !== 'object' || Array.isArray(parsed.data))) {
    parsed.problems.push(fileProblem(file, 'the file must be a YAML mapping (key: value pairs)'));
  }
  if (!parsed.problems.length) {
    // .inf and .nan are valid YAML but have no JSON form: the content hash could not be computed.
    const at = nonFinitePath(parsed.data, []);
    if (at) {
      const pos = parsed.locate(at);
      // A number too large for a double (1e400) reads as infinity too: said, as the user wrote neither .inf nor .nan.
      parsed.problems.push(fileProblem(file, 'numbers must be finite: .inf, .nan and a number too large to hold (such as 1e400) have no JSON form', at.join('.'), pos.line, pos.col));
    }
  }
  return parsed;
}

/** The path of the first non-finite number, walking one shared path stack (a copy only when found). */
function nonFinitePath(value: unknown, at: Array<string | number>): Array<string | number> | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : [...at];
  if (value === null || typeof value !== 'object') return undefined;
  const entries: Iterable<[string | number, unknown]> = Array.isArray(value) ? value.entries() : Object.entries(value);
  for (const [k, v] of entries) {
    if (typeof v !== 'number' && (v === null || typeof v !== 'object')) continue;
    at.push(k);
    const found = nonFinitePath(v, at);
    at.pop();
    if (found) return found;
  }
  return undefined;
}

export function fileProblem(file: string, message: string, field = '', line = 1, col = 1): Problem {
  return { file, line, col, field, message, severity: 'error' };
}

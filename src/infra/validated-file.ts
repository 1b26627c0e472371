import { readFileSync } from 'node:fs';
import { canonicalJson, sha256Hex } from '../core/canonical.js';
import type { Problem } from '../core/errors.js';
import type { Locate } from '../core/yaml-source.js';
import type { FileCache } from './file-cache.js';
import { parseYamlBytes, readFileBytes, type LoadedYaml } from './yaml-file.js';
import { locateLater } from './yaml-text.js';
import { appendAll } from '../core/append.js';

/** One project file read, parsed and validated, or taken from the file cache for the same bytes. */
export interface ValidatedFile<T> {
  value: T;
  /** SHA-256 of the canonical JSON of the file's parsed data: what the registry pins. */
  hash: string;
  /** That canonical JSON, when asked for (prompt versions keep it; suites do not, for memory). */
  canonical?: string;
  /** With `canonicalize`: the hash of the all-sorted canonical JSON, when that is another form (core/sent-schemas.ts `versionContentForms`). */
  sortedHash?: string;
  locate: Locate;
}

type Entry<T> = Omit<ValidatedFile<T>, 'locate'>;

/**
 * Reads one project file. `check` is all of its validation (the schema and the file's own rules,
 * such as an id matching its folder) and must depend only on the file's path and bytes: its result
 * is what the cache keeps. Problems go to `problems`; a file with any is never cached, so it is
 * parsed again and reported with positions every time.
 */
export function readValidatedFile<T>(
  cache: FileCache,
  kind: string,
  abs: string,
  file: string,
  problems: Problem[],
  check: (loaded: LoadedYaml) => { value?: T; problems: Problem[] },
  opts: { keepCanonical?: boolean; canonicalize?: (data: unknown) => { canonical: string; hash: string; sortedHash?: string } } = {},
): ValidatedFile<T> | undefined {
  const read = readFileBytes(abs, file);
  if (!read.bytes) {
    appendAll(problems, read.problems);
    return undefined;
  }
  const hit = cache.get(kind, file, read.bytes) as Partial<Entry<T>> | undefined;
  if (hit && typeof hit.hash === 'string' && hit.value !== undefined && (!opts.keepCanonical || typeof hit.canonical === 'string')) {
    return { ...(hit as Entry<T>), locate: locateLater(() => readFileSync(abs, 'utf8')) };
  }
  const loaded = parseYamlBytes(read.bytes, abs, file);
  if (loaded.problems.length) {
    appendAll(problems, loaded.problems);
    return undefined;
  }
  const checked = check(loaded);
  appendAll(problems, checked.problems);
  if (checked.problems.length || checked.value === undefined) return undefined;
  const { canonical, hash, sortedHash } = opts.canonicalize ? opts.canonicalize(loaded.data) : plainForm(loaded.data);
  const entry: Entry<T> = { value: checked.value, hash, ...(opts.keepCanonical ? { canonical } : {}), ...(sortedHash ? { sortedHash } : {}) };
  cache.set(kind, file, read.bytes, entry);
  return { ...entry, locate: loaded.locate };
}

function plainForm(data: unknown): { canonical: string; hash: string; sortedHash?: string } {
  const canonical = canonicalJson(data);
  return { canonical, hash: sha256Hex(canonical) };
}

import { existsSync, statSync } from 'node:fs';

/**
 * The one rule for a path that cannot be a registry by its kind — a YAML file (the config, a
 * prompt version, a suite), a folder, a device or other special file (/dev/null) — shared by the
 * CLI's `registry.path` check (registry-path.ts) and the library's `openRegistry({ path })`
 * (reader-options.ts), which word it each for their own reader. Loads nothing but node:fs, so
 * the library entry stays light.
 */
export function notRegistryKind(file: string): { kind: 'yaml' | 'folder' | 'special'; what: string; why: string } | undefined {
  if (/\.ya?ml$/i.test(file)) {
    return { kind: 'yaml', what: 'a YAML file', why: 'the registry is a SQLite database; YAML files are the config, prompt versions and suites, and opening one as the registry would write into it.' };
  }
  if (!existsSync(file)) return undefined;
  const st = statSync(file);
  if (st.isDirectory()) return { kind: 'folder', what: 'which is a folder', why: 'the registry is one file, not a folder.' };
  if (!st.isFile()) return { kind: 'special', what: 'which is a device or special file, not a regular file', why: 'the registry must be a regular file that SQLite can keep (a device such as /dev/null keeps nothing).' };
  return undefined;
}

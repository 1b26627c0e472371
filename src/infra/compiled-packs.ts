import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AttackPack } from '../core/attacks/pack-schema.js';
import { packagePath } from './package-paths.js';

/**
 * The shipped attack packs, read, validated and checked as a set at build time
 * (scripts/gen-packs.mjs writes dist/packs.json). Every command that expands `attacks:` (eval,
 * deploy's gates, status, report) needs them; parsing and validating the eight YAML files took
 * about 0.1 s of such a command, reading this file about 1 ms.
 *
 * The file records the SHA-256 of each pack file it was made from. It is used only when packs/
 * holds exactly those files with exactly those bytes, so an edited, added or removed pack (a
 * checkout without a rebuild) is read from its YAML as before, with the same problems reported.
 * Only code running from dist/ uses it (made by the same build); code run from src/ (the tests)
 * always parses the YAML, so a schema changed since the last build cannot be bypassed.
 */

export interface CompiledPacks {
  /** packs/*.yaml in name order, each with the SHA-256 of its bytes. */
  sources: Array<{ name: string; sha256: string }>;
  packs: AttackPack[];
}

/** dist/packs.json, when this module runs from dist/ (tsc output or the CLI bundle). */
export function compiledPacksPath(): string | undefined {
  const dist = packagePath('dist');
  return fileURLToPath(import.meta.url).startsWith(dist + path.sep) ? path.join(dist, 'packs.json') : undefined;
}

/** The pack files of `dir` in the order readPackFiles reads them, with their hashes. */
export function packSources(dir: string): CompiledPacks['sources'] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((name) => ({ name, sha256: createHash('sha256').update(readFileSync(path.join(dir, name))).digest('hex') }));
}

/** The text of dist/packs.json for packs parsed and checked from `dir`. */
export function compiledPacksJson(dir: string, packs: AttackPack[]): string {
  const compiled: CompiledPacks = { sources: packSources(dir), packs };
  return `${JSON.stringify(compiled)}\n`;
}

/** The compiled packs when `file` matches the pack files of `dir` byte for byte; otherwise undefined. */
export function readCompiledPacks(dir = packagePath('packs'), file = compiledPacksPath()): AttackPack[] | undefined {
  if (file === undefined) return undefined;
  let compiled: CompiledPacks;
  try {
    compiled = JSON.parse(readFileSync(file, 'utf8')) as CompiledPacks;
  } catch {
    return undefined; // not built yet, or unreadable: parse the YAML
  }
  if (!Array.isArray(compiled.sources) || !Array.isArray(compiled.packs)) return undefined;
  const now = packSources(dir);
  const same = now.length === compiled.sources.length && now.every((s, i) => s.name === compiled.sources[i]?.name && s.sha256 === compiled.sources[i]?.sha256);
  return same ? compiled.packs : undefined;
}

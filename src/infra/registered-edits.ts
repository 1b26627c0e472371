import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputError, isPromptctlError, type Problem } from '../core/errors.js';
import { CONFIG_FILE, type Project, type PromptFile } from './project.js';
import { findEdited } from './project-registry.js';
import { checkRegistryPath } from './registry-path.js';
import { openPostgresRegistry } from './registry/postgres/registry.js';
import { openSqliteRegistry } from './registry/sqlite.js';
import { registryTarget, type Env } from './registry/target.js';
import type { Registry } from './registry/types.js';

/**
 * Version files that no longer match the content the registry pinned for them, found read-only:
 * `lint` and `list` report them without registering anything, and without creating a registry
 * where there is none (a fresh checkout has nothing registered, so nothing can be edited).
 */

/** The first field (dotted path) where two JSON values differ, '' when they differ as a whole. */
function firstDifference(a: unknown, b: unknown, at: Array<string | number> = []): Array<string | number> | undefined {
  if (JSON.stringify(a) === JSON.stringify(b)) return undefined;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const key = Array.isArray(a) ? Number(k) : k;
      const found = firstDifference((a as any)[k], (b as any)[k], [...at, key]);
      if (found) return found;
    }
  }
  return at;
}

export async function registeredEditProblems(project: Project, env: Env, versions: PromptFile[] = project.prompts): Promise<Problem[]> {
  const target = registryTarget(project.config.registry, env, (p) => path.resolve(project.root, p));
  if (target.backend === 'sqlite') {
    try {
      checkRegistryPath(project);
    } catch (error) {
      // registry.path names what cannot be a registry (a folder, a device, a YAML file): a config error lint reports.
      if (error instanceof InputError) return error.problems.map((p) => ({ ...p, rule: 'config/registry-path' }));
      throw error;
    }
    if (!existsSync(target.path)) return [];
  }
  if (!versions.length) return [];
  const where = target.backend === 'sqlite' ? project.config.registry.path : CONFIG_FILE;
  const unreadable = (error: unknown): Problem[] => {
    const why = error instanceof Error ? error.message : String(error);
    return [{ file: where, line: 1, col: 1, field: '', message: `could not read the registry (${why}): edits to registered versions were not checked`, severity: 'warning', rule: 'version/edited' }];
  };
  let registry: Registry;
  try {
    registry = target.backend === 'sqlite' ? openSqliteRegistry({ path: target.path, readonly: true }) : openPostgresRegistry({ target: target.pg, readonly: true });
  } catch (error) {
    return unreadable(error);
  }
  try {
    return await editProblems(registry, versions);
  } catch (error) {
    // A damaged SQLite file or an unreachable PostgreSQL: lint still reports the files; the
    // registry's own commands say exit 3.
    if (isPromptctlError(error) && error.exitCode === 3) return unreadable(error);
    throw error;
  } finally {
    await registry.close();
  }
}

async function editProblems(registry: Registry, versions: PromptFile[]): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const { version: v, record } of await findEdited(registry, versions)) {
    let at: Array<string | number> = [];
    try {
      at = firstDifference(JSON.parse(record.content), JSON.parse(v.canonical)) ?? [];
    } catch {
      // Unparseable registered content: point at the whole file.
    }
    const pos = v.locate(at);
    problems.push({
      file: v.file,
      line: pos.line,
      col: pos.col,
      field: at.join('.'),
      message: `${v.id}@${v.version} was edited after being registered (registered sha256:${record.contentHash.slice(0, 12)}…, now sha256:${v.hash.slice(0, 12)}…): registered versions are immutable; restore the file (git checkout -- ${v.file}) and create the next version with \`promptctl new ${v.id}\``,
      severity: 'error',
      rule: 'version/edited',
    });
  }
  return problems;
}

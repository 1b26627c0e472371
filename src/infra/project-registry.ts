import { registryNotice } from './registry-notices.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RegistryAccess } from './registry-access.js';
import type { PromptFile } from './project.js';
import { checkRegistryPath, neverRecorded, noRegistryError, projectRegistryTarget, type RegistryProject } from './registry-path.js';
import { deferredRegistry } from './registry/deferred.js';
import { openSqliteRegistry } from './registry/sqlite.js';
import type { OnUpgrade } from './registry/sqlite-open.js';
import type { Registry, VersionRecord } from './registry/types.js';

export interface OpenRegistryOptions extends RegistryAccess {
  readonly?: boolean;
  /**
   * A reader that shows what is recorded refuses a missing SQLite file (exit 2) rather than showing
   * an empty registry, except a project that has recorded nothing yet (registry-path.ts `neverRecorded`).
   * `'always'`: that exception too (what `export` hands to a deploy: an empty bundle would publish nothing).
   */
  mustExist?: boolean | 'always';
  /** Told when a writer upgraded an older SQLite file; by default one `warning:` line on stderr. */
  onUpgrade?: OnUpgrade;
}

/**
 * A writer upgrades an older file in place, and says so once: from then on the promptctl that
 * wrote it refuses it ("written by a newer promptctl"), which its users should hear from this one.
 * To the CLI's stderr (registry-notices.ts) because every command that records may be the one that
 * upgrades; `registry migrate` reports its own upgrade.
 */
export function upgradeNotice(file: string, from: number, to: number): string {
  return `upgraded the registry at ${file} from schema ${from} to ${to}: a promptctl older than this one can no longer open it (it refuses a registry written by a newer promptctl)`;
}

const warnUpgrade = (file: string): OnUpgrade => (from, to) => registryNotice(upgradeNotice(file, from, to));

/**
 * A command that records made a new SQLite registry, said once on the same channel as an upgrade.
 * promptctl cannot tell a project's first registry from one deleted under it (`git clean -fdx` and
 * `git stash --all` remove the ignored .promptctl/ folder; both leave no file and no folder), so
 * every creation by a recording command says it: one line on a first eval, against history and an
 * audit log that would otherwise restart empty without a word.
 */
export function createdNotice(shown: string): string {
  return `created a new registry at ${shown} (there was none). If this project had one, restore it from its backup before recording more: git clean -fdx and git stash --all delete it (git clean -fdx -e .promptctl keeps it)`;
}

/**
 * The registry of a project: PostgreSQL when PROMPTCTL_REGISTRY_URL or registry.url says so
 * (connected on first use), else the SQLite file at registry.path (relative to the project root).
 */
export function openProjectRegistry(project: RegistryProject, opts: OpenRegistryOptions): Registry {
  // Appends refuse an unsigned event from signing.since on, whatever the log says.
  const signingSince = project.config.signing?.since;
  const target = projectRegistryTarget(project, opts.env);
  if (target.backend === 'postgres') {
    const { pg } = target;
    return deferredRegistry(pg.display, async () => (await import('./registry/postgres/registry.js')).openPostgresRegistry({ target: pg, readonly: opts.readonly, clock: opts.clock, signingSince, signal: opts.signal }));
  }
  const file = checkRegistryPath(project);
  if (opts.mustExist && !existsSync(file) && !(opts.mustExist !== 'always' && opts.readonly && neverRecorded(project, file, opts.env))) throw noRegistryError(project, file);
  // A reader of a project that has no registry yet sees an empty one, and creates no file.
  if (opts.readonly && !existsSync(file)) return openSqliteRegistry({ path: ':memory:', clock: opts.clock });
  // Said by the process whose new file was put in place: of several commands starting at once on a
  // project without one, only one created it.
  let created = false;
  const registry = openSqliteRegistry({ path: file, readonly: opts.readonly, clock: opts.clock, signingSince, onUpgrade: opts.onUpgrade ?? warnUpgrade(file), onCreated: () => (created = true) });
  try {
    if (created) registryNotice(createdNotice(path.relative(project.root, file) || file));
  } catch (err) {
    // A listener that threw ends the use case: the registry it would have used is not left open.
    void registry.close().catch(() => {});
    throw err;
  }
  return registry;
}

/** What the registry keeps of a version file: its canonical content and the hash of it. */
export function versionRecordOf(v: PromptFile): Omit<VersionRecord, 'createdAt'> {
  return { promptId: v.id, version: v.version, contentHash: v.hash, content: v.canonical, description: v.data.description, author: v.data.author };
}


import { nextFreeVersion } from '../core/refs.js';
import type { EditOrigin } from '../core/version-state.js';
import { gitForPaths } from './git-paths.js';
import { mayBeInRepository } from './git.js';
import type { Project } from './project.js';
import type { Registry } from './registry/types.js';

/**
 * Whether a file's content is an edit in this working tree or what the checked-out commit holds:
 * the two need different fixes (an uncommitted edit is restored with `git checkout -- <file>`,
 * which does nothing to content a branch or an old tag committed).
 */

/** A file against HEAD: changed in the working tree or the index, or as the checked-out commit has it. */
export type HeadState = 'uncommitted' | 'committed';

export interface HeadStates {
  /** The commit checked out, as a person names it: `branch feat-b at 1a2b3c4`, or `commit 1a2b3c4` when detached. */
  checkout: string;
  /** By file, relative to the project; an untracked, ignored or only-added file is left out (git has no content for it). */
  states: Map<string, HeadState>;
}

/**
 * The state of each of `files` (relative to `root`) and what HEAD is, from one `git status` for all
 * of them (one per batch of a great many). Undefined outside a repository or without git; before the
 * first commit, and for a file only added to the index, git has no copy of the file (left out of `states`).
 */
export function headStates(root: string, files: readonly string[]): HeadStates | undefined {
  if (!files.length) return undefined;
  let out: string;
  try {
    // In batches that fit a command line (git-paths.ts); each answer repeats the branch lines.
    out = gitForPaths(root, ['status', '--porcelain=v2', '-z', '--branch', '--no-renames', '--untracked-files=all', '--ignored=matching'], files);
  } catch {
    return undefined;
  }
  let branch: string | undefined;
  let commit: string | undefined;
  // Porcelain paths are relative to the repository's top folder; each is one of `files` (the
  // pathspecs), found by its ending so no second call asks where the project is in the repository.
  const listed = new Map<string, 'changed' | 'untracked'>();
  for (const entry of out.split('\0')) {
    if (entry.startsWith('# branch.oid ')) commit = entry.slice('# branch.oid '.length);
    else if (entry.startsWith('# branch.head ')) branch = entry.slice('# branch.head '.length);
    else if (/^[12u] /.test(entry)) {
      // Added to the index but in no commit (`A.`, `AM`): git checkout -- would restore the staged
      // copy, which is not what was released, so git has no copy of it to restore from.
      const fields = entry.split(' ');
      listed.set(fields.slice(entry[0] === '1' ? 8 : entry[0] === '2' ? 9 : 10).join(' '), fields[1]?.startsWith('A') ? 'untracked' : 'changed');
    } else if (/^[?!] /.test(entry)) listed.set(entry.slice(2), 'untracked');
  }
  if (!commit) return undefined;
  // No commit yet (`git init` only): no file has a committed copy, whatever the index holds.
  if (commit === '(initial)') return { checkout: `branch ${branch ?? 'main'} with no commit yet`, states: new Map() };
  const short = commit.slice(0, 7);
  const states = new Map<string, HeadState>();
  for (const file of files) {
    const found = [...listed].find(([p]) => p === file || p.endsWith(`/${file}`))?.[1];
    if (found !== 'untracked') states.set(file, found === 'changed' ? 'uncommitted' : 'committed');
  }
  return { checkout: branch && branch !== '(detached)' ? `branch ${branch} at ${short}` : `commit ${short}`, states };
}

/**
 * Why each edited released version's file differs from what was released (core/version-state.ts
 * `EditOrigin`), by file: one git call for all of them, none when there are none. Each names the
 * number `promptctl new <id>@<version>` will copy the content to: the next free patch
 * (core/refs.ts `nextFreeVersion`), past every version file here and registered version (`known`).
 * A file git has no copy of (untracked or ignored, or no repository at all) is `untracked`.
 */
export function editOrigins(root: string, edited: ReadonlyArray<{ id: string; version: string; file: string }>, known: (id: string) => readonly string[]): Map<string, EditOrigin> {
  const origins = new Map<string, EditOrigin>();
  const head = headStates(root, edited.map((e) => e.file));
  // Outside a repository git has no copy of any file; a repository git cannot read says nothing.
  if (!head && mayBeInRepository(root)) return origins;
  for (const e of edited) {
    // An untracked or ignored file: git has no copy to restore it from.
    const state = head ? (head.states.get(e.file) ?? 'untracked') : 'untracked';
    const next = nextFreeVersion(e.version, 'patch', known(e.id)).version;
    origins.set(e.file, state === 'committed' ? { kind: 'committed', checkout: head!.checkout, next } : { kind: state, next });
  }
  return origins;
}

/** `editOrigins` for a loaded project: the numbers taken are its version files' and the registry's. */
export async function projectEditOrigins(project: Project, registry: Registry, edited: ReadonlyArray<{ id: string; version: string; file: string }>): Promise<Map<string, EditOrigin>> {
  if (!edited.length) return new Map();
  const known = new Map<string, string[]>();
  for (const id of new Set(edited.map((e) => e.id))) {
    known.set(id, [...project.prompts.filter((p) => p.id === id).map((p) => p.version), ...(await registry.listVersions(id)).map((v) => v.version)]);
  }
  return editOrigins(project.root, edited, (id) => known.get(id) ?? []);
}

import { ownForm } from '../infra/registered-form.js';
import { InputError, type Problem } from '../core/errors.js';
import { editedAfterReleaseHint, editedAt } from '../core/version-state.js';
import { editedOnBaseText, restoreFromBase } from '../core/ci/checks.js';
import type { CiPlan } from '../core/ci/plan.js';
import { changedFiles, type ResolvedBase } from '../infra/git-base.js';
import { fromCwdOf, realPathOf } from '../infra/real-path.js';
import path from 'node:path';
import type { Project, PromptFile } from '../infra/project.js';
import { versionsAt, versionsHeldAt } from './versions-at-base.js';
import { resolveDefault } from './default-base.js';
import { withGitMemo } from '../infra/git-memo.js';
import type { Env } from './context.js';

/**
 * ci's `version/edited` for eval, deploy and promote from a git checkout. A version is released
 * once it is on the base branch (PRODUCT.md: deployed or merged), and then immutable. A version the
 * default branch held where this checkout left it, whose file reads otherwise now (an edit on main
 * itself, or on a branch), is refused as ci refuses it: before, a terminal's eval registered the
 * edited content and its deploy released it, content no commit holds.
 */

/**
 * The versions among `files` the base held where this checkout left it with other content, each
 * with where its file first differs, as ci locates it. The base is read as ci reads a version there
 * (`versionsAt`: either YAML extension, the base's own links); a base file that does not load there
 * is no content to hold the version to.
 */
function editedSinceBase(project: Project, base: ResolvedBase, files: readonly PromptFile[]): Array<{ v: PromptFile; at: Pick<Problem, 'line' | 'col' | 'field'> }> {
  // One version evaluated on two models is one file.
  const unique = [...new Map(files.map((v) => [v.file, v])).values()];
  const atBase = versionsAt(project, { ref: base.from, top: base.top }, unique.map((v) => v.file));
  return unique.flatMap((v, i) => {
    const canonical = atBase[i]?.canonical;
    if (canonical === undefined || atBase[i]?.hash === ownForm(v).hash) return [];
    return [{ v, at: editedAt(canonical, ownForm(v).canonical, v.locate) }];
  });
}

/**
 * Where the released content of each of `files` (the base's names) can be checked out from, for the
 * restore an edit's refusal gives: the base by name while its tip holds the file as the checkout
 * left it (the usual case), else the commit where the checkout left it, since the base deleted or
 * rewrote the file after (`git checkout main -- <file>` would then fail, or bring other content).
 */
export function restoreSources(project: Project, base: ResolvedBase, files: readonly string[]): (file: string) => string {
  if (!files.length) return () => base.ref;
  const left = versionsAt(project, { ref: base.from, top: base.top }, files);
  const tip = versionsAt(project, { ref: base.ref, top: base.top }, files);
  const moved = new Set(files.filter((_f, i) => tip[i]?.canonical === undefined || tip[i]?.canonical !== left[i]?.canonical));
  return (file) => (moved.has(file) ? base.from.slice(0, 12) : base.ref);
}

/** Each of `edited` as ci's `version/edited` problem: at the first difference, in ci's words; its restore names the file from where the command ran (`here`). */
function editedProblems(base: ResolvedBase, edited: ReturnType<typeof editedSinceBase>, source: (file: string) => string, here: (file: string) => string): Problem[] {
  return edited.map(({ v, at }) => ({ file: v.file, ...at, message: editedOnBaseText(`${v.id}@${v.version}`, base.ref, v.file, restoreFromBase(source(v.file), here(v.file))), severity: 'error', rule: 'version/edited' }));
}

/**
 * lint's word on the same edits (read-only): the versions among `files` the default branch released
 * where this checkout left it, edited since, as errors. Outside a git checkout, or where git cannot
 * name the default branch, nothing.
 */
export function editedOnBaseProblems(project: Project, env: Env, files: readonly PromptFile[]): Problem[] {
  if (!files.length) return [];
  return withGitMemo(() => {
    const base = resolveDefault(project.root, env);
    return base ? editedAtBase(project, base, files) : [];
  });
}

function editedAtBase(project: Project, base: ResolvedBase, files: readonly PromptFile[]): Problem[] {
  // None to look at (the default branch holds none of them): no `git diff` to ask.
  if (!files.length) return [];
  // Every version file read at the base would cost a parse each (4,000 versions: a second of
  // every lint): only those git says changed since, and those reached through a link, whose
  // change git names under the link's target.
  const changed = new Set(changedFiles(project.root, base).map((c) => c.file));
  const realRoot = realPathOf(project.root);
  const edited = editedSinceBase(project, base, files.filter((v) => changed.has(v.file) || reachedThroughLink(project.root, realRoot, v.file)));
  return editedProblems(base, edited, restoreSources(project, base, edited.map(({ v }) => v.file)), fromCwdOf(project));
}

/** What the default branch released among a checkout's version files (`releasedOnBase`). */
export interface BaseReleases {
  /** The default branch, as the edits name it (`main`). */
  base: string;
  /** The files it holds where this checkout left it: released, deployed or not. */
  held: ReadonlySet<string>;
  /** lint's `version/edited` errors for those edited since, but for the files in `said`. */
  edited: Problem[];
}

/**
 * The versions among `files` the default branch released where this checkout left it (README: in a
 * git project a version is released once it is on the base branch, deployed or not), and lint's
 * errors for those edited since: `list` and `show` call them released, as eval and lint hold them.
 * `said`: files whose edit the registry already reports, in its own words. Outside a git checkout,
 * or where git cannot name the default branch, undefined.
 */
export function releasedOnBase(project: Project, env: Env, files: readonly PromptFile[], said: ReadonlySet<string> = new Set()): BaseReleases | undefined {
  if (!files.length) return undefined;
  return withGitMemo(() => {
    const found = heldAtDefault(project.root, env, files.map((v) => v.file));
    if (!found) return undefined;
    const { base, held } = found;
    return { base: base.ref, held, edited: editedAtBase(project, base, files.filter((v) => held.has(v.file) && !said.has(v.file))) };
  });
}

/** `releasedOnBase` without the edits, for `status`, which loads no version file: which of `files` (project paths) the default branch holds. */
export function heldOnBase(root: string, env: Env, files: readonly string[]): Pick<BaseReleases, 'base' | 'held'> | undefined {
  if (!files.length) return undefined;
  return withGitMemo(() => {
    const found = heldAtDefault(root, env, files);
    return found && { base: found.base.ref, held: found.held };
  });
}

function heldAtDefault(root: string, env: Env, files: readonly string[]): { base: ResolvedBase; held: Set<string> } | undefined {
  const base = resolveDefault(root, env);
  if (!base) return undefined;
  const present = versionsHeldAt({ root }, { ref: base.from, top: base.top }, files);
  return { base, held: new Set(files.filter((_, i) => present[i])) };
}

/**
 * Refuses (exit 2, nothing recorded) the versions among `files` released on `base` and edited
 * since. `registered`: the registry's word, asked only of the edited ones: a version it released
 * (deployed) is refused by its own check, in its own words (deployed to …, the content hash).
 */
export async function requireUneditedOnBase(project: Project, base: ResolvedBase, files: readonly PromptFile[], use: 'deploy' | 'eval', released: (v: PromptFile) => Promise<boolean>): Promise<void> {
  const edited: ReturnType<typeof editedSinceBase> = [];
  for (const e of editedSinceBase(project, base, files)) if (!(await released(e.v))) edited.push(e);
  if (!edited.length) return;
  const [{ v }] = edited as [(typeof edited)[number]];
  const ref = `${v.id}@${v.version}`;
  const source = restoreSources(project, base, edited.map((e) => e.v.file));
  throw new InputError({
    message: edited.length === 1 ? `${ref} was edited after it was released (it is on ${base.ref})` : `${edited.length} versions were edited after they were released (they are on ${base.ref})`,
    problems: editedProblems(base, edited, source, fromCwdOf(project)),
    why: `a version is released once it is on ${base.ref} and is immutable from then on; ${use === 'deploy' ? 'deploying' : 'evaluating'} the edited file would register content no commit of ${base.ref} holds under its number (ci refuses the same edit).`,
    hint: editedAfterReleaseHint({ id: v.id, version: v.version, file: v.file, restore: restoreFromBase(source(v.file), fromCwdOf(project)(v.file)) }),
  });
}

/** ci's `restoreSources`: the base's files its edited versions come back from (a renamed one under its old name). */
export function editedRestoreSources(project: Project, base: ResolvedBase, plan: Pick<CiPlan, 'editedVersions' | 'renamed'>): (file: string) => string {
  return restoreSources(project, base, plan.editedVersions.map((file) => plan.renamed.find((r) => r.file === file)?.from ?? file));
}

/** Whether the file's real path is elsewhere (it, or a folder on its way, is a link); `realRoot`: the root's, resolved once. */
function reachedThroughLink(root: string, realRoot: string, file: string): boolean {
  return realPathOf(path.join(root, file)) !== path.join(realRoot, file);
}

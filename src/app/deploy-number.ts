import { InputError, type Problem } from '../core/errors.js';
import { ownForm } from '../infra/registered-form.js';
import { versionFileOf } from '../core/refs.js';
import { lookupIfPresent } from '../infra/project-query.js';
import { commitOf } from '../infra/git.js';
import type { ResolvedBase } from '../infra/git-base.js';
import { resolveDefault } from './default-base.js';
import type { Env } from './context.js';
import { withGitMemo } from '../infra/git-memo.js';
import type { Project, PromptFile } from '../infra/project.js';
import type { Registry } from '../infra/registry/types.js';
import { checkVersion } from '../infra/version-states.js';

/**
 * ci's `version/number-taken` check, for deploy, promote and eval from a git checkout: a draft this
 * branch added whose number the default branch's tip already holds with other content (a branch
 * that left the default branch before another branch's version of that number was merged).
 * Deploying it would release the branch's content under a number the default branch holds, which
 * then reads as "edited after it was released" everywhere; evaluating it would register the
 * branch's content as that draft in place of the default branch's. The default branch is
 * core/ci/base-choice.ts `defaultBranchRefs` (the CI service's, else origin/HEAD, else main or
 * master), resolved without network; where git cannot answer (no repository, no such branch, no
 * merge base in a shallow clone), nothing is checked.
 */

/**
 * Whether `base`'s tip holds `v`'s number with other content that the branch did not start from.
 * No shortcut for HEAD on the default branch's history: behind its tip (a checkout fetched but not
 * pulled) is exactly where another branch's version of the number arrived unseen. On the tip itself,
 * `from` is the tip, so the version found there is let through.
 */
async function takenOn(project: Project, base: ResolvedBase, v: PromptFile): Promise<boolean> {
  // Loaded only in a git checkout: it reads files at a commit with the full YAML parser, which a
  // deploy outside git (and every deploy's start-up) should not load.
  const { versionAtTip } = await import('./versions-at-base.js');
  const atTip = versionAtTip(project, base)(v.file);
  if (!atTip || atTip.hash === undefined || atTip.hash === ownForm(v).hash) return false;
  // Already there where the branch left the default branch: not a number this branch added.
  return !versionAtTip(project, { ref: base.from, top: base.top })(v.file);
}

/** Where the branch left the default branch at its tip (on the tip, or ahead of it), no number can have been taken since. */
function leftAtTip(root: string, base: ResolvedBase): boolean {
  // The commit resolveBaseRef verified `ref` names (kept for the command, or asked again outside one).
  return base.from === commitOf(root, base.ref);
}

async function takenError(registry: Registry, project: Project, base: ResolvedBase, taken: readonly PromptFile[], use: 'deploy' | 'eval'): Promise<InputError> {
  const { takenProblem } = await import('./number-taken.js');
  const problems = [];
  for (const v of taken) problems.push(await takenProblem(registry, project, v, base.ref, []));
  const ref = `${taken[0]!.id}@${taken[0]!.version}`;
  const verb = use === 'deploy' ? 'deployed' : 'evaluated';
  const subject = taken.length === 1 ? `${ref} cannot be ${verb} from this branch: its number is taken on ${base.ref}` : `${taken.length} versions cannot be ${verb} from this branch: their numbers are taken on ${base.ref}`;
  const held = taken.length === 1 ? `${base.ref} holds ${ref} with other content` : `${base.ref} holds these numbers with other content`;
  return new InputError({
    message: subject,
    problems,
    why: use === 'deploy'
      ? `${held}; released from here, that content would read as "edited after it was released" wherever ${base.ref} is checked out.`
      : `${held}; evaluated from here, this branch's content would be registered under the number in place of ${base.ref}'s draft, whose runs and tested marks would then belong to a superseded content (ci, deploy and promote refuse the number from this branch too).`,
    hint: use === 'deploy' ? 'rename this branch\'s version to the free number named above, evaluate it, and deploy that one.' : 'rename this branch\'s version to the free number named above, then evaluate that one.',
  });
}

/**
 * ci, before it registers anything: the default branch and the new versions among `files` whose
 * numbers its tip took since this branch left it, by git alone (undefined: nothing to check). ci's
 * own base may be another commit (GitLab's diff base, a pull request into another branch), and
 * ci's eval refuses these numbers: known first, nothing is written for a number it will refuse.
 */
export async function numbersTakenOnDefault(project: Project, files: readonly PromptFile[], env: Env): Promise<{ base: ResolvedBase; taken: PromptFile[] } | undefined> {
  const base = files.length ? resolveDefault(project.root, env) : undefined;
  if (!base || leftAtTip(project.root, base)) return undefined;
  return { base, taken: await takenAmong(project, base, files) };
}

/** The versions among `files` whose numbers `base`'s tip holds with other content (`takenOn`). */
async function takenAmong(project: Project, base: ResolvedBase, files: readonly PromptFile[]): Promise<PromptFile[]> {
  const taken: PromptFile[] = [];
  for (const v of files) if (await takenOn(project, base, v)) taken.push(v);
  return taken;
}

/**
 * deploy and promote: `v`, a draft in the registry, refused (exit 2, nothing recorded) when the
 * default branch released it where this checkout left it and its file was edited since
 * (released-on-base.ts), or when its number is taken there with other content.
 */
export async function requireFreeNumber(project: Project, v: PromptFile, registry: Registry, env: Env): Promise<void> {
  const base = resolveDefault(project.root, env);
  if (!base) return;
  // `v` is a draft in the registry (the caller's check): only git says it was released.
  await (await import('./released-on-base.js')).requireUneditedOnBase(project, base, [v], 'deploy', async () => false);
  if (leftAtTip(project.root, base) || !(await takenOn(project, base, v))) return;
  throw await takenError(registry, project, base, [v], 'deploy');
}

/**
 * eval, before anything is registered: the drafts among `files` whose numbers are taken on the
 * default branch, refused as deploy refuses them. git is asked first; the registry (`reader`, opened
 * only then) tells a draft from a released version, whose other content is refused as an edit.
 */
export async function requireFreeDraftNumbers(project: Project, files: readonly PromptFile[], env: Env, reader: () => Registry): Promise<void> {
  // git's answers kept across these questions (infra/git-memo.ts): a synchronous scope, so an
  // eval outside ci keeps no memo (and no promise hook) while it sends its requests.
  const resolved = files.length ? withGitMemo(() => {
    const base = resolveDefault(project.root, env);
    return base && { base, left: leftAtTip(project.root, base) };
  }) : undefined;
  if (!resolved) return;
  const { base } = resolved;
  // A version the default branch released, edited since: refused unless the registry released it
  // too (deployed), whose own check then refuses it in its words.
  await (await import('./released-on-base.js')).requireUneditedOnBase(project, base, files, 'eval', async (v) => (await checkVersion(reader(), v)).verdict.state === 'released');
  if (resolved.left) return;
  const taken = await takenAmong(project, base, files);
  if (!taken.length) return;
  const registry = reader();
  const drafts: PromptFile[] = [];
  for (const v of taken) if ((await checkVersion(registry, v)).verdict.state === 'draft') drafts.push(v);
  if (drafts.length) throw await takenError(registry, project, base, drafts, 'eval');
}

/**
 * lint, list and show (read-only): the versions among `files` this branch added whose numbers the
 * default branch's tip holds with other content (`takenOn`), as eval, deploy and ci refuse them.
 * Only files git says changed since the branch left the default branch are read there.
 */
async function numbersTakenHere(project: Project, files: readonly PromptFile[], env: Env): Promise<{ base: string; taken: PromptFile[] } | undefined> {
  if (!files.length) return undefined;
  // Loaded here, as takenOn loads what reads files at a commit: deploy's start-up does not need them.
  const { changedFiles } = await import('../infra/git-base.js');
  const found = withGitMemo(() => {
    const base = resolveDefault(project.root, env);
    if (!base || leftAtTip(project.root, base)) return undefined;
    const changed = new Set(changedFiles(project.root, base).map((c) => c.file));
    return { base, added: files.filter((v) => changed.has(v.file)) };
  });
  if (!found?.added.length) return undefined;
  return { base: found.base.ref, taken: await takenAmong(project, found.base, found.added) };
}

/**
 * lint's `version/number-taken` errors: the drafts among `files` whose numbers are taken on the
 * default branch, in ci's, eval's and deploy's words. A version the registry released is left to
 * its own checks. The registry is only read, and only when a number is taken.
 */
export async function numberTakenProblems(project: Project, files: readonly PromptFile[], env: Env): Promise<{ base: string; problems: Problem[] }> {
  const found = await numbersTakenHere(project, files, env);
  if (!found?.taken.length) return { base: found?.base ?? '', problems: [] };
  const { takenProblem } = await import('./number-taken.js');
  const problems = async (registry: Registry | undefined): Promise<Problem[]> => {
    const out: Problem[] = [];
    for (const v of found.taken) {
      if (registry && (await checkVersion(registry, v)).verdict.state === 'released') continue;
      out.push(await takenProblem(registry, project, v, found.base, []));
    }
    return out;
  };
  return { base: found.base, problems: (await lookupIfPresent(project, env)(problems)) ?? (await problems(undefined)) };
}

/**
 * The numbers after `from` (bumped as `new` bumps) that the default branch's tip holds as version
 * files of `id`, up to the first it does not: `new` passes over them as over a registered number.
 */
export async function numbersOnDefault(project: Project, id: string, candidates: (taken: readonly string[]) => string, env: Env): Promise<{ base: string; versions: string[] } | undefined> {
  const { versionsHeldAt } = await import('./versions-at-base.js');
  return withGitMemo(() => {
    const base = resolveDefault(project.root, env);
    if (!base) return undefined;
    const versions: string[] = [];
    // Each number the tip holds is passed over, then the next one asked; a bound keeps a broken answer finite.
    for (let i = 0; i < 1000; i++) {
      const next = candidates(versions);
      if (!versionsHeldAt({ root: project.root }, { ref: base.ref, top: base.top }, [versionFileOf(id, next)])[0]) break;
      versions.push(next);
    }
    return { base: base.ref, versions };
  });
}

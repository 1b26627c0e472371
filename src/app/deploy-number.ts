import { defaultBranchRefs } from '../core/ci/base-choice.js';
import { InputError } from '../core/errors.js';
import { githubEventPayload } from '../infra/ci-event.js';
import { originHead, repositoryTopOrNone, resolveBaseRef, type ResolvedBase } from '../infra/git.js';
import type { Project, PromptFile } from '../infra/project.js';
import type { Registry } from '../infra/registry/types.js';

/**
 * ci's `version/number-taken` check, for deploy and promote from a git checkout: a draft this
 * branch added whose number the default branch's tip already holds with other content (a branch
 * that left the default branch before another branch's version of that number was merged).
 * Deploying it would release the branch's content under a number the default branch holds, which
 * then reads as "edited after it was released" everywhere. The default branch is
 * core/ci/base-choice.ts `defaultBranchRefs`, the rule ci falls back to (the CI service's, else
 * origin/HEAD, else main or master), resolved without network; where git cannot answer (no
 * repository, no such branch, no merge base in a shallow clone), nothing is checked.
 */

type Env = Record<string, string | undefined>;

function resolveDefault(root: string, env: Env): ResolvedBase | undefined {
  if (!repositoryTopOrNone(root)) return undefined;
  const refs = defaultBranchRefs(env, githubEventPayload(env), () => originHead(root));
  try {
    return resolveBaseRef(root, { refs, kind: 'branch', event: 'other' });
  } catch {
    return undefined;
  }
}

export async function requireFreeNumber(project: Project, v: PromptFile, registry: Registry, env: Env): Promise<void> {
  const base = resolveDefault(project.root, env);
  // No shortcut for HEAD on the default branch's history: behind its tip (a checkout fetched but not
  // pulled) is exactly where another branch's version of the number arrived unseen. On the tip itself,
  // `from` is the tip, so the check below finds the version there and lets it through.
  if (!base) return;
  // Loaded only in a git checkout: ci's modules read files at a commit with the full YAML parser,
  // which a deploy outside git (and every deploy's start-up) should not load.
  const { versionAtTip } = await import('./ci-facts.js');
  const atTip = versionAtTip(project, base)(v.file);
  if (!atTip || atTip.hash === undefined || atTip.hash === v.hash) return;
  // Already there where the branch left the default branch: not a number this branch added.
  if (versionAtTip(project, { ref: base.from, top: base.top })(v.file)) return;
  const ref = `${v.id}@${v.version}`;
  const { takenMessage } = await import('./ci-revisions.js');
  const message = await takenMessage(registry, project, ref, base.ref, []);
  throw new InputError({
    message: `${ref} cannot be deployed from this branch: its number is taken on ${base.ref}`,
    problems: [{ file: v.file, line: 1, col: 1, field: '', message, severity: 'error', rule: 'version/number-taken' }],
    why: `${base.ref} holds ${ref} with other content; released from here, that content would read as "edited after it was released" wherever ${base.ref} is checked out.`,
    hint: 'rename this branch\'s version to the free number named above, evaluate it, and deploy that one.',
  });
}

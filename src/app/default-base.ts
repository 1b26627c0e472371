import { defaultBranchRefs } from '../core/ci/base-choice.js';
import { githubEventPayload } from '../infra/ci-event.js';
import { mayBeInRepository, originHead, prefetchTopAndOriginHead, repositoryTopUnlessRefused } from '../infra/git.js';
import { resolveBaseRef, type ResolvedBase } from '../infra/git-base.js';
import type { Env } from './context.js';

/**
 * The default branch where eval, deploy, promote and lint hold a checkout to what it released
 * (core/ci/base-choice.ts `defaultBranchRefs`: the CI service's, else origin/HEAD, else main or
 * master), resolved without network; undefined where git cannot answer (no repository, no such
 * branch, no merge base in a shallow clone): then nothing is checked. A repository git refuses to
 * read (another user owns it) is exit 2 saying so: the check is never dropped without a word.
 */
export function resolveDefault(root: string, env: Env): ResolvedBase | undefined {
  // One git process for the top folder and origin/HEAD, the first two questions (kept for the command).
  if (mayBeInRepository(root)) prefetchTopAndOriginHead(root);
  if (!repositoryTopUnlessRefused(root)) return undefined;
  const refs = defaultBranchRefs(env, githubEventPayload(env), () => originHead(root));
  try {
    return resolveBaseRef(root, { refs, kind: 'branch', event: 'other' });
  } catch {
    return undefined;
  }
}

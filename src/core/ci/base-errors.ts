import { InputError } from '../errors.js';
import type { BaseChoice, CiService } from './base-choice.js';

/** What ci says when its base is not in the clone. */

/** How each service's job gets the whole history, so a base commit is in the clone. */
function wholeHistory(service: CiService | undefined): string {
  if (service === 'github') return 'fetch the whole history (actions/checkout with fetch-depth: 0)';
  if (service === 'gitlab') return "fetch the whole history (GIT_DEPTH: 0 in the job's variables: GitLab clones only the last commits by default)";
  return 'fetch the whole history (git fetch --unshallow)';
}

/** `git fetch origin b` alone does not create origin/b in a single-branch clone (`git clone --branch feat`, what some CIs make): name the destination. */
const fetchBranch = (b: string) => `git fetch origin ${b}:refs/remotes/origin/${b}`;

export function unknownBaseError(choice: BaseChoice): InputError {
  const [first, ...others] = choice.refs as [string, ...string[]];
  const nor = others.length ? `, nor is ${others.join(' nor ')}` : '';
  const branch = (choice.kind === 'commit' ? others[others.length - 1] : first)?.replace(/^origin\//, '');
  const fetch = choice.kind === 'commit' ? `${wholeHistory(choice.service)}, or fetch it: git fetch origin ${first}` : `fetch it first: ${fetchBranch(branch!)}`;
  if (choice.source === '--base') return new InputError({ message: `--base ${first} is not a commit git knows${nor}`, hint: `${fetch}; or pass another --base <ref>.` });
  if (!choice.source) return new InputError({ message: `the default base ${first} (no CI variable names a target branch or a commit before a push) is not a commit git knows${nor}`, hint: `${fetch}; or pass --base <ref>.` });
  const what = choice.kind === 'commit' ? `the base commit ${first} from ${choice.source} (${choice.role})` : `the base branch ${branch} from ${choice.source} (${choice.role})`;
  return new InputError({
    message: `${what} is not a commit this clone holds${nor}`,
    why: choice.kind === 'commit' ? 'a shallow clone holds only the last commits, and a CI job fetches only the refs it needs.' : 'a CI job often fetches only the branch it builds.',
    hint: `${fetch}; or pass --base <ref>.`,
  });
}

import { InputError } from '../errors.js';
import { restoreFromBase } from './checks.js';
import { optionName, optionWithValue, type OptionNames } from '../option-names.js';
import { isCountedBack, isZeroSha, type BaseChoice, type CiService } from './base-choice.js';

/**
 * What ci says when its base is not in the clone, or when HEAD is already on it (nothing to gate).
 * The base option is named as the caller wrote it (`names`): `--base main` on the command line,
 * `base: "main"` in a script's options (the CLI's flags when not said).
 */

/** The base option, bare (`--base`, `base`) or with a value (`--base main`, `base: "main"`). */
const baseOption = (names: OptionNames, value?: string): string => (value === undefined ? optionName(names, 'base') : optionWithValue(names, 'base', value));
/** A CI variable handed to the base option: `--base "$VAR"` in a pipeline's command, `base: process.env.VAR` in a script. */
const baseFromVariable = (names: OptionNames, variable: string, prefix = ''): string =>
  names === 'flags' ? `--base "${prefix}$${variable}"` : `base: ${prefix ? `"${prefix}" + ` : ''}process.env.${variable}`;

/** How each service's job gets the whole history, so a base commit and the merge base are in the clone. */
function wholeHistory(service: CiService | undefined): string {
  if (service === 'github') return 'fetch the whole history (actions/checkout with fetch-depth: 0)';
  if (service === 'gitlab') return "fetch the whole history (GIT_DEPTH: 0 in the job's variables: GitLab clones only the last commits by default)";
  if (service === 'azure') return 'fetch the whole history (fetchDepth: 0 on the checkout step: Azure Pipelines fetches only the last commit by default)';
  if (service === 'bitbucket') return 'fetch the whole history (clone: depth: full in bitbucket-pipelines.yml: Bitbucket clones only the last 50 commits by default)';
  return 'fetch the whole history (git fetch --unshallow)';
}

/**
 * No merge base between the base and HEAD (infra/git.ts `diffBase`): in a shallow clone, the
 * history back to where the branch left the base is missing, fetched as the job's service does it.
 */
export function noMergeBaseError(base: string, shallow: boolean, service: CiService | undefined, names: OptionNames = 'flags'): InputError {
  return new InputError({
    message: `no merge base between ${base} and HEAD${shallow ? ' (a shallow clone)' : ''}: ci cannot tell what this branch changed from what ${base} changed since the branch left it`,
    why: shallow
      ? `this clone lacks the history back to the commit where the branch left ${base}; diffing with ${base} itself would report every change made on ${base} since as this branch's.`
      : `HEAD and ${base} share no commit (unrelated histories).`,
    hint: shallow ? `${wholeHistory(service)}, then run ci again.` : `pass ${baseOption(names, '<ref>')} naming the branch this one was made from.`,
  });
}

/** `git fetch origin b` alone does not create origin/b in a single-branch clone (`git clone --branch feat`, what some CIs make): name the destination. */
const fetchBranch = (remote: string, b: string) => `git fetch ${remote} ${b}:refs/remotes/${remote}/${b}`;
/** A tag is fetched as a tag (a shallow clone, as CI makes, holds none): `--base v1.2.0` then resolves. */
const fetchTag = (t: string) => `git fetch origin tag ${t}`;
/** A release's name (`v1.2.0`, `2.0`, `v3`): most likely a tag, which CI's shallow clone lacks. */
const looksLikeRelease = (s: string): boolean => /^v?\d+(\.\d+)*([-+][0-9A-Za-z.-]+)?$/.test(s);

/**
 * How to fetch the branch or tag `ref` names so that it resolves. `<remote>/<branch>` is fetched
 * from that remote when the clone has it (`remotes`, the clone's `git remote`: `upstream/main`);
 * otherwise a slash is part of a branch name on origin (`release/2.0`). `tags/v1`, `refs/tags/v1`
 * are tags; `refs/heads/main` is the branch main (ci then finds it as origin/main, base-choice.ts);
 * `refs/remotes/upstream/main` is that remote's branch. Given to `--base` (`given`), a bare name
 * may be a branch or a tag: the likelier first.
 */
function fetchRef(ref: string, remotes: readonly string[], given: boolean): string {
  const tag = /^(?:refs\/)?tags\/(.+)$/.exec(ref)?.[1];
  if (tag) return fetchTag(tag);
  const branch = /^refs\/heads\/(.+)$/.exec(ref)?.[1];
  if (branch) return fetchBranch('origin', branch);
  const tracking = /^refs\/remotes\/(.+)$/.exec(ref)?.[1];
  const name = tracking ?? ref;
  // The longest remote the name starts with: a remote's own name may hold a slash.
  const remote = [...new Set(['origin', ...remotes])].filter((r) => name.startsWith(`${r}/`)).sort((a, b) => b.length - a.length)[0];
  if (remote) return fetchBranch(remote, name.slice(remote.length + 1));
  // A remote-tracking ref of a remote the clone lacks: its first part names the remote (git says if there is none).
  if (tracking?.includes('/')) return fetchBranch(tracking.slice(0, tracking.indexOf('/')), tracking.slice(tracking.indexOf('/') + 1));
  if (!given) return fetchBranch('origin', ref);
  return looksLikeRelease(ref) ? `${fetchTag(ref)} (a branch: ${fetchBranch('origin', ref)})` : `${fetchBranch('origin', ref)} (a tag: ${fetchTag(ref)})`;
}

/** Why a before-SHA is all zeros, in the words of both messages that meet one. */
const NO_COMMIT_BEFORE = 'no commit came before this push (a branch\'s first pipeline, or a pipeline run by hand, on a schedule or from the web)';

/**
 * `--base ""` or `--base origin/`: what `--base "$VAR"` and `--base "origin/$VAR"` give where VAR
 * is unset or empty, as CI leaves a variable outside the pipelines that set it (a Jenkins job's
 * first build has no GIT_PREVIOUS_SUCCESSFUL_COMMIT; a GitLab push pipeline no merge request
 * target). Fetching nothing helps nobody: say which variable, and how to do without it. A SHA of
 * all zeros is a before-SHA with no commit before it: said as such.
 */
function emptyBaseError(choice: BaseChoice, names: OptionNames): InputError {
  const given = choice.refs[0]!;
  if (isZeroSha(given)) {
    return new InputError({
      message: `${baseOption(names, given)} names no commit: it is all zeros`,
      why: `CI passes a before-SHA of all zeros when ${NO_COMMIT_BEFORE}, so there is no commit to fetch or compare with.`,
      hint: `pass ${baseOption(names, '<ref>')} naming the commit or branch to compare with (${baseOption(names, 'HEAD~1')}: the last commit; a tag: the previous release).`,
    });
  }
  const message = given.startsWith('origin/') ? `${baseOption(names)} names no branch after origin/` : `${baseOption(names)} is empty`;
  const unset = 'the CI variable meant to name the base is unset or empty in this job';
  if (choice.service === 'gitlab') {
    return new InputError({
      message,
      why: `${unset}: CI_MERGE_REQUEST_TARGET_BRANCH_NAME (promptctl's example passes ${baseFromVariable(names, 'CI_MERGE_REQUEST_TARGET_BRANCH_NAME', 'origin/')}) is set only in merge request pipelines.`,
      hint: `run the job only in merge request pipelines (rules: - if: $CI_PIPELINE_SOURCE == "merge_request_event"), or leave ${baseOption(names)} out: ci reads the merge request's target itself, and compares a push with the default branch or the commit before it.`,
    });
  }
  if (choice.service === 'jenkins') {
    return new InputError({
      message,
      why: `${unset}: GIT_PREVIOUS_SUCCESSFUL_COMMIT (${baseFromVariable(names, 'GIT_PREVIOUS_SUCCESSFUL_COMMIT')}) is set by the git plugin only once a build of the job has succeeded, so a job's first build has none.`,
      hint: `give a ref for when it is empty, ${names === 'flags' ? '--base "${GIT_PREVIOUS_SUCCESSFUL_COMMIT:-origin/main}"' : 'base: process.env.GIT_PREVIOUS_SUCCESSFUL_COMMIT || "origin/main"'}, or leave ${baseOption(names)} out in a pull request's build: ci reads CHANGE_TARGET itself.`,
    });
  }
  if (choice.service === 'github') {
    return new InputError({
      message,
      why: `${unset}: \${{ github.base_ref }} is empty outside pull requests, and \${{ github.event.before }} outside pushes.`,
      hint: `leave ${baseOption(names)} out: ci reads GITHUB_BASE_REF in a pull request and the event's before on a push to the default branch; or pass ${baseOption(names, '<ref>')}.`,
    });
  }
  return new InputError({
    message,
    why: `${unset}, as a CI service leaves a variable outside the pipelines that set it.`,
    hint: `leave ${baseOption(names)} out, and ci reads the CI service's own variables (see "In CI" in promptctl's README), or give a ref for when the variable is empty: ${names === 'flags' ? '--base "${VAR:-origin/main}"' : 'base: process.env.VAR || "origin/main"'}.`,
  });
}

/**
 * `--base main..feature` (or `main...feature`), as `git log` and `git diff` take it: ci compares
 * one ref with this checkout, so the range's start is the base meant, and its end is what is checked
 * out. Git would say it names no commit, and "fetch main..feature" helps nobody.
 */
function rangeBaseError(given: string, names: OptionNames): InputError {
  const [start = '', end = ''] = given.split(/\.{2,3}/);
  const checkedOut = !end || /^(HEAD|@)$/.test(end);
  const gate = checkedOut ? '' : `, with ${end} checked out (ci gates what is checked out, with its uncommitted changes)`;
  return new InputError({
    message: `${baseOption(names, given)} is a range of commits: ${baseOption(names)} takes one ref (a branch, tag or commit)`,
    why: `ci compares HEAD with where it left the base, as git diff ${start || '<base>'}...HEAD does: the other end is always this checkout.`,
    hint: start && !/^(HEAD|@)$/.test(start) ? `pass ${baseOption(names, start)}${gate}.` : `pass ${baseOption(names, '<ref>')} naming the branch this one was made from (${baseOption(names, 'main')})${gate}.`,
  });
}

/** `remotes`: the clone's remotes (infra's `git remote`), asked only when the hint names a branch. */
export function unknownBaseError(choice: BaseChoice, remotes: () => readonly string[] = () => [], names: OptionNames = 'flags'): InputError {
  if (choice.kind === 'none') return emptyBaseError(choice, names);
  if (choice.kind === 'range') return rangeBaseError(choice.refs[0]!, names);
  const [first, ...others] = choice.refs as [string, ...string[]];
  const nor = others.length ? `, nor is ${others.join(' nor ')}` : '';
  // `--base HEAD~1` (what ci's own hints suggest) in a shallow clone: git cannot fetch an expression, only more history.
  if (choice.source === '--base' && isCountedBack(first)) {
    const from = first.split(/[~^]|@\{/)[0] || 'HEAD';
    return new InputError({
      message: `${baseOption(names, first)} is not a commit this clone holds${nor}`,
      why: `${first} counts back through the history of ${from}, and this clone's history stops before that commit: a shallow clone, as CI checks out by default, holds only the last commits.`,
      hint: `${wholeHistory(choice.service)}, or enough of it (git fetch --deepen=<n>), then run ci again; or pass another ${baseOption(names, '<ref>')}.`,
    });
  }
  const fetch = choice.kind === 'commit' ? `${wholeHistory(choice.service)}, or fetch it: git fetch origin ${first}` : `fetch it first: ${fetchRef(first, remotes(), choice.source === '--base')}`;
  if (choice.source === '--base') return new InputError({ message: `${baseOption(names, first)} is not a commit git knows${nor}`, hint: `${fetch}; or pass another ${baseOption(names, '<ref>')}.` });
  if (!choice.source) return new InputError({ message: `the default base ${first} (no CI variable names a target branch or a commit before a push) is not a commit git knows${nor}`, hint: `${fetch}; or pass ${baseOption(names, '<ref>')}.` });
  const what = choice.kind === 'commit' ? `the base commit ${first} from ${choice.source} (${choice.role})` : `the base branch ${first.replace(/^origin\//, '')} from ${choice.source} (${choice.role})`;
  return new InputError({
    message: `${what} is not a commit this clone holds${nor}`,
    why: choice.kind === 'commit' ? 'a shallow clone holds only the last commits, and a CI job fetches only the refs it needs.' : 'a CI job often fetches only the branch it builds.',
    hint: `${fetch}; or pass ${baseOption(names, '<ref>')}.`,
  });
}

/** ci with the base option: `promptctl ci --base <ref>` on the command line, `base: "<ref>"` in a script. */
const ciWithBase = (names: OptionNames, value: string): string => (names === 'flags' ? `promptctl ci --base ${value}` : optionWithValue(names, 'base', value));

/** Where each service keeps the commit before a push, for `--base` (`base`). */
function beforeCommit(service: CiService | undefined, names: OptionNames): string {
  const ci = names === 'flags' ? 'promptctl ci --base ' : 'base: ';
  if (service === 'github') return `${ci}${names === 'flags' ? '${{ github.event.before }}' : "the push event's before"} (on the default branch ci reads it from GITHUB_EVENT_PATH when the job's event file is there and names the repository's default branch)`;
  if (service === 'gitlab') return `${ci}${names === 'flags' ? '"$CI_COMMIT_BEFORE_SHA"' : 'process.env.CI_COMMIT_BEFORE_SHA'} (on the default branch ci reads it when CI_COMMIT_BRANCH and CI_DEFAULT_BRANCH are set)`;
  if (service === 'jenkins') return `${ci}${names === 'flags' ? '"$GIT_PREVIOUS_SUCCESSFUL_COMMIT"' : 'process.env.GIT_PREVIOUS_SUCCESSFUL_COMMIT'} (the git plugin sets it)`;
  return `${ci}<the commit before the push>`;
}

/**
 * HEAD's commit is already on the base and nothing ci checks is uncommitted: a push to the base
 * branch, a schedule, a tag, or a branch with no commit of its own. Passing would report a gate that
 * compared nothing, so ci stops (exit 2) and says how to compare with something.
 */
export function headOnBaseError(choice: BaseChoice, base: string, baseline: string, names: OptionNames = 'flags'): InputError {
  const message = `HEAD is already on ${base}: there is no change to gate`;
  const nothing = `so the change ci compares is empty, and a pass would check nothing`;
  // A push to another branch than the default compares with the default branch (base-choice.ts).
  if (choice.source === 'github.event.repository.default_branch' || choice.source === 'CI_DEFAULT_BRANCH') {
    return new InputError({
      message,
      why: `this push is to a branch that has no commit of its own beyond ${base}, ${nothing}.`,
      hint: `commit the change on the branch; its next push (or its pull request's pipeline) compares it with ${base}.`,
    });
  }
  if (choice.event === 'push' && choice.zeroBefore) {
    return new InputError({
      message,
      why: `this is a push pipeline whose ${choice.zeroBefore} is all zeros: ${NO_COMMIT_BEFORE}, so ci compared HEAD with ${base}, which already holds it, ${nothing}.`,
      hint: `name the commit to compare with: ${ciWithBase(names, '<ref>')} (${baseOption(names, 'HEAD~1')}: the last commit; a tag: the previous release).`,
    });
  }
  if (choice.event === 'push' || choice.event === 'tag') {
    const kind = choice.event === 'tag' ? 'a tag pipeline' : 'a push pipeline';
    return new InputError({
      message,
      why: `this is ${kind}, not a pull request's: no variable named the commit before it, so ci compared HEAD with ${base}, which already holds it, ${nothing}.`,
      hint: choice.event === 'tag' ? `compare the release with the previous one: ${ciWithBase(names, '<the previous release tag>')}.` : `gate what the push brought: ${beforeCommit(choice.service, names)}.`,
    });
  }
  if (choice.event === 'schedule') {
    return new InputError({
      message,
      why: `a scheduled pipeline has no pull request: HEAD is a commit of ${base}, ${nothing}.`,
      hint: `a schedule re-checks what is deployed with eval, not ci: promptctl eval <id>@$(promptctl get <id> --env ${baseline} --json | jq -r .version) for each prompt (promptctl status lists what runs where).`,
    });
  }
  return new InputError({
    message,
    why: `ci gates what HEAD adds to ${base}: every commit of HEAD is on ${base} and no prompt, eval set or config is changed in the working tree, ${nothing}.`,
    hint: `run ci on the branch that holds the change, or name the commit to compare with: ${ciWithBase(names, '<ref>')} (${baseOption(names, 'HEAD~1')}: the last commit).`,
  });
}

/**
 * The change deletes the project's .promptrc.yaml (`file`, relative to where ci runs): `base`
 * holds it where the branch left it. "Run promptctl init" would read as if there never was a
 * project; the pull request removed it.
 */
export function configDeletedError(base: string, file: string): InputError {
  return new InputError({
    message: `this change deletes ${file}: ${base} has it, this checkout does not`,
    why: 'ci finds the project by its .promptrc.yaml; without it there is no project to lint or evaluate, and every prompt it configured would lose its server, environments and gates.',
    hint: `restore it: ${restoreFromBase(base, file)}; a pull request that removes the project on purpose has nothing for promptctl ci to gate.`,
  });
}

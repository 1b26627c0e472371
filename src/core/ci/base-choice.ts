import { ciServiceOf, type CiService } from '../ci-env.js';

export type { CiService };

/**
 * Which base `promptctl ci` compares with when `--base` is not given: pure, over the environment
 * and the GitHub event payload (GITHUB_EVENT_PATH's JSON, read by infra). One rule per CI service,
 * from the variable that names the exact commit to the one that names a branch:
 *
 * - GitHub: a pull request's target (GITHUB_BASE_REF); a merge queue's group (`merge_group`,
 *   GITHUB_BASE_REF empty) the payload's base_sha, else the base branch in GITHUB_REF
 *   (refs/heads/gh-readonly-queue/<base>/pr-…); a push the payload's `before`.
 * - GitLab: CI_MERGE_REQUEST_TARGET_BRANCH_SHA first. GitLab sets it only in merged-results and
 *   merge-train pipelines, where HEAD is the merge request merged into that target tip; the diff
 *   base SHA is older there, and diffing from it blamed the merge request for what the target
 *   changed since. Then the diff base SHA, the target branch, and a push's CI_COMMIT_BEFORE_SHA.
 * - Jenkins CHANGE_TARGET, Azure Pipelines SYSTEM_PULLREQUEST_TARGETBRANCH, Bitbucket
 *   BITBUCKET_PR_DESTINATION_BRANCH, Buildkite BUILDKITE_PULL_REQUEST_BASE_BRANCH (empty, or
 *   `false` as BUILDKITE_PULL_REQUEST is, outside a pull request). CircleCI names no target branch.
 * A before-SHA of all zeros is a new branch or tag: no commit before it. A push's before-commit is
 * used only on the default branch; a push to another branch compares with the default branch.
 * Else the default branch (`defaultBranchRefs`: where the service names it, else origin/HEAD, else
 * main or master).
 */

/** What started the pipeline, as far as ci needs it: a push or a schedule has no pull request. */
export type CiEvent = 'change' | 'push' | 'tag' | 'schedule' | 'other';

export interface BaseChoice {
  /** The refs to try, in order: the first git holds is the base (a commit SHA may be missing from a shallow clone). */
  refs: string[];
  /**
   * `none`: `--base` names nothing: empty or `origin/` alone (`--base "$VAR"` with VAR unset), or a
   * SHA of all zeros (a before-SHA where no commit came before); `range`: `--base` is a range of
   * commits (`main..feature`, `main...HEAD`), never one ref. `refs` then holds it as given, for messages only.
   */
  kind: 'commit' | 'branch' | 'none' | 'range';
  /** How messages name the first ref's origin: `--base`, a variable (`CHANGE_TARGET`), or undefined for the `main` fallback. */
  source?: string;
  /** What the source means (`the merge request's target tip`). */
  role?: string;
  service?: CiService;
  event: CiEvent;
  /** The variable whose before-SHA was all zeros on this push (`CI_COMMIT_BEFORE_SHA`): the service names no commit before it. */
  zeroBefore?: string;
}

/** Every variable the choice reads: tests clear them so the test process's own CI does not choose. */
export const BASE_VARIABLES = [
  'GITHUB_ACTIONS', 'GITHUB_EVENT_NAME', 'GITHUB_EVENT_PATH', 'GITHUB_BASE_REF', 'GITHUB_REF',
  'GITLAB_CI', 'CI_PIPELINE_SOURCE', 'CI_COMMIT_TAG', 'CI_MERGE_REQUEST_TARGET_BRANCH_SHA', 'CI_MERGE_REQUEST_DIFF_BASE_SHA',
  'CI_MERGE_REQUEST_TARGET_BRANCH_NAME', 'CI_COMMIT_BEFORE_SHA', 'CI_COMMIT_BRANCH', 'CI_DEFAULT_BRANCH', 'JENKINS_URL', 'CHANGE_TARGET', 'CHANGE_ID',
  'TF_BUILD', 'SYSTEM_PULLREQUEST_TARGETBRANCH', 'BUILD_REASON', 'BITBUCKET_BUILD_NUMBER', 'BITBUCKET_PR_DESTINATION_BRANCH',
  'BUILDKITE', 'BUILDKITE_PULL_REQUEST', 'BUILDKITE_PULL_REQUEST_BASE_BRANCH', 'BUILDKITE_SOURCE', 'BUILDKITE_PIPELINE_DEFAULT_BRANCH',
] as const;

type Env = Record<string, string | undefined>;

/** `main..feature`, `main...HEAD`: two ends of a range, where `--base` takes one ref. */
const isRange = (s: string): boolean => s.includes('..');
/** `HEAD~1`, `main^`, `@{1}`: a commit counted back through history from another ref, which only more history brings, never a fetch of the expression. */
export const isCountedBack = (s: string): boolean => /[~^]|@\{/.test(s);
const isSha = (s: string | undefined): s is string => s !== undefined && /^[0-9a-f]{7,64}$/i.test(s);
/** All zeros: the before-SHA of a push that has no commit before it (a new branch or tag; on GitLab also a pipeline run by hand, on a schedule or from the web). */
export const isZeroSha = (s: string | undefined): boolean => isSha(s) && /^0+$/.test(s);
/** A before-SHA that names a commit. */
const before = (s: string | undefined): string | undefined => (isSha(s) && !isZeroSha(s) ? s : undefined);
const field = (o: unknown, key: string): unknown => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
/** A branch CI names, tried as the remote-tracking branch first (the fresher in a reused workspace), then as a local one. */
const branchRefs = (b: string): string[] => [`origin/${b}`, b];
const stripHeads = (b: string): string => b.replace(/^refs\/heads\//, '');
/**
 * `--base` as given, then its stand-in on origin, as a branch CI names: `main`, then `origin/main`.
 * HEAD~1 counts back from this checkout's HEAD: origin/HEAD~1 is another branch's history, never a
 * stand-in. A full ref name says what it is: refs/heads/main is the branch main (stand-in
 * origin/main); refs/remotes/…, refs/tags/… have none (origin/refs/tags/v1 names nothing).
 */
function givenRefs(given: string): string[] {
  if (given.startsWith('origin/') || /^(HEAD|@)([~^@]|$)/.test(given)) return [given];
  if (given.startsWith('refs/heads/')) return [given, `origin/${stripHeads(given)}`];
  return given.startsWith('refs/') ? [given] : [given, `origin/${given}`];
}
/** A pull request's target on Buildkite: outside a pull request the variable is empty, and BUILDKITE_PULL_REQUEST `false`. */
const buildkiteTarget = (env: Env): string | undefined => {
  const target = str(env.BUILDKITE_PULL_REQUEST_BASE_BRANCH);
  return target && target !== 'false' && env.BUILDKITE_PULL_REQUEST?.trim() !== 'false' ? target : undefined;
};

function eventOf(env: Env, service: CiService | undefined): CiEvent {
  const name = service === 'github' ? env.GITHUB_EVENT_NAME : service === 'gitlab' ? env.CI_PIPELINE_SOURCE : service === 'azure' ? env.BUILD_REASON : service === 'buildkite' ? env.BUILDKITE_SOURCE : undefined;
  if ((service === 'github' && env.GITHUB_REF?.startsWith('refs/tags/')) || (service === 'gitlab' && env.CI_COMMIT_TAG)) return 'tag';
  if (name === 'schedule' || name === 'Schedule') return 'schedule';
  if (name === 'push' || name === 'IndividualCI' || name === 'BatchedCI') return 'push';
  // A Jenkins, Bitbucket or Buildkite build that is not a pull request's is a branch's: a push.
  if ((service === 'jenkins' && !env.CHANGE_ID) || (service === 'bitbucket' && !env.BITBUCKET_PR_DESTINATION_BRANCH) || (service === 'buildkite' && !buildkiteTarget(env))) return 'push';
  return 'other';
}

/**
 * The base ci compares with: `--base` when given, else what the CI service says (module comment).
 * `originHead`: the branch origin/HEAD names (infra/git.ts `originHead`), for the default-branch fallback.
 */
export function chooseBase(env: Env, payload: unknown, given?: string, originHead?: () => string | undefined): BaseChoice {
  const service = ciServiceOf(env);
  const event = eventOf(env, service);
  // A pull request's (or merge request's, or queue's) base is a change's; a before-SHA keeps the pipeline's event.
  const at = (refs: string[], kind: BaseChoice['kind'], source: string, role: string, ev: CiEvent = 'change'): BaseChoice => ({ refs, kind, source, role, service, event: ev });
  if (given !== undefined) {
    if (!given.replace(/^origin\//, '').trim() || isZeroSha(given)) return { refs: [given], kind: 'none', source: '--base', service, event };
    // No ref name holds `..` (git check-ref-format): a range, which git would resolve to no commit.
    if (isRange(given)) return { refs: [given], kind: 'range', source: '--base', service, event };
    return { refs: givenRefs(given), kind: isSha(given) ? 'commit' : 'branch', source: '--base', service, event };
  }
  if (env.GITHUB_BASE_REF) return at(branchRefs(env.GITHUB_BASE_REF), 'branch', 'GITHUB_BASE_REF', "the pull request's target branch");
  if (env.GITHUB_EVENT_NAME === 'merge_group') {
    const group = field(payload, 'merge_group');
    const queued = /^refs\/heads\/gh-readonly-queue\/(.+)\/pr-[^/]+$/.exec(env.GITHUB_REF ?? '')?.[1] ?? str(field(group, 'base_ref'))?.replace(/^refs\/heads\//, '');
    const sha = str(field(group, 'base_sha'));
    if (isSha(sha)) return at([sha, ...(queued ? branchRefs(queued) : [])], 'commit', 'merge_group.base_sha', "the merge queue's base commit");
    if (queued) return at(branchRefs(queued), 'branch', 'GITHUB_REF', "the merge queue's base branch");
  }
  const gitlabTarget = env.CI_MERGE_REQUEST_TARGET_BRANCH_NAME ? branchRefs(env.CI_MERGE_REQUEST_TARGET_BRANCH_NAME) : [];
  if (isSha(env.CI_MERGE_REQUEST_TARGET_BRANCH_SHA)) return at([env.CI_MERGE_REQUEST_TARGET_BRANCH_SHA, ...gitlabTarget], 'commit', 'CI_MERGE_REQUEST_TARGET_BRANCH_SHA', "the target branch's tip the merged result was built on");
  if (isSha(env.CI_MERGE_REQUEST_DIFF_BASE_SHA)) return at([env.CI_MERGE_REQUEST_DIFF_BASE_SHA, ...gitlabTarget], 'commit', 'CI_MERGE_REQUEST_DIFF_BASE_SHA', "the merge request's diff base");
  if (env.CI_MERGE_REQUEST_TARGET_BRANCH_NAME) return at(gitlabTarget, 'branch', 'CI_MERGE_REQUEST_TARGET_BRANCH_NAME', "the merge request's target branch");
  if (env.CHANGE_TARGET) return at(branchRefs(env.CHANGE_TARGET), 'branch', 'CHANGE_TARGET', "the pull request's target branch");
  if (env.SYSTEM_PULLREQUEST_TARGETBRANCH) return at(branchRefs(stripHeads(env.SYSTEM_PULLREQUEST_TARGETBRANCH)), 'branch', 'SYSTEM_PULLREQUEST_TARGETBRANCH', "the pull request's target branch");
  if (env.BITBUCKET_PR_DESTINATION_BRANCH) return at(branchRefs(env.BITBUCKET_PR_DESTINATION_BRANCH), 'branch', 'BITBUCKET_PR_DESTINATION_BRANCH', "the pull request's destination branch");
  const buildkite = buildkiteTarget(env);
  if (buildkite) return at(branchRefs(buildkite), 'branch', 'BUILDKITE_PULL_REQUEST_BASE_BRANCH', "the pull request's base branch");
  // A push compares with the commit before it only on the default branch, whose pushes are merges
  // already reviewed. On any other branch that is the previous push's tip: a version that failed
  // there would pass on the next push that changes something else; the branch is compared with the
  // default branch instead, as its pull request will be.
  if (env.GITHUB_EVENT_NAME === 'push') {
    const main = str(field(field(payload, 'repository'), 'default_branch'));
    const pushed = before(str(field(payload, 'before')));
    if (main && env.GITHUB_REF !== `refs/heads/${main}`) return at(branchRefs(main), 'branch', 'github.event.repository.default_branch', "the repository's default branch", event);
    if (main && pushed) return at([pushed], 'commit', 'github.event.before', 'the commit before the push', event);
  }
  const gitlabDefault = str(env.CI_DEFAULT_BRANCH);
  if (gitlabDefault && env.CI_COMMIT_BRANCH && env.CI_COMMIT_BRANCH !== gitlabDefault) return at(branchRefs(gitlabDefault), 'branch', 'CI_DEFAULT_BRANCH', "the project's default branch", event);
  const gitlabBefore = gitlabDefault && env.CI_COMMIT_BRANCH === gitlabDefault ? before(env.CI_COMMIT_BEFORE_SHA) : undefined;
  if (gitlabBefore) return at([gitlabBefore], 'commit', 'CI_COMMIT_BEFORE_SHA', 'the commit before the push', event);
  // A push whose before-SHA is all zeros: said when HEAD turns out to be on the fallback, where
  // "pass the before-SHA" would be a circle (base-errors.ts).
  const zeroBefore = env.GITHUB_EVENT_NAME === 'push' && isZeroSha(str(field(payload, 'before'))) ? 'github.event.before' : isZeroSha(env.CI_COMMIT_BEFORE_SHA) ? 'CI_COMMIT_BEFORE_SHA' : undefined;
  return { refs: defaultBranchRefs(env, payload, originHead), kind: 'branch', service, event, ...(zeroBefore ? { zeroBefore } : {}) };
}

/** Where neither the CI service nor origin/HEAD names the default branch: the usual names, each local first. */
const USUAL_DEFAULT_BRANCHES = ['main', 'origin/main', 'master', 'origin/master'];

/**
 * The one rule for the repository's default branch, as refs to try in order: ci's last fallback
 * (above) and the number-taken check of deploy, promote and eval (app/deploy-number.ts). The branch
 * the CI service names (GitLab's CI_DEFAULT_BRANCH, GitHub's event payload, Buildkite's
 * BUILDKITE_PIPELINE_DEFAULT_BRANCH: a CI checkout seldom records origin/HEAD), else origin/HEAD as
 * the clone recorded it (`originHead`, asked only then: it costs a git call; a project whose default
 * is `trunk`), else main or master, local or origin/.
 */
export function defaultBranchRefs(env: Env, payload: unknown, originHead: () => string | undefined = () => undefined): string[] {
  const named = str(env.CI_DEFAULT_BRANCH) ?? str(field(field(payload, 'repository'), 'default_branch')) ?? str(env.BUILDKITE_PIPELINE_DEFAULT_BRANCH);
  if (named) return [named, `origin/${named}`];
  const head = originHead();
  return [...new Set([...(head ? [head] : []), ...USUAL_DEFAULT_BRANCHES])];
}

import { describe, expect, it } from 'vitest';
import { ciServiceOf, runsInCi } from '../../src/core/ci-env.js';
import { chooseBase, defaultBranchRefs } from '../../src/core/ci/base-choice.js';
import { headOnBaseError, unknownBaseError } from '../../src/core/ci/base-errors.js';

/** `chooseBase`: the base ci compares with in every pipeline, over the environment and GitHub's event payload. Pure, table-driven. */

const SHA_A = 'a'.repeat(40);
const SHA_B = 'b'.repeat(40);
const ZEROS = '0'.repeat(40);
/** The default branch where neither the CI service nor origin/HEAD names it. */
const USUAL = ['main', 'origin/main', 'master', 'origin/master'];

describe('the base ci chooses', () => {
  it.each([
    ['nothing set: main, else origin/main, then master', {}, undefined, USUAL, 'other'],
    ['--base wins over every variable', { GITHUB_BASE_REF: 'develop', CI_MERGE_REQUEST_TARGET_BRANCH_SHA: SHA_A }, undefined, ['release', 'origin/release'], 'other', 'release'],
    ['--base origin/x is taken as it is', {}, undefined, ['origin/x'], 'other', 'origin/x'],
    // A full ref name is read for what it names, never prefixed into origin/refs/….
    ['--base refs/heads/main: the branch main, origin/main its stand-in', {}, undefined, ['refs/heads/main', 'origin/main'], 'other', 'refs/heads/main'],
    ['--base refs/remotes/upstream/main: that ref alone', {}, undefined, ['refs/remotes/upstream/main'], 'other', 'refs/remotes/upstream/main'],
    ['--base refs/tags/v1: that ref alone', {}, undefined, ['refs/tags/v1'], 'other', 'refs/tags/v1'],
    ['GitHub pull request', { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'pull_request', GITHUB_BASE_REF: 'develop' }, undefined, ['origin/develop', 'develop'], 'change'],
    ['GitHub merge queue: the payload base_sha, then the queue branch', { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'merge_group', GITHUB_BASE_REF: '', GITHUB_REF: 'refs/heads/gh-readonly-queue/develop/pr-7-abc' }, { merge_group: { base_sha: SHA_A, base_ref: 'refs/heads/develop' } }, [SHA_A, 'origin/develop', 'develop'], 'change'],
    ['GitHub merge queue without a payload: the branch in GITHUB_REF', { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'merge_group', GITHUB_REF: 'refs/heads/gh-readonly-queue/release/v2/pr-7-abc' }, undefined, ['origin/release/v2', 'release/v2'], 'change'],
    ['GitHub push to the default branch: the payload before', { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_BASE_REF: '', GITHUB_REF: 'refs/heads/main' }, { before: SHA_A, repository: { default_branch: 'main' } }, [SHA_A], 'push'],
    // Another branch's before is its previous push: a version that failed there would pass on the next push.
    ['GitHub push to a feature branch: the default branch', { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/feat' }, { before: SHA_A, repository: { default_branch: 'trunk' } }, ['origin/trunk', 'trunk'], 'push'],
    ['GitHub push without the default branch in the payload: main', { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }, { before: SHA_A }, USUAL, 'push'],
    ['GitHub push of a new branch (before all zeros): main', { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push' }, { before: ZEROS }, USUAL, 'push'],
    ['GitHub push without a payload: main', { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push' }, undefined, USUAL, 'push'],
    ['GitHub tag push', { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v1' }, { before: ZEROS }, USUAL, 'tag'],
    ['GitHub schedule', { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'schedule' }, undefined, USUAL, 'schedule'],
    ['GitLab merged results: the target tip, never the older diff base', { GITLAB_CI: 'true', CI_MERGE_REQUEST_TARGET_BRANCH_SHA: SHA_A, CI_MERGE_REQUEST_DIFF_BASE_SHA: SHA_B, CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main' }, undefined, [SHA_A, 'origin/main', 'main'], 'change'],
    ['GitLab merge request pipeline (target SHA empty): the diff base', { GITLAB_CI: 'true', CI_MERGE_REQUEST_TARGET_BRANCH_SHA: '', CI_MERGE_REQUEST_DIFF_BASE_SHA: SHA_B, CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main' }, undefined, [SHA_B, 'origin/main', 'main'], 'change'],
    ['GitLab target branch alone', { GITLAB_CI: 'true', CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'develop' }, undefined, ['origin/develop', 'develop'], 'change'],
    ['GitLab push to the default branch: CI_COMMIT_BEFORE_SHA', { GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BEFORE_SHA: SHA_A, CI_COMMIT_BRANCH: 'main', CI_DEFAULT_BRANCH: 'main' }, undefined, [SHA_A], 'push'],
    ['GitLab push to a feature branch: the default branch', { GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BEFORE_SHA: SHA_A, CI_COMMIT_BRANCH: 'feat', CI_DEFAULT_BRANCH: 'trunk' }, undefined, ['origin/trunk', 'trunk'], 'push'],
    ['GitLab push of a new branch (zeros): main', { GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BEFORE_SHA: ZEROS }, undefined, USUAL, 'push'],
    ['GitLab schedule (zeros)', { GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'schedule', CI_COMMIT_BEFORE_SHA: ZEROS }, undefined, USUAL, 'schedule'],
    // A default branch the service names is the fallback, not `main` (a project whose default is `trunk`).
    ['GitLab push of the default branch trunk, before all zeros: trunk', { GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BEFORE_SHA: ZEROS, CI_COMMIT_BRANCH: 'trunk', CI_DEFAULT_BRANCH: 'trunk' }, undefined, ['trunk', 'origin/trunk'], 'push'],
    ['GitLab pipeline run from the web on trunk: trunk', { GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'web', CI_COMMIT_BRANCH: 'trunk', CI_DEFAULT_BRANCH: 'trunk' }, undefined, ['trunk', 'origin/trunk'], 'other'],
    ['Buildkite build of a branch, no pull request: the pipeline\'s default branch', { BUILDKITE: 'true', BUILDKITE_PULL_REQUEST: 'false', BUILDKITE_BRANCH: 'feat', BUILDKITE_PIPELINE_DEFAULT_BRANCH: 'trunk' }, undefined, ['trunk', 'origin/trunk'], 'push'],
    ['GitHub push of the default branch trunk, before all zeros: trunk', { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/trunk' }, { before: ZEROS, repository: { default_branch: 'trunk' } }, ['trunk', 'origin/trunk'], 'push'],
    ['GitLab tag', { GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'push', CI_COMMIT_TAG: 'v1', CI_COMMIT_BEFORE_SHA: ZEROS }, undefined, USUAL, 'tag'],
    ['Jenkins pull request: CHANGE_TARGET', { JENKINS_URL: 'http://j/', CHANGE_ID: '7', CHANGE_TARGET: 'develop' }, undefined, ['origin/develop', 'develop'], 'change'],
    ['Jenkins branch build', { JENKINS_URL: 'http://j/', BRANCH_NAME: 'main' }, undefined, USUAL, 'push'],
    ['Azure Pipelines pull request (refs/heads/ stripped)', { TF_BUILD: 'True', BUILD_REASON: 'PullRequest', SYSTEM_PULLREQUEST_TARGETBRANCH: 'refs/heads/develop' }, undefined, ['origin/develop', 'develop'], 'change'],
    ['Azure Pipelines push', { TF_BUILD: 'True', BUILD_REASON: 'IndividualCI' }, undefined, USUAL, 'push'],
    ['Bitbucket pull request', { BITBUCKET_BUILD_NUMBER: '3', BITBUCKET_PR_DESTINATION_BRANCH: 'develop' }, undefined, ['origin/develop', 'develop'], 'change'],
    ['Buildkite pull request: its base branch', { BUILDKITE: 'true', BUILDKITE_PULL_REQUEST: '5', BUILDKITE_PULL_REQUEST_BASE_BRANCH: 'release/1.x', BUILDKITE_BRANCH: 'hotfix' }, undefined, ['origin/release/1.x', 'release/1.x'], 'change'],
    ['Buildkite branch build (no pull request: empty base branch)', { BUILDKITE: 'true', BUILDKITE_PULL_REQUEST: 'false', BUILDKITE_PULL_REQUEST_BASE_BRANCH: '' }, undefined, USUAL, 'push'],
    ['Buildkite branch build (base branch false)', { BUILDKITE: 'true', BUILDKITE_PULL_REQUEST: 'false', BUILDKITE_PULL_REQUEST_BASE_BRANCH: 'false' }, undefined, USUAL, 'push'],
    ['Buildkite schedule', { BUILDKITE: 'true', BUILDKITE_PULL_REQUEST: 'false', BUILDKITE_SOURCE: 'schedule' }, undefined, USUAL, 'schedule'],
    // CircleCI names no target branch: the fallback.
    ['CircleCI pull request', { CIRCLECI: 'true', CIRCLE_PULL_REQUEST: 'https://github.com/o/r/pull/5' }, undefined, USUAL, 'other'],
  ])('%s', (_, env: Record<string, string>, payload: unknown, refs, event, given?: string) => {
    const choice = chooseBase(env, payload, given);
    expect(choice.refs).toEqual(refs);
    expect(choice.event).toBe(event);
  });
});

describe('the one default-branch rule (ci\'s fallback; the number-taken check of deploy, promote and eval)', () => {
  const head = (ref?: string) => () => ref;
  it.each([
    ['nothing named, no origin/HEAD: main or master, local first', {}, undefined, head(), USUAL],
    ['origin/HEAD names trunk (neither main nor master): trunk first', {}, undefined, head('origin/trunk'), ['origin/trunk', ...USUAL]],
    ['origin/HEAD names main: no name twice', {}, undefined, head('origin/main'), ['origin/main', 'main', 'master', 'origin/master']],
    ['GitLab names trunk: the service wins over origin/HEAD', { CI_DEFAULT_BRANCH: 'trunk' }, undefined, head('origin/main'), ['trunk', 'origin/trunk']],
    ['GitHub\'s payload names develop', { GITHUB_ACTIONS: 'true' }, { repository: { default_branch: 'develop' } }, head('origin/main'), ['develop', 'origin/develop']],
    ['Buildkite names trunk', { BUILDKITE_PIPELINE_DEFAULT_BRANCH: 'trunk' }, undefined, head(), ['trunk', 'origin/trunk']],
    ['an empty CI_DEFAULT_BRANCH names nothing', { CI_DEFAULT_BRANCH: ' ' }, undefined, head('origin/trunk'), ['origin/trunk', ...USUAL]],
  ])('%s', (_, env: Record<string, string>, payload: unknown, originHead: () => string | undefined, refs: string[]) => {
    expect(defaultBranchRefs(env, payload, originHead)).toEqual(refs);
    // ci falls back to the same refs where no variable names a base.
    expect(chooseBase(env, payload, undefined, originHead).refs).toEqual(refs);
  });

  it('asks git for origin/HEAD only when the CI service names no default branch', () => {
    let asked = 0;
    defaultBranchRefs({ CI_DEFAULT_BRANCH: 'trunk' }, undefined, () => String(++asked));
    expect(asked).toBe(0);
  });
});

describe('the one table of CI services', () => {
  // Each service is named by its marker, or by a variable of its own where the marker was not passed
  // on; a service recognised as one is a CI job too, by the same table.
  it.each([
    [{ GITHUB_ACTIONS: 'true' }, 'github'],
    [{ GITHUB_EVENT_NAME: 'pull_request' }, 'github'],
    [{ CI_PIPELINE_SOURCE: 'push' }, 'gitlab'],
    [{ JENKINS_URL: 'http://j/' }, 'jenkins'],
    [{ CHANGE_TARGET: 'main' }, 'jenkins'],
    [{ TF_BUILD: 'True' }, 'azure'],
    [{ BITBUCKET_PR_DESTINATION_BRANCH: 'main' }, 'bitbucket'],
    [{ TEAMCITY_VERSION: '2024.03' }, 'teamcity'],
    [{ BUILDKITE: 'true' }, 'buildkite'],
    [{ BUILDKITE_PULL_REQUEST_BASE_BRANCH: 'main' }, 'buildkite'],
    [{ CIRCLECI: 'true' }, 'circleci'],
    [{ CODEBUILD_BUILD_ID: 'p:1' }, 'codebuild'],
    [{ CI: 'true' }, undefined],
    [{ JENKINS_URL: ' ' }, undefined],
  ])('%o is %s', (env: Record<string, string>, service) => {
    expect(ciServiceOf(env)).toBe(service);
    expect(chooseBase(env, undefined).service).toBe(service);
    const marked = service && Object.keys(env).some((k) => ['GITHUB_ACTIONS', 'JENKINS_URL', 'TF_BUILD', 'TEAMCITY_VERSION', 'BUILDKITE', 'CIRCLECI', 'CODEBUILD_BUILD_ID'].includes(k));
    if (marked) expect(runsInCi(env)).toBe(true);
  });
});

describe('what ci says about its base', () => {
  const message = (e: { message: string; why?: string; hint?: string }) => `${e.message}\nwhy: ${e.why ?? ''}\nhint: ${e.hint ?? ''}`;

  it.each([
    ['a GitLab SHA: a commit from its variable, with GitLab fix', { GITLAB_CI: 'true', CI_MERGE_REQUEST_DIFF_BASE_SHA: SHA_B }, undefined,
      [`the base commit ${SHA_B} from CI_MERGE_REQUEST_DIFF_BASE_SHA (the merge request's diff base) is not a commit this clone holds`, 'GIT_DEPTH: 0', `git fetch origin ${SHA_B}`], ['target branch, else main']],
    ['a GitHub SHA: fetch-depth: 0', { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }, { before: SHA_A, repository: { default_branch: 'main' } },
      [`the base commit ${SHA_A} from github.event.before (the commit before the push)`, 'fetch-depth: 0'], ['GIT_DEPTH']],
    ['a branch from CI: a fetch that creates the remote-tracking branch', { JENKINS_URL: 'http://j/', CHANGE_ID: '7', CHANGE_TARGET: 'develop' }, undefined,
      ['the base branch develop from CHANGE_TARGET', 'nor is develop', 'git fetch origin develop:refs/remotes/origin/develop'], []],
    ['the main fallback', {}, undefined, ['the default base main (no CI variable names a target branch or a commit before a push) is not a commit git knows, nor is origin/main', 'git fetch origin main:refs/remotes/origin/main'], []],
  ])('an unknown base: %s', (_, env: Record<string, string>, payload: unknown, has: string[], hasNot: string[]) => {
    const text = message(unknownBaseError(chooseBase(env, payload)));
    for (const h of has) expect(text).toContain(h);
    for (const h of hasNot) expect(text).not.toContain(h);
  });

  it.each([
    ['<remote>/<branch> of a remote the clone has: fetched from that remote', 'upstream/main', ['origin', 'upstream'], 'git fetch upstream main:refs/remotes/upstream/main;', 'refs/remotes/origin/upstream'],
    ['a branch whose name holds a slash, no such remote: a branch on origin', 'release/2.0', ['origin'], 'git fetch origin release/2.0:refs/remotes/origin/release/2.0 (a tag: git fetch origin tag release/2.0);', 'git fetch release'],
    ['origin/<branch>: as CI variables give it', 'origin/develop', ['origin'], 'git fetch origin develop:refs/remotes/origin/develop;', 'tag'],
    ['a plain branch name: origin, a tag as the other reading', 'develop', ['origin'], 'git fetch origin develop:refs/remotes/origin/develop (a tag: git fetch origin tag develop);', 'refs/remotes/origin/origin'],
    ["a release's name: a tag first, which a shallow clone lacks", 'v1.2.0', ['origin'], 'git fetch origin tag v1.2.0 (a branch: git fetch origin v1.2.0:refs/remotes/origin/v1.2.0);', 'origin/tags'],
    ['tags/<name>: a tag only', 'tags/v1', ['origin'], 'fetch it first: git fetch origin tag v1;', 'refs/remotes'],
    ['refs/tags/<name>: a tag only', 'refs/tags/nightly', [], 'fetch it first: git fetch origin tag nightly;', 'refs/remotes'],
    ['refs/heads/<branch>: the branch on origin, no tag reading', 'refs/heads/main', ['origin'], 'fetch it first: git fetch origin main:refs/remotes/origin/main;', 'refs/heads'],
    ['refs/heads/<branch> with a slash', 'refs/heads/release/2.0', ['origin', 'release'], 'fetch it first: git fetch origin release/2.0:refs/remotes/origin/release/2.0;', 'tag'],
    ['refs/remotes/<remote>/<branch>: from that remote', 'refs/remotes/upstream/main', ['origin', 'upstream'], 'fetch it first: git fetch upstream main:refs/remotes/upstream/main;', 'refs/remotes/origin'],
    ['refs/remotes/origin/<branch>', 'refs/remotes/origin/develop', ['origin'], 'fetch it first: git fetch origin develop:refs/remotes/origin/develop;', 'tag'],
    ['refs/remotes/<remote>/<branch> of a remote the clone lacks: still that remote', 'refs/remotes/fork/main', ['origin'], 'fetch it first: git fetch fork main:refs/remotes/fork/main;', 'origin'],
  ])('--base unknown, %s', (_, given: string, remotes: string[], has: string, hasNot: string) => {
    const e = unknownBaseError(chooseBase({}, undefined, given), () => remotes);
    expect(e.hint).toContain(has);
    expect(e.hint).not.toContain(hasNot);
  });

  it('asks for the remotes only when its hint names a branch', () => {
    const asked: string[] = [];
    const remotes = () => { asked.push('asked'); return ['origin']; };
    unknownBaseError(chooseBase({}, undefined, 'a'.repeat(40)), remotes);
    unknownBaseError(chooseBase({}, undefined, 'HEAD~3'), remotes);
    expect(asked).toEqual([]);
  });

  it.each([
    ['--base "" on Jenkins (GIT_PREVIOUS_SUCCESSFUL_COMMIT unset on a first build)', { JENKINS_URL: 'http://j/' }, '',
      ['--base is empty\n', 'GIT_PREVIOUS_SUCCESSFUL_COMMIT', 'first build', '--base "${GIT_PREVIOUS_SUCCESSFUL_COMMIT:-origin/main}"']],
    ['--base origin/ on GitLab outside a merge request pipeline', { GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'push' }, 'origin/',
      ['--base names no branch after origin/\n', 'CI_MERGE_REQUEST_TARGET_BRANCH_NAME', 'only in merge request pipelines', 'leave --base out']],
    ['--base "" on GitHub', { GITHUB_ACTIONS: 'true' }, '', ['--base is empty\n', '${{ github.base_ref }} is empty outside pull requests']],
    ['--base "  " with no service known', {}, '  ', ['--base is empty\n', 'unset or empty', '--base "${VAR:-origin/main}"']],
    ['--base of 40 zeros (a before-SHA with no commit before it)', { GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'push' }, ZEROS,
      [`--base ${ZEROS} names no commit: it is all zeros\n`, "no commit came before this push (a branch's first pipeline", 'pass --base <ref>']],
  ])('%s: says what --base lacks and why, never a fetch of nothing', (_, env: Record<string, string>, given: string, has: string[]) => {
    const choice = chooseBase(env, undefined, given);
    expect(choice.kind).toBe('none');
    const e = unknownBaseError(choice);
    expect(e.exitCode).toBe(2);
    const text = message(e);
    for (const h of has) expect(text).toContain(h);
    expect(text).not.toMatch(/git fetch|not a commit git knows/);
  });

  it.each([
    ['a GitHub push', { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push' }, ['push pipeline', '--base ${{ github.event.before }}']],
    ['a GitLab push', { GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'push' }, ['push pipeline', '--base "$CI_COMMIT_BEFORE_SHA"']],
    // Zeros on the default branch: "pass CI_COMMIT_BEFORE_SHA" would be a circle.
    ['a GitLab push whose CI_COMMIT_BEFORE_SHA is zeros', { GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'main', CI_DEFAULT_BRANCH: 'main', CI_COMMIT_BEFORE_SHA: ZEROS },
      ['push pipeline whose CI_COMMIT_BEFORE_SHA is all zeros', 'no commit came before this push', 'promptctl ci --base <ref>']],
    ['a GitHub push whose event before is zeros', { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }, ['whose github.event.before is all zeros', 'promptctl ci --base <ref>'], { before: ZEROS, repository: { default_branch: 'main' } }],
    ['a Jenkins branch build', { JENKINS_URL: 'http://j/' }, ['push pipeline', '--base "$GIT_PREVIOUS_SUCCESSFUL_COMMIT"']],
    ['a schedule', { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'schedule' }, ['scheduled pipeline', 'promptctl eval <id>@$(promptctl get <id> --env production --json | jq -r .version)']],
    ['a tag', { GITLAB_CI: 'true', CI_COMMIT_TAG: 'v1' }, ['tag pipeline', '--base <the previous release tag>']],
    ['a developer on main', {}, ['no prompt, eval set or config is changed in the working tree', '--base HEAD~1']],
  ])('HEAD already on the base: %s', (_, env: Record<string, string>, has: string[], payload?: unknown) => {
    const e = headOnBaseError(chooseBase(env, payload), 'main', 'production');
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe('HEAD is already on main: there is no change to gate');
    for (const h of has) expect(message(e)).toContain(h);
    if (has.some((h) => h.includes('all zeros'))) expect(message(e)).not.toMatch(/CI_COMMIT_BEFORE_SHA"|\$\{\{ github\.event\.before \}\}/);
  });
});

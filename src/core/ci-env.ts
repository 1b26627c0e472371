/**
 * The one "is this a CI job" rule (the registry target, the live view, the confirmation question).
 * Most services set CI=true, but not all: Jenkins sets JENKINS_URL, Azure Pipelines TF_BUILD,
 * TeamCity TEAMCITY_VERSION, AWS CodeBuild CODEBUILD_BUILD_ID. Without them a Jenkins job with an
 * empty PROMPTCTL_REGISTRY_URL judged against a fresh SQLite registry and passed.
 */

/** Variables only a CI service sets (GitHub Actions, GitLab, Jenkins, Azure Pipelines, TeamCity, Bitbucket, Buildkite, CircleCI, CodeBuild). */
const MARKERS = ['GITHUB_ACTIONS', 'GITLAB_CI', 'JENKINS_URL', 'TF_BUILD', 'TEAMCITY_VERSION', 'BITBUCKET_BUILD_NUMBER', 'BUILDKITE', 'CIRCLECI', 'CODEBUILD_BUILD_ID'] as const;

const isOff = (value: string) => /^(false|0)$/i.test(value);

/**
 * Whether the process runs in a CI job: `CI` set to anything but empty, `false` or `0`, or a
 * variable only a CI service sets (`JENKINS_URL`, `TF_BUILD`, …) with a value other than those.
 * CI=false (or 0) switches the CI behaviour off whatever else is set: how a developer opts out.
 */
export function runsInCi(env: Record<string, string | undefined>): boolean {
  const ci = env.CI?.trim();
  if (ci) return !isOff(ci);
  return MARKERS.some((name) => {
    const value = env[name]?.trim();
    return Boolean(value) && !isOff(value!);
  });
}

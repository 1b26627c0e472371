/**
 * The CI services promptctl knows, in one table: the variable only each service sets (its marker),
 * and the variables of its own that name it even where the marker was not passed on. Two rules read
 * it: "is this a CI job" (the registry target, the live view, the confirmation question) and "which
 * service's variables choose ci's base" (core/ci/base-choice.ts). Most services set CI=true, but not
 * all: Jenkins sets JENKINS_URL, Azure Pipelines TF_BUILD, TeamCity TEAMCITY_VERSION, AWS CodeBuild
 * CODEBUILD_BUILD_ID. Without them a Jenkins job with an empty PROMPTCTL_REGISTRY_URL judged
 * against a fresh SQLite registry and passed.
 */
const CI_SERVICES = {
  github: { marker: 'GITHUB_ACTIONS', names: ['GITHUB_EVENT_NAME'] },
  gitlab: { marker: 'GITLAB_CI', names: ['CI_PIPELINE_SOURCE'] },
  jenkins: { marker: 'JENKINS_URL', names: ['CHANGE_TARGET'] },
  azure: { marker: 'TF_BUILD', names: ['SYSTEM_PULLREQUEST_TARGETBRANCH'] },
  bitbucket: { marker: 'BITBUCKET_BUILD_NUMBER', names: ['BITBUCKET_PR_DESTINATION_BRANCH'] },
  teamcity: { marker: 'TEAMCITY_VERSION', names: [] },
  buildkite: { marker: 'BUILDKITE', names: ['BUILDKITE_PULL_REQUEST_BASE_BRANCH'] },
  circleci: { marker: 'CIRCLECI', names: [] },
  codebuild: { marker: 'CODEBUILD_BUILD_ID', names: [] },
} as const satisfies Record<string, { marker: string; names: readonly string[] }>;

export type CiService = keyof typeof CI_SERVICES;
type Env = Record<string, string | undefined>;

const SERVICES = Object.entries(CI_SERVICES) as Array<[CiService, (typeof CI_SERVICES)[CiService]]>;
const isOff = (value: string) => /^(false|0)$/i.test(value);
const isSet = (env: Env, name: string) => Boolean(env[name]?.trim());

/**
 * Whether the process runs in a CI job: `CI` set to anything but empty, `false` or `0`, or a
 * service's marker (`JENKINS_URL`, `TF_BUILD`, …) with a value other than those.
 * CI=false (or 0) switches the CI behaviour off whatever else is set: how a developer opts out.
 */
export function runsInCi(env: Env): boolean {
  const ci = env.CI?.trim();
  if (ci) return !isOff(ci);
  return SERVICES.some(([, s]) => isSet(env, s.marker) && !isOff(env[s.marker]!.trim()));
}

/** The service whose variables these are (its marker, or one of its own variables), if any. */
export function ciServiceOf(env: Env): CiService | undefined {
  return SERVICES.find(([, s]) => isSet(env, s.marker) || s.names.some((name) => isSet(env, name)))?.[0];
}

import { readFileSync } from 'node:fs';

/**
 * The GitHub Actions event payload (the JSON file GITHUB_EVENT_PATH names), for the events whose
 * base only the payload holds: a push's `before`, a merge group's `base_sha`. Undefined for other
 * events, and when the file cannot be read or parsed: ci then falls back to a branch, and says so
 * when HEAD is already on it (core/ci/base-errors.ts) rather than pass on an empty change.
 */
export function githubEventPayload(env: Record<string, string | undefined>): unknown {
  if (!env.GITHUB_EVENT_PATH || (env.GITHUB_EVENT_NAME !== 'push' && env.GITHUB_EVENT_NAME !== 'merge_group')) return undefined;
  try {
    return JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

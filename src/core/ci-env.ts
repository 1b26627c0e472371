/**
 * Whether the process runs in a CI job: `CI` set to anything but empty, `false` or `0` (every CI
 * service sets CI=true; CI=false is how a developer switches the CI behaviour off again).
 */
export function runsInCi(env: Record<string, string | undefined>): boolean {
  const value = env.CI?.trim();
  return Boolean(value) && !/^(false|0)$/i.test(value!);
}

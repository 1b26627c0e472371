/**
 * The configured order of environments (`.promptrc.yaml` lists them, earliest first) and what
 * follows from it. One rule, used by the production-requires-staging gate, by promote (its default
 * source and its backwards warning) and by anything else that asks which environment comes first.
 */

/** The environment just before `env` in the order; null for the first one (or a name not in the order). */
export function previousEnvironment(order: readonly string[], env: string): string | null {
  const at = order.indexOf(env);
  return at > 0 ? order[at - 1]! : null;
}

/**
 * Whether moving a version from `from` to `to` goes against the order (or stays level): not an
 * error, since resyncing an earlier environment is legitimate, but usually a swapped pair.
 */
export function goesBackwards(order: readonly string[], from: string, to: string): boolean {
  return !(order.indexOf(to) > order.indexOf(from));
}

/**
 * Whether `env` is the last environment of the order (production, by convention): a change there
 * is the one a person at a terminal confirms before it happens.
 */
export function isLastEnvironment(order: readonly string[], env: string): boolean {
  return order.length > 0 && order[order.length - 1] === env;
}

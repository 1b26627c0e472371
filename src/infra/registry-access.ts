import type { Clock } from './clock.js';
import type { Env } from './registry/target.js';

/**
 * What a use case passes down to open its project's registry (project-registry.ts). Its own file,
 * with types only: the published declarations of use cases name it, and must not reach the
 * registry's drivers (test/foundation/published-types.test.ts).
 */
export interface RegistryAccess {
  /** The environment: PROMPTCTL_REGISTRY_URL chooses PostgreSQL, and the password comes from here. */
  env: Env;
  /**
   * The use case's clock: what is recorded is dated by it, and what compares with recorded times
   * (`registry.time()` on SQLite: history --since, audit verify) reads it. Required, so no use case
   * falls back to the system clock by leaving it out (the PostgreSQL registry dates by its server).
   */
  clock: Pick<Clock, 'date'>;
  /** The use case's stop signal: a PostgreSQL registry ends a wait for its server in progress when it is aborted. */
  signal?: AbortSignal;
}

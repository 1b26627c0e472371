import { InterruptedError, stopSignalOf } from '../core/errors.js';
import type { OptionNames } from '../core/option-names.js';
import { systemClock, type Clock } from '../infra/clock.js';

/**
 * What every use case receives, besides its own options. Nothing in `src/app` reads process
 * globals, prints or exits: the caller (the CLI, a test, a user's script) passes the folder, the
 * environment, the clock and the signal, and gets data back.
 */
export type Env = Record<string, string | undefined>;

export interface AppOptions {
  /** The folder to work in; the project is found upwards from it. */
  cwd: string;
  /**
   * Environment variables: the API key named by the config, `GITHUB_STEP_SUMMARY`, the CI's run ids,
   * the actor. Defaults to `process.env` for scripts; the CLI always passes its own.
   */
  env?: Env;
  /** Time for everything recorded and measured; defaults to the system clock. */
  clock?: Clock;
  /** Aborting it stops a long use case gracefully: what arrived is kept, and it resolves or throws `InterruptedError`. */
  signal?: AbortSignal;
  /**
   * How errors name your options: `'keys'` (the default) as this options object does (`reason`),
   * `'flags'` as promptctl's command line does (`--reason`), which is what the CLI passes.
   */
  optionNames?: OptionNames;
}

/** AppOptions with every default filled in: what use cases pass down to infra. */
export interface AppContext {
  cwd: string;
  env: Env;
  clock: Clock;
  signal?: AbortSignal;
  optionNames: OptionNames;
}

export function appContext(o: AppOptions): AppContext {
  // A signal aborted before the use case starts (a timeout that already fired) stops it before it
  // reads or writes anything: a deploy never records itself under an abort the caller already asked for.
  const stopped = stopSignalOf(o.signal);
  if (stopped) {
    throw new InterruptedError({
      signal: stopped,
      message: 'interrupted before it started: nothing was read or written',
      why: 'the `signal` passed was already aborted',
      hint: 'pass a signal that is not aborted yet (an AbortSignal.timeout() starts counting when it is made)',
    });
  }
  // The one place the library falls back to the process environment: a script that passes none.
  return { cwd: o.cwd, env: o.env ?? process.env, clock: o.clock ?? systemClock, signal: o.signal, optionNames: o.optionNames ?? 'keys' };
}

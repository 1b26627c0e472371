import { setFlagsFromString } from 'node:v8';

const FALLBACK = '--enable-experimental-regexp-engine-on-excessive-backtracks';
/** Started with the flag (`node --enable-experimental-…`): it stays on, as the user asked. */
const givenAtStart = process.execArgv.includes(FALLBACK);

/**
 * Runs `work` (infra/bounded-regex.ts: one check of an expectation's pattern) with V8's fallback on:
 * a pattern that backtracks past V8's limit is run again on V8's linear-time engine instead of
 * running for hours. That engine takes only patterns without the u and i flags (legacy regex
 * expectations, and other patterns V8 runs); the runaway shapes with them are refused by the
 * eval-set schema (core/expectation-regex.ts), and the deadline bounds the rest.
 *
 * On only around the check, not from the process's start: while any V8 flag differs from Node's
 * defaults, V8 rejects the code cache Node ships for its own modules, so each one loaded meanwhile
 * (node:http, undici, crypto…) compiles from scratch: about 27 ms of an eval's start-up, twice what
 * loading them costs otherwise. V8 reads the flag when it compiles a pattern's code, which it does
 * on a first run and again when it optimises a pattern run often; that code is shared by every
 * RegExp of the same source and flags. So a pattern that may backtrack long must only ever run
 * through a check (core/scoring runs every regex expectation that may backtrack long, needsDeadlineOn, through `bounded`),
 * or code compiled without the fallback may serve it. Other patterns from users (a `--case`
 * glob) are not run as regexes at all (core/eval/select.ts globMatches).
 */
export function withLinearFallback<T>(work: () => T): T {
  if (givenAtStart) return work();
  setFlagsFromString(FALLBACK);
  try {
    return work();
  } finally {
    setFlagsFromString(FALLBACK.replace('--', '--no-'));
  }
}

import { setFlagsFromString } from 'node:v8';

/**
 * Imported first by the installed command (bin/promptctl.ts, before its code-cached chunks load:
 * V8 rejects a code cache made under other flags), by bin/main.ts and by `promptctl/app`, before any expectation regex is
 * compiled: a pattern that backtracks past V8's limit falls back to its linear-time engine instead of
 * running for hours. That engine takes only patterns without the u and i flags (legacy regex
 * expectations, and other patterns V8 runs); the runaway shapes with them are refused by the
 * eval-set schema (core/expectation-regex.ts).
 */
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

import { createContext, Script, type Context } from 'node:vm';
import { REGEX_DEADLINE_SECONDS, type RegexTest } from '../core/expectation-regex.js';

/**
 * Tests a pattern under a deadline: V8 interrupts a script that runs past vm's `timeout`, regex
 * backtracking included, where on the main thread a runaway pattern would hold eval (and Ctrl-C)
 * for hours. The deadline costs a watchdog thread per call (about 0.25 ms), so scoring asks for it
 * only for patterns that may backtrack long (core/expectation-regex.ts needsDeadline).
 */
let context: Context | undefined;
let script: Script | undefined;

export const boundedRegexTest: RegexTest = (re, text) => regexTestWithin(re, text, REGEX_DEADLINE_SECONDS * 1000);

/** As boundedRegexTest, with the deadline given (tests use a short one). */
export function regexTestWithin(re: RegExp, text: string, deadlineMs: number): boolean | 'timeout' {
  const ctx = (context ??= createContext({ re: undefined, text: '' }));
  ctx.re = re;
  ctx.text = text;
  try {
    return (script ??= new Script('re.test(text)')).runInContext(ctx, { timeout: deadlineMs }) === true;
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return 'timeout';
    throw err;
  } finally {
    ctx.re = undefined;
    ctx.text = '';
  }
}

import { createContext, Script, type Context } from 'node:vm';
import { REGEX_DEADLINE_SECONDS, type Bounded } from '../core/expectation-regex.js';
import { withLinearFallback } from './regex-backtracking.js';

/**
 * Runs a check under a deadline: V8 interrupts a script that runs past vm's `timeout`, regex
 * backtracking included, where on the main thread a runaway pattern would hold eval (and Ctrl-C)
 * for hours. The deadline costs a watchdog thread per call (about 0.1-0.25 ms), so scoring asks for
 * it only for checks whose patterns may backtrack long (core/expectation-regex.ts needsDeadlineOn, and needsDeadline for schema patterns):
 * one regex expectation, or one output's whole JSON-schema validation.
 */
let context: Context | undefined;
let script: Script | undefined;

/** A runner with the given deadline (the product's is REGEX_DEADLINE_SECONDS; tests use shorter ones). */
export function boundedWithin(deadlineMs: number): Bounded {
  return (work) => {
    const ctx = (context ??= createContext({ work: undefined }));
    ctx.work = work;
    try {
      const run = (script ??= new Script('work()'));
      return withLinearFallback(() => run.runInContext(ctx, { timeout: deadlineMs })) === true;
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return 'timeout';
      throw err;
    } finally {
      ctx.work = undefined;
    }
  };
}

export const bounded: Bounded = boundedWithin(REGEX_DEADLINE_SECONDS * 1000);

import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * git's answers to questions whose answer does not change while one command runs (the
 * repository's top folder, the commit a ref names, where a branch left it, a tree at a commit, the
 * git user's email), kept for that command only. ci asked each several times (its own checks, then
 * the eval it runs, then the number check that eval makes): some 25 git processes per run, each a
 * fork of a large Node process (several ms of CPU, ~20 ms from a test worker).
 *
 * The memo lives in the command's asynchronous context (`withGitMemo`), never in module state: a
 * library user or a test worker runs many commands in one process, between which a checkout, a
 * commit or a fetch may change every answer. Outside a command, nothing is kept.
 */

type Answer = { ok: true; value: unknown } | { ok: false; error: unknown };

const command = new AsyncLocalStorage<Map<string, Answer>>();

/**
 * Memos in use. On Node 20 an AsyncLocalStorage in use installs a hook on every promise the process
 * makes (measured: +0.24 µs an await inside a scope, +0.05 µs outside), which an eval's request path
 * would pay thousands of times: when the last memo ends, the storage is disabled and the hook goes.
 */
let open = 0;
const ended = (): void => {
  if (--open === 0) command.disable();
};

/** How many memos are in use (0: the storage is disabled and no promise is hooked). */
export const gitMemosInUse = (): number => open;

/**
 * Runs `run` with a memo for git's answers: the enclosing command's when there is one (ci runs eval), else a new one that ends with `run`.
 * A library caller's callback (`onProgress`, `onEvaluation`) runs in its command's scope too: a
 * command it starts from there joins that memo, so one that commits, checks out or fetches first
 * should start its next command after the callback returns (e.g. from a `setImmediate`).
 */
export function withGitMemo<T>(run: () => T): T {
  if (command.getStore()) return run();
  open++;
  let result: T;
  try {
    result = command.run(new Map(), run);
  } catch (e) {
    ended();
    throw e;
  }
  if (result instanceof Promise) return result.finally(ended) as T;
  ended();
  return result;
}

const keyOf = (key: readonly string[]): string => key.join('\0');

/** The answer `ask` gave for `key` earlier in this command (its error thrown again), else `ask`'s, kept for the rest of the command. */
export function remembered<T>(key: readonly string[], ask: () => T): T {
  const memo = command.getStore();
  if (!memo) return ask();
  const k = keyOf(key);
  const known = memo.get(k);
  if (known) {
    if (known.ok) return known.value as T;
    throw known.error;
  }
  try {
    const value = ask();
    memo.set(k, { ok: true, value });
    return value;
  } catch (error) {
    memo.set(k, { ok: false, error });
    throw error;
  }
}

/** Whether this runs in a command's memo (`withGitMemo`). */
export const inGitMemo = (): boolean => command.getStore() !== undefined;

/** The answer kept for `key` in this command, if any (never an error). */
export function recalled<T>(key: readonly string[]): T | undefined {
  const known = command.getStore()?.get(keyOf(key));
  return known?.ok ? (known.value as T) : undefined;
}

/** Whether this command has an answer (or an error) for `key` already. */
export const isKnown = (key: readonly string[]): boolean => command.getStore()?.has(keyOf(key)) ?? false;

/**
 * Keeps `value` as the answer for `key` for the rest of this command: one git call that answers
 * several questions (`rev-parse --show-toplevel --verify ...`) files each answer where the
 * question alone would look for it. Nothing is kept outside a command.
 */
export function remember(key: readonly string[], value: unknown): void {
  command.getStore()?.set(keyOf(key), { ok: true, value });
}

/** `remember` bound to the current command, for an answer that arrives later (a callback may run outside the command's context). */
export function rememberLater(): (key: readonly string[], value: unknown) => void {
  const memo = command.getStore();
  return (key, value) => memo?.set(keyOf(key), { ok: true, value });
}

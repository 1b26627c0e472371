import { ExitCode, isPromptctlError } from './core/errors.js';
import { UnverifiedRecordError } from './registry-api.js';

/**
 * The library's small read cache, as the Langfuse and LangSmith SDKs keep one: a value younger
 * than the TTL is served without asking the registry; an older one is fetched again; and when the
 * registry cannot be reached or used (an exit-3 error: server down, connection lost, ...) the last
 * good value is served, marked stale, instead of failing the application's request. With no value
 * yet, the exit-3 error is thrown. Any other error (an unknown environment, a bug) is thrown as is.
 *
 * A slow or hung registry must not multiply the wait: concurrent callers of one key share one
 * fetch, and after a failure the stale value is served at once for a back-off (1 s, doubling to
 * 30 s while failures go on) instead of each call waiting for the registry again. A deploy record
 * that does not verify starts no back-off: the registry answered at once, so waiting spares
 * nothing, and the next call asks again (a record restored, or a read that met a passing state).
 */

export interface StaleMark {
  /** Served from the cache because the registry could not be reached or used (see `staleReason`). */
  stale?: true;
  /** When the stale value was read from the registry (ISO 8601). */
  fetchedAt?: string;
  /** What failed just now, e.g. "cannot reach the PostgreSQL registry at postgres://app@db:5432/prompts" (never a password). */
  staleReason?: string;
}

/** The first back-off after a failure, and its cap while failures go on. */
export const FIRST_BACKOFF_MS = 1_000;
export const MAX_BACKOFF_MS = 30_000;

interface Entry {
  value: unknown;
  /** Wall-clock time it was read (the `fetchedAt` stamp), ms since the epoch. */
  fetchedAt: number;
  /** Monotonic time it was read: ages are measured on it, so a clock step (NTP) never freshens a value. */
  readAt: number;
  /** The last failure since it was read: until `until` (monotonic), the value is served stale without asking. */
  failure?: { reason: string; until: number; backoffMs: number };
}

export class ReadCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<unknown>>();

  constructor(
    private readonly ttlMs: number,
    /** Wall-clock ms, for `fetchedAt` only. */
    private readonly wallNow: () => number,
    /** Monotonic ms, for ages and back-offs. */
    private readonly monotonicNow: () => number = () => performance.now(),
  ) {}

  async read<T extends object | undefined>(key: string, fetch: () => Promise<T>): Promise<T | (T & StaleMark)> {
    const cached = this.entries.get(key);
    const now = this.monotonicNow();
    // Every caller gets its own copy: an application that appends its user's turn to
    // `content.messages` must not find it in the next request's prompt.
    if (cached && now - cached.readAt < this.ttlMs) return structuredClone(cached.value) as T;
    if (cached?.failure && now < cached.failure.until) return staleCopy(cached, cached.failure.reason) as T;
    let shared = this.pending.get(key) as Promise<T> | undefined;
    if (!shared) {
      // Removed once settled (a microtask later, so never before it is stored).
      shared = this.fetchOnce(key, fetch).finally(() => this.pending.delete(key));
      this.pending.set(key, shared);
    }
    try {
      return structuredClone(await shared);
    } catch (err) {
      const entry = this.entries.get(key);
      if (!entry || !isUnavailable(err)) throw err;
      return staleCopy(entry, (err as Error).message) as T;
    }
  }

  private async fetchOnce<T>(key: string, fetch: () => Promise<T>): Promise<T> {
    try {
      const value = await fetch();
      this.entries.set(key, { value, fetchedAt: this.wallNow(), readAt: this.monotonicNow() });
      return value;
    } catch (err) {
      const entry = this.entries.get(key);
      if (entry && isUnavailable(err) && !(err instanceof UnverifiedRecordError)) {
        const backoffMs = entry.failure ? Math.min(entry.failure.backoffMs * 2, MAX_BACKOFF_MS) : FIRST_BACKOFF_MS;
        entry.failure = { reason: (err as Error).message, until: this.monotonicNow() + backoffMs, backoffMs };
      }
      throw err;
    }
  }
}

function staleCopy(entry: Entry, reason: string): object | undefined {
  if (entry.value === undefined) return undefined;
  const mark: StaleMark = { stale: true, fetchedAt: new Date(entry.fetchedAt).toISOString(), staleReason: reason };
  return { ...(structuredClone(entry.value) as object), ...mark };
}

function isUnavailable(err: unknown): boolean {
  return isPromptctlError(err) && err.exitCode === ExitCode.unavailable;
}

import { ExitCode, isPromptctlError } from './core/errors.js';

/**
 * The library's small read cache, as the Langfuse and LangSmith SDKs keep one: a value younger
 * than the TTL is served without asking the registry; an older one is fetched again; and when the
 * registry cannot be reached or used (an exit-3 error: server down, connection lost, ...) the last
 * good value is served, marked stale, instead of failing the application's request. With no value
 * yet, the exit-3 error is thrown. Any other error (an unknown environment, a bug) is thrown as is.
 */

export interface StaleMark {
  /** Served from the cache because the registry could not be reached or used (see `staleReason`). */
  stale?: true;
  /** When the stale value was read from the registry (ISO 8601). */
  fetchedAt?: string;
  /** What failed just now, e.g. "cannot reach the PostgreSQL registry at postgres://app@db:5432/prompts" (never a password). */
  staleReason?: string;
}

interface Entry {
  value: unknown;
  fetchedAt: number;
}

export class ReadCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  async read<T extends object | undefined>(key: string, fetch: () => Promise<T>): Promise<T | (T & StaleMark)> {
    const cached = this.entries.get(key);
    // Every caller gets its own copy: an application that appends its user's turn to
    // `content.messages` must not find it in the next request's prompt.
    if (cached && this.now() - cached.fetchedAt < this.ttlMs) return structuredClone(cached.value) as T;
    try {
      const value = await fetch();
      this.entries.set(key, { value, fetchedAt: this.now() });
      return structuredClone(value);
    } catch (err) {
      if (!cached || !isUnavailable(err)) throw err;
      if (cached.value === undefined) return undefined as T;
      const mark: StaleMark = { stale: true, fetchedAt: new Date(cached.fetchedAt).toISOString(), staleReason: (err as Error).message };
      return { ...(structuredClone(cached.value) as object), ...mark } as T & StaleMark;
    }
  }
}

function isUnavailable(err: unknown): boolean {
  return isPromptctlError(err) && err.exitCode === ExitCode.unavailable;
}

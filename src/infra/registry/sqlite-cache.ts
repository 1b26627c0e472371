import type Database from 'better-sqlite3';
import { cachedResponse } from './sqlite-rows.js';
import type { CachedResponse, PrunedCache } from './types.js';
import { preparedOnUse } from './sqlite-lazy.js';

/**
 * The response cache: one row per request key (model + rendered messages + parameters), so
 * re-running unchanged cases sends nothing to the server. A newer response for a key replaces it.
 */

interface CacheRow {
  output: string;
  latency_ms: number;
  tokens_in: number;
  tokens_out: number;
  exchange: string | null;
  root: string | null;
}

/** The answers cached before `before` (every answer when undefined): a WHERE clause and its parameters. */
const cachedBefore = (before: string | undefined): { where: string; args: string[] } => (before === undefined ? { where: '', args: [] } : { where: 'WHERE created_at < ?', args: [before] });

/** Keys per read: SQLite allows 32,766 parameters; a page this size keeps each statement small. */
const KEYS_PER_READ = 500;

export class ResponseCache {
  private readonly one: Database.Statement<[string], CacheRow>;
  private readonly put: Database.Statement;
  private readonly pages = new Map<number, Database.Statement<string[], CacheRow & { key: string }>>();

  constructor(private readonly db: Database.Database) {
    this.one = preparedOnUse(() => db.prepare('SELECT output, latency_ms, tokens_in, tokens_out, exchange, root FROM response_cache WHERE key = ?'));
    this.put = preparedOnUse(() => db.prepare(
      'INSERT OR REPLACE INTO response_cache (key, output, latency_ms, tokens_in, tokens_out, created_at, exchange, root) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ));
  }

  get(key: string): CachedResponse | undefined {
    const row = this.one.get(key);
    return row && cachedResponse(key, row);
  }

  getMany(keys: readonly string[]): Map<string, CachedResponse> {
    const found = new Map<string, CachedResponse>();
    for (let i = 0; i < keys.length; i += KEYS_PER_READ) {
      const page = keys.slice(i, i + KEYS_PER_READ);
      let read = this.pages.get(page.length);
      if (!read) {
        read = this.db.prepare(`SELECT key, output, latency_ms, tokens_in, tokens_out, exchange, root FROM response_cache WHERE key IN (${page.map(() => '?').join(',')})`);
        this.pages.set(page.length, read);
      }
      for (const row of read.all(...page)) found.set(row.key, cachedResponse(row.key, row));
    }
    return found;
  }

  /** Answers cached before `before` (all when undefined) and their bytes as stored (UTF-8). */
  count(before: string | undefined): PrunedCache {
    const size = 'length(CAST(output AS BLOB)) + coalesce(length(CAST(exchange AS BLOB)), 0)';
    const { where, args } = cachedBefore(before);
    return this.db.prepare(`SELECT count(*) AS answers, coalesce(sum(${size}), 0) AS bytes FROM response_cache ${where}`).get(...args) as PrunedCache;
  }

  /** Removes what `count(before)` counts (call inside a transaction, so the two agree). */
  prune(before: string | undefined): PrunedCache {
    const found = this.count(before);
    const { where, args } = cachedBefore(before);
    if (found.answers) this.db.prepare(`DELETE FROM response_cache ${where}`).run(...args);
    return found;
  }

  set(key: string, r: CachedResponse, createdAt: string): void {
    this.put.run(key, r.output, r.latencyMs, r.tokensIn, r.tokensOut, createdAt, r.exchange ? JSON.stringify(r.exchange) : null, r.root ?? null);
  }
}

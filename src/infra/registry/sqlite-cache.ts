import type Database from 'better-sqlite3';
import { cachedResponse } from './sqlite-rows.js';
import type { CachedResponse } from './types.js';

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
}

export class ResponseCache {
  private readonly one: Database.Statement<[string], CacheRow>;
  private readonly put: Database.Statement;

  constructor(db: Database.Database) {
    this.one = db.prepare('SELECT output, latency_ms, tokens_in, tokens_out, exchange FROM response_cache WHERE key = ?');
    this.put = db.prepare(
      'INSERT OR REPLACE INTO response_cache (key, output, latency_ms, tokens_in, tokens_out, created_at, exchange) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  get(key: string): CachedResponse | undefined {
    const row = this.one.get(key);
    return row && cachedResponse(key, row);
  }

  set(key: string, r: CachedResponse, createdAt: string): void {
    this.put.run(key, r.output, r.latencyMs, r.tokensIn, r.tokensOut, createdAt, r.exchange ? JSON.stringify(r.exchange) : null);
  }
}

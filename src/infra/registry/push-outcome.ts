import type { ChainVerdict } from './types.js';

/**
 * What `registry push` reports, as plain data: `promptctl/app` publishes it, so it names no type of
 * the PostgreSQL driver (an application's type check would need `@types/pg`).
 */

export type PushTable = 'versions' | 'supersededVersions' | 'runs' | 'samples' | 'cachedResponses' | 'events';

/** Rows of one table: copied now, and found already there (a push run again changes nothing). */
export interface Copied {
  pushed: number;
  already: number;
}

export interface PushOutcome {
  from: string;
  to: string;
  /** The schema pushed into (one database may hold several registries, one per schema). */
  toSchema: string;
  tables: Record<PushTable, Copied>;
  /** The audit log was left out (`--skip-events`). */
  eventsSkipped: boolean;
  /** The target re-verified after the push (audit verify's checks). */
  verify: ChainVerdict;
}

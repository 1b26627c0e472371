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

/** A local draft whose number the team registry holds with other content: left in the local registry (postgres/left-local.ts). */
export interface LeftLocalVersion {
  prompt: string;
  version: string;
  localHash: string;
  teamHash: string;
  /** What the team registry holds under that number. */
  teamState: 'released' | 'draft';
  why: string;
}

/** A run recorded on a left draft's content, left local with it. */
export interface LeftLocalRun {
  id: string;
  prompt: string;
  version: string;
  suite: string;
}

export interface PushOutcome {
  from: string;
  to: string;
  /** The schema pushed into (one database may hold several registries, one per schema). */
  toSchema: string;
  tables: Record<PushTable, Copied>;
  /** The audit log was left out (`--skip-events`). */
  eventsSkipped: boolean;
  /** What stays in the local registry only, and why: drafts the team registry holds with other content, and their runs. */
  leftLocal: { versions: LeftLocalVersion[]; runs: LeftLocalRun[] };
  /** The target re-verified after the push (audit verify's checks). */
  verify: ChainVerdict;
}

/**
 * What a push says while it works, for a person watching (`onProgress`): that it waits for another
 * push's turn (who holds it, as far as this role can see, and the wait in force as the server shows
 * it), and, when the runs take more than one batch, how far their copy has got, by tenths.
 */
export type PushProgress =
  | { type: 'waiting-turn'; holder?: TurnHolder; waitsAtMost: string }
  | { type: 'runs-copied'; done: number; total: number; samples: number };

/** The session holding a turn, as pg_stat_activity shows it to this role (postgres/lock-wait.ts's LockHolder, without pg's types). */
export interface TurnHolder {
  pid: number;
  usename: string | null;
  application_name: string | null;
  client: string | null;
  xact_start: Date | null;
}

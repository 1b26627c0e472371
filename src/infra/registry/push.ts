import { GateError } from '../../core/errors.js';
import type { PinnedKeys } from '../../core/signing.js';
import { PgConnection } from './postgres/connection.js';
import { LostCommit } from './postgres/lost-connection.js';
import type { PgTarget } from './postgres/pg-target.js';
import { copyBatch, copyColumns, eventHashes, importEvents, requirePushPrivileges, tableColumns } from './postgres/import.js';
import type { Copied, LeftLocalRun, PushOutcome, PushProgress, PushTable } from './push-outcome.js';
import { importRuns, importVersions, sortVersions, type RunBatch } from './postgres/import-records.js';
import { refOf, releasedRefs, requireNoEventOnLeftDraft, runLeftLocal, targetVersions } from './postgres/left-local.js';
import { openPostgresRegistry } from './postgres/registry.js';
import type { Session } from './postgres/session.js';
import { eventsToPush, requireNotDatedAhead } from './push-events.js';
import { requireRunsNotDatedAhead } from './push-run-times.js';
import { serverTime } from './postgres/server-time.js';
import { openPushSource, type PushSource } from './sqlite-export.js';
import { pushTurn } from './postgres/push-turn.js';
import { READ_LOCK_WAIT_MS } from './postgres/lock-wait.js';
import { runsProgress, turnProgress } from './push-progress.js';
import { openSqliteRegistry } from './sqlite.js';
import type { ChainVerdict } from './types.js';
import { verifyRecords } from './verify-records.js';
import { throwIfStopped } from './stopped.js';

/**
 * `promptctl registry push`: a local SQLite registry copied into a PostgreSQL one, in this order
 * so that what an event points at is there before the event: versions (and superseded ones),
 * runs with their samples, the response cache, then the audit log. Each step is batched (one
 * transaction per batch) and idempotent, so pushing again changes nothing and an interrupted push
 * run again completes. Nothing is written when the two audit logs have diverged or the local log
 * does not verify. Secrets (the canary key) stay per registry and are never copied.
 */

export { eventsToPush };

export type { PushOutcome, PushProgress, PushTable };

/** Samples per transaction, whole runs at a time (a larger run is a batch of its own). */
const SAMPLES_PER_BATCH = 5000;
const CACHE_PAGE = 2000;
const EVENTS_PER_BATCH = 1000;

export interface PushOptions {
  now: () => string;
  /**
   * The public keys .promptrc.yaml pins and signing.since (`signing:`): both logs are verified
   * against them, as `audit verify` does, and so are the events to push, before anything is written.
   */
  signing?: PinnedKeys & { since?: number };
  /**
   * Leave the audit log (and the tested marks in it) out: for a second local registry (a CI
   * runner's) whose runs and samples are wanted but whose log is not the team's.
   */
  skipEvents?: boolean;
  /** Stops the push between its batches (each batch is committed whole): pushing again completes it. */
  signal?: AbortSignal;
  /** How long its writes wait for a lock where the server sets no lock_timeout (ms; default just under the answer timeout). */
  writeLockWaitMs?: number;
  /** How long it waits for another push's turn where the server sets no lock_timeout (ms; default PUSH_TURN_WAIT_MS). */
  turnWaitMs?: number;
  /** Told when the push waits for another's turn, and how far a copy of runs longer than a batch has got. */
  onProgress?: (e: PushProgress) => void;
  /** Samples per transaction (default SAMPLES_PER_BATCH): smaller in tests, to push a few runs in several batches. */
  samplesPerBatch?: number;
}

/** A signal stops the push before its next batch: what was copied stays, and pushing again copies the rest. */
function stopIfAsked(signal: AbortSignal | undefined, copied: boolean): void {
  if (!copied) return throwIfStopped(signal, 'before the push wrote anything', { hint: 'run `promptctl registry push` again to push' });
  throwIfStopped(signal, 'between batches of the push', {
    message: 'push interrupted between batches: part of the registry was copied',
    why: 'the command was stopped; each batch it copied is committed whole, and the ones after it were not sent',
    hint: 'run `promptctl registry push` again to complete it: it copies only what is missing, then verifies the team registry',
  });
}

export async function pushRegistry(sourcePath: string, target: PgTarget, opts: PushOptions): Promise<PushOutcome> {
  const now = opts.now;
  await requireVerifiedSource(sourcePath, opts.signing);
  stopIfAsked(opts.signal, false);
  const source = openPushSource(sourcePath);
  // Its lock waits bounded as every command's are (lock-wait.ts): a lock held too long is named, not blamed on the network.
  const conn = new PgConnection(target, 'columns', undefined, false, { readMs: READ_LOCK_WAIT_MS, writeMs: opts.writeLockWaitMs });
  let copied: CopyResult;
  try {
    copied = await conn
      .withClient('pushing', (client, notes) =>
        copyAll(source, { skipEvents: Boolean(opts.skipEvents), signing: opts.signing, signal: opts.signal, turnWaitMs: opts.turnWaitMs, onProgress: opts.onProgress, samplesPerBatch: opts.samplesPerBatch }, { client, inTransaction: false, readonly: false, where: target.display, schema: target.schema, now, writeBegin: conn.writeBegin(client), notes }),
      )
      // A COMMIT whose answer was lost: every step of a push is idempotent, so the lost connection
      // is the fault to report (exit 3), and pushing again completes what did not land.
      .catch((err: unknown) => {
        throw err instanceof LostCommit ? conn.fault(err.lost, 'pushing') : err;
      });
  } finally {
    source.close();
    // Closed before the check opens its own: a role allowed one connection (CONNECTION LIMIT 1) can push.
    await conn.close();
  }
  return { from: sourcePath, to: target.display, toSchema: target.schema, ...copied, eventsSkipped: Boolean(opts.skipEvents), verify: await verifyTarget(target, opts.signing, now) };
}

/**
 * Pushes to one registry take turns (a session lock, released when the push ends): a second push of
 * the same log then finds it all there, instead of racing the first row by row (a run inserted by
 * both, an event appended by one while the other expected the head before it). An append by
 * anything else in between is still refused by importEvents, under the chain head's lock.
 */
type CopyOptions = Pick<PushOptions, 'signing' | 'signal' | 'turnWaitMs' | 'onProgress' | 'samplesPerBatch'> & { skipEvents: boolean };
type CopyResult = Pick<PushOutcome, 'tables' | 'leftLocal'>;

async function copyAll(source: PushSource, o: CopyOptions, s: Session): Promise<CopyResult> {
  const key = `promptctl push ${s.schema}`;
  await pushTurn(s, key, { signal: o.signal, waitMs: o.turnWaitMs, ...turnProgress(o.onProgress) });
  try {
    return await copyAllLocked(source, o, s);
  } finally {
    // A lost connection released it already; its error is the one to report.
    await s.client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).catch(() => undefined);
  }
}

async function copyAllLocked(source: PushSource, o: CopyOptions, s: Session): Promise<CopyResult> {
  // Every table's permissions before the first write: a role that cannot finish writes nothing.
  await requirePushPrivileges(s, { events: !o.skipEvents });
  const localEvents = source.events();
  const events = o.skipEvents ? [] : localEvents;
  const eventTypes = await tableColumns(s, 'events');
  const eventCols = copyColumns('events', source.columns('events'), eventTypes, s.where);
  const toPush = eventsToPush(events, await eventHashes(s), s.where, o.signing);
  const localVersions = source.versions();
  const allSuperseded = source.supersededVersions();
  const localReleased = releasedRefs(localEvents);
  // What will stay local (a draft the team holds with other content, and its runs: left-local.ts), as
  // importVersions will sort it: the checks before the first write judge only what is pushed.
  const staying = sortVersions(localVersions, await targetVersions(s), allSuperseded, localReleased, s.where).leftLocal;
  // Compared with the server's clock, which dates the team's runs and log events (server-time.ts).
  // Runs first: the events' refusal offers --skip-events, which would not help with these.
  const serverNow = await serverTime(s);
  await requireRunsNotDatedAhead(source, s, serverNow, (run) => runLeftLocal(run, staying) !== undefined);
  requireNotDatedAhead(toPush, serverNow, s.where);

  const types = async (table: string) => {
    const t = await tableColumns(s, table);
    return { types: t, columns: copyColumns(table, source.columns(table), t, s.where) };
  };
  const versions = await types('prompt_versions');
  const superseded = await types('superseded_versions');
  // Refused before the first write: an event about a draft that will stay local (left-local.ts).
  if (toPush.length) requireNoEventOnLeftDraft(toPush, staying, s.where);
  // Before each batch: nothing copied yet here, then some.
  stopIfAsked(o.signal, false);
  const versionsCopied = await importVersions(s, versions.types, versions.columns, localVersions, allSuperseded, localReleased);
  const left = versionsCopied.leftLocal;
  // A left draft's superseded rows are its own history, not the team's version's.
  const supersededRows = allSuperseded.filter((r) => !left.has(refOf(r)));
  const leftRuns: LeftLocalRun[] = [];
  const tables: Record<PushTable, Copied> = {
    versions: versionsCopied.copied,
    supersededVersions: await copyBatch(s, 'superseded_versions', superseded.columns, superseded.types, supersededRows),
    runs: { pushed: 0, already: 0 },
    samples: { pushed: 0, already: 0 },
    cachedResponses: { pushed: 0, already: 0 },
    events: { pushed: 0, already: events.length - toPush.length },
  };

  const runs = await types('runs');
  const samples = await types('samples');
  let batch: RunBatch[] = [];
  let size = 0;
  const localRuns = source.runs();
  // Which runs stay local, asked once: the progress counts the others.
  const runsStaying = localRuns.map((run) => runLeftLocal(run, left));
  const told = runsProgress(o.onProgress, runsStaying.filter((stays) => stays === undefined).length);
  const flush = async (last = false) => {
    if (!batch.length) return;
    stopIfAsked(o.signal, true);
    const done = await importRuns(s, runs.columns, samples.columns, { runs: runs.types, samples: samples.types }, batch);
    add(tables.runs, done.runs);
    add(tables.samples, done.samples);
    told(tables.runs, tables.samples, last);
    batch = [];
    size = 0;
  };
  for (const [i, run] of localRuns.entries()) {
    const stays = runsStaying[i];
    if (stays) {
      leftRuns.push(stays);
      continue;
    }
    const of = source.samples(String(run.id));
    if (size && size + of.length > (o.samplesPerBatch ?? SAMPLES_PER_BATCH)) await flush();
    batch.push({ run, samples: of });
    size += of.length;
  }
  await flush(true);

  const cache = await types('response_cache');
  for (let after = ''; ; ) {
    const page = source.cachePage(after, CACHE_PAGE);
    if (!page.length) break;
    stopIfAsked(o.signal, true);
    add(tables.cachedResponses, await copyBatch(s, 'response_cache', cache.columns, cache.types, page));
    after = String(page[page.length - 1]!.key);
  }

  for (let i = 0; i < toPush.length; i += EVENTS_PER_BATCH) {
    const first = events.length - toPush.length + i;
    stopIfAsked(o.signal, true);
    const before = first === 0 ? null : { seq: Number(events[first - 1]!.seq), hash: String(events[first - 1]!.hash) };
    tables.events.pushed += await importEvents(s, eventCols, eventTypes, before, toPush.slice(i, i + EVENTS_PER_BATCH));
  }
  return { tables, leftLocal: { versions: [...left.values()], runs: leftRuns } };
}

function add(into: Copied, more: Copied): void {
  into.pushed += more.pushed;
  into.already += more.already;
}

/** A local log that does not verify is not copied: the team registry would inherit the break. */
async function requireVerifiedSource(path: string, signing: PinnedKeys | undefined): Promise<void> {
  const registry = openSqliteRegistry({ path, readonly: true });
  try {
    const verdict = await verifyRecords(registry, signing);
    if (!verdict.ok) {
      throw new GateError({
        message: `the registry at ${path} does not verify: ${verdict.broken?.problem ?? 'the chain is broken'}`,
        why: 'a push copies the audit log as it is; the team registry would inherit the break',
        hint: 'run `promptctl audit verify` on it, and restore it from a backup before pushing',
      });
    }
  } finally {
    await registry.close();
  }
}

async function verifyTarget(target: PgTarget, signing: PinnedKeys | undefined, now: () => string): Promise<ChainVerdict> {
  const registry = openPostgresRegistry({ target, readonly: true });
  try {
    return await verifyRecords(registry, signing, { local: now(), server: await registry.time() });
  } finally {
    await registry.close();
  }
}

import { InternalError } from '../../../core/errors.js';
import type { RunTally } from '../../../core/eval/aggregate.js';
import { sampleDigestsOfPages, type DigestRow, type SampleDigests } from '../../../core/sample-digest.js';
import type { RunRecord, RunSummary, SampleResult } from '../../../core/schemas/run.js';
import { cachedResponse, toRun, toSample, withoutCredentials, type RunRow, type SampleRow } from '../sqlite-rows.js';
import type { CachedResponse, PrunedCache, SamplePage } from '../types.js';
import { recordSamples } from './sample-writes.js';
import { SERVER_NOW } from './server-time.js';
import { atomic, changed, rows, type Session } from './session.js';

export { recordSamples };

/**
 * Eval runs, their samples and the response cache, mirroring sqlite-runs.ts and sqlite-cache.ts.
 * Outputs, errors and the weights' name are stored as their UTF-8 bytes (BYTEA: a NUL character
 * fits, as in SQLite); batches
 * of samples and cache rows are written by sample-writes.ts.
 */

type RunFilter = { promptId?: string; version?: string; suite?: string; status?: RunRecord['status']; invocationId?: string };

const RUN_COLUMNS =
  'id, invocation_id, inputs_key, prompt_id, version, prompt_hash, suite, suite_kind, suite_hash, model, server, promptctl_version, status, started_at, ended_at, summary';
const SAMPLE_COLUMNS = 'run_id, case_id, sample, verdict, output, reasons, latency_ms, tokens_in, tokens_out, cached, error, category, leaks, exchange';
const FILTER_COLUMNS: Array<[keyof RunFilter, string]> = [
  ['promptId', 'prompt_id'],
  ['version', 'version'],
  ['suite', 'suite'],
  ['status', 'status'],
  ['invocationId', 'invocation_id'],
];

/**
 * A run starts and ends at the server's time, not the client's (`run.startedAt`, `endedAt`): which
 * run is newest decides tested marks and gates (counting-run.ts), and the runners that record
 * them disagree by minutes (server-time.ts).
 */
export function createRun(s: Session, run: Omit<RunRecord, 'status' | 'endedAt' | 'summary'>): Promise<void> {
  return atomic(s, async (tx) => {
    await tx.client.query(`INSERT INTO runs (${RUN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'running', ${SERVER_NOW}, NULL, NULL)`, [
      run.id, run.invocationId, run.inputsKey, run.promptId, run.version, run.promptHash, run.suite, run.suiteKind, run.suiteHash,
      run.model, withoutCredentials(run.server), run.promptctlVersion,
    ]);
  });
}

export function finishRun(s: Session, runId: string, status: 'finished' | 'aborted', summary: RunSummary, _endedAt: string): Promise<void> {
  return atomic(s, async (tx) => {
    // GREATEST: a run never ends before it started, even when the server's clock was stepped back.
    const n = await changed(tx, `UPDATE runs SET status = $1, summary = $2, ended_at = GREATEST(${SERVER_NOW}, started_at) WHERE id = $3`, [status, JSON.stringify(summary), runId]);
    if (n === 0) throw new InternalError({ message: `finishRun: no run with id ${runId} in the registry` });
  });
}

export async function getRun(s: Session, runId: string): Promise<RunRecord | undefined> {
  const [row] = await rows<RunRow>(s, `SELECT ${RUN_COLUMNS} FROM runs WHERE id = $1`, [runId]);
  return row && toRun(row);
}

export async function listRuns(s: Session, filter: RunFilter): Promise<RunRecord[]> {
  const used = FILTER_COLUMNS.filter(([key]) => filter[key] !== undefined);
  const where = used.length ? `WHERE ${used.map(([, col], i) => `${col} = $${i + 1}`).join(' AND ')}` : '';
  const found = await rows<RunRow>(s, `SELECT ${RUN_COLUMNS} FROM runs ${where} ORDER BY started_at, written`, used.map(([key]) => filter[key]));
  return found.map(toRun);
}

export async function newestRuns(s: Session, models: readonly string[] | undefined, limit: number): Promise<RunRecord[]> {
  if (models?.length === 0 || limit < 1) return [];
  const newestFirst = `SELECT ${RUN_COLUMNS}, written FROM runs WHERE $1::text[] IS NULL OR model = ANY($1::text[]) ORDER BY started_at DESC, written DESC LIMIT $2`;
  const found = await rows<RunRow>(s, `SELECT ${RUN_COLUMNS} FROM (${newestFirst}) newest ORDER BY started_at, written`, [models ?? null, Math.floor(limit)]);
  return found.map(toRun);
}

export async function findResumableRun(s: Session, inputsKey: string): Promise<RunRecord | undefined> {
  // "Unfinished" covers runs stopped cleanly (aborted) and runs whose process died (still running).
  const [row] = await rows<RunRow>(s, `SELECT ${RUN_COLUMNS} FROM runs WHERE inputs_key = $1 AND status <> 'finished' ORDER BY started_at DESC, written DESC LIMIT 1`, [inputsKey]);
  return row && toRun(row);
}

/**
 * A sample as PostgreSQL returns it: the server's raw texts as their bytes, token counts as BIGINT
 * (migrations.ts), which pg returns as strings; a count stays below 2^53 (answer-fields.ts).
 */
type PgSampleRow = Omit<SampleRow, 'output' | 'error' | 'tokens_in' | 'tokens_out'> & { output: Buffer; error: Buffer | null; tokens_in: string; tokens_out: string };

/** A stored text read back from its UTF-8 bytes (BYTEA); NULL stays null. */
const utf8 = (b: Buffer): string => b.toString('utf8');
const utf8OrNull = (b: Buffer | null): string | null => (b === null ? null : utf8(b));

export async function getSamples(s: Session, runId: string, page?: SamplePage): Promise<SampleResult[]> {
  const found = page
    ? await rows<PgSampleRow>(s, `SELECT ${SAMPLE_COLUMNS} FROM samples WHERE run_id = $1 AND case_id = ANY($2::text[]) ORDER BY written`, [runId, page.caseIds])
    : await rows<PgSampleRow>(s, `SELECT ${SAMPLE_COLUMNS} FROM samples WHERE run_id = $1 ORDER BY written`, [runId]);
  return found.map((r) => toSample({ ...r, output: utf8(r.output), error: utf8OrNull(r.error), tokens_in: Number(r.tokens_in), tokens_out: Number(r.tokens_out) }));
}


/** What a run's summary depends on, counted by the database (as sqlite-runs.ts does): no output is read. */
export async function sampleTally(s: Session, runId: string): Promise<RunTally> {
  // leaks is a JSON array of names, so a quoted name matches exactly one of them.
  const cases = await rows<{ case_id: string; pass: number; fail: number; error: number; pii_leaks: number; prompt_leaks: number; tokens_in: string; tokens_out: string }>(
    s,
    `SELECT case_id, count(*) FILTER (WHERE verdict = 'pass')::int AS pass, count(*) FILTER (WHERE verdict = 'fail')::int AS fail,
            count(*) FILTER (WHERE verdict = 'error')::int AS error,
            count(*) FILTER (WHERE leaks LIKE '%"pii"%')::int AS pii_leaks,
            count(*) FILTER (WHERE leaks LIKE '%"canary"%' OR leaks LIKE '%"system-prompt"%')::int AS prompt_leaks,
            sum(tokens_in) AS tokens_in, sum(tokens_out) AS tokens_out
     FROM samples WHERE run_id = $1 GROUP BY case_id ORDER BY case_id COLLATE "C"`,
    [runId],
  );
  const latencies = await rows<{ latency_ms: number }>(s, `SELECT latency_ms FROM samples WHERE run_id = $1 AND verdict <> 'error'`, [runId]);
  return {
    cases: cases.map((r) => ({ caseId: r.case_id, pass: r.pass, fail: r.fail, error: r.error, piiLeaks: r.pii_leaks, promptLeaks: r.prompt_leaks })),
    latencies: latencies.map((r) => r.latency_ms),
    // SUM of integers is bigint, which pg returns as a string.
    tokensIn: cases.reduce((n, r) => n + Number(r.tokens_in), 0),
    tokensOut: cases.reduce((n, r) => n + Number(r.tokens_out), 0),
  };
}

/** The fingerprints a tested mark records of a run's samples (core/sample-digest), a page of rows at a time. */
export async function sampleDigests(s: Session, runId: string): Promise<SampleDigests> {
  type Row = { case_id: string; sample: number; verdict: string; latency_ms: number; leaks: string | null; output: Buffer; reasons: string; error: Buffer | null; exchange: string | null };
  async function* pages(): AsyncGenerator<DigestRow[]> {
    let after: Row | undefined;
    for (;;) {
      // Keyset pages in byte order (COLLATE "C"), as the digest hashes them: a large run's outputs are never held whole.
      const page = await rows<Row>(
        s,
        `SELECT case_id, sample, verdict, latency_ms, leaks, output, reasons, error, exchange FROM samples
         WHERE run_id = $1 AND ($2::text IS NULL OR case_id COLLATE "C" > $2 OR (case_id = $2 AND sample > $3))
         ORDER BY case_id COLLATE "C", sample LIMIT ${DIGEST_PAGE}`,
        [runId, after?.case_id ?? null, after?.sample ?? 0],
      );
      if (!page.length) return;
      yield page.map((r) => ({ caseId: r.case_id, sample: r.sample, verdict: r.verdict, latencyMs: r.latency_ms, leaks: r.leaks, output: utf8(r.output), reasons: r.reasons, error: utf8OrNull(r.error), exchange: r.exchange }));
      if (page.length < DIGEST_PAGE) return;
      after = page.at(-1);
    }
  }
  return sampleDigestsOfPages(pages);
}

const DIGEST_PAGE = 2000;

type PgCacheRow = { key: string; output: Buffer; latency_ms: number; tokens_in: string; tokens_out: string; exchange: string | null; root: Buffer | null };
const CACHE_COLUMNS = 'key, output, latency_ms, tokens_in, tokens_out, exchange, root';
const cachedOf = (row: PgCacheRow) =>
  cachedResponse(row.key, { ...row, output: utf8(row.output), root: utf8OrNull(row.root), tokens_in: Number(row.tokens_in), tokens_out: Number(row.tokens_out) });

export async function getCachedResponse(s: Session, key: string): Promise<CachedResponse | undefined> {
  const [row] = await rows<PgCacheRow>(s, `SELECT ${CACHE_COLUMNS} FROM response_cache WHERE key = $1`, [key]);
  return row && cachedOf(row);
}

export async function getCachedResponses(s: Session, keys: readonly string[]): Promise<Map<string, CachedResponse>> {
  const found = new Map<string, CachedResponse>();
  for (let i = 0; i < keys.length; i += 5000) {
    const page = await rows<PgCacheRow>(s, `SELECT ${CACHE_COLUMNS} FROM response_cache WHERE key = ANY($1::text[])`, [keys.slice(i, i + 5000)]);
    for (const row of page) found.set(row.key, cachedOf(row));
  }
  return found;
}

export function putCachedResponse(s: Session, key: string, r: CachedResponse): Promise<void> {
  return recordSamples(s, [], [{ key, response: r }]);
}

const CACHED_SIZE = 'octet_length(output) + coalesce(octet_length(exchange), 0)';
const CACHED_BEFORE = 'WHERE $1::text IS NULL OR created_at < $1';

async function cacheTally(s: Session, sql: string, before: string | undefined): Promise<PrunedCache> {
  const [row] = await rows<{ answers: number; bytes: string }>(s, sql, [before ?? null]);
  return { answers: row?.answers ?? 0, bytes: Number(row?.bytes ?? 0) };
}

export function countCachedResponses(s: Session, before?: string): Promise<PrunedCache> {
  return cacheTally(s, `SELECT count(*)::int AS answers, coalesce(sum(${CACHED_SIZE}), 0)::bigint AS bytes FROM response_cache ${CACHED_BEFORE}`, before);
}

/** One statement, so the answers counted are the answers removed. */
export function pruneCachedResponses(s: Session, before?: string): Promise<PrunedCache> {
  return cacheTally(s, `WITH gone AS (DELETE FROM response_cache ${CACHED_BEFORE} RETURNING ${CACHED_SIZE} AS size) SELECT count(*)::int AS answers, coalesce(sum(size), 0)::bigint AS bytes FROM gone`, before);
}

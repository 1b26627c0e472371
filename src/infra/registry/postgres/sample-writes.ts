import type { SampleResult } from '../../../core/schemas/run.js';
import { fromSample, type SampleRow } from '../sqlite-rows.js';
import type { CachedResponse } from '../types.js';
import { BatchParams } from './batch-params.js';
import { LeaseNotHeldError, runIdsOf, type SampleFence } from '../lease-fence.js';
import { isUniqueViolation } from './lost-connection.js';
import { SERVER_NOW } from './server-time.js';
import { atomicStatement, type Session } from './session.js';

/**
 * An eval batch (samples and the response-cache rows of their answers) written as one statement:
 * the samples' INSERT, with the cache rows' INSERT as a data-modifying WITH, so the batch is one
 * transaction however it is called, without BEGIN and COMMIT round trips when no transaction is
 * open. Each column travels as one array literal (unnest: one parse, a parameter per column,
 * whatever the batch size); the outputs travel as one binary parameter, their UTF-8 bytes end to
 * end with each one's start and length, so no output is hex-encoded into a bytea[] and decoded
 * again (batch-params.ts). Outputs, errors and the weights' name (what a server supplied as raw
 * text) are stored as those bytes (a NUL fits); every other field as the exact text or number given.
 */

export async function recordSamples(s: Session, samples: SampleResult[], cacheRows: Array<{ key: string; response: CachedResponse }> = [], fence?: SampleFence): Promise<void> {
  if (samples.length === 0 && cacheRows.length === 0) return;
  const params = new BatchParams();
  const cache = cacheRows.length ? cacheInsert(params, lastOfEach(cacheRows, (r) => r.key)) : undefined;
  // NUL cannot be in stored text, so it separates the parts of the key unambiguously.
  const rows = lastOfEach(samples.map(fromSample), (r) => `${r.run_id}\u0000${r.case_id}\u0000${r.sample}`);
  if (rows.length === 0) return void (await atomicStatement(s, cache!, params.values));
  const runIds = fence ? runIdsOf(samples) : [];
  // Fenced: the lease rows are locked FOR SHARE in the statement itself, so a takeover committed
  // meanwhile is seen (READ COMMITTED re-reads a row changed since the snapshot) and one
  // committing later waits for this write; only the rows of runs still held are inserted.
  const held = fence ? `held AS (SELECT run_id FROM run_leases WHERE run_id = ANY(${params.texts(runIds)}) AND holder = ${params.value(fence.holder, 'text')} FOR SHARE)` : undefined;
  const ctes = [held, cache && `cache AS (${cache})`].filter(Boolean);
  // Built once: building adds the batch's parameters.
  const samplesSql = samplesInsert(params, rows, held ? 'run_id IN (SELECT run_id FROM held)' : undefined);
  const insert = (onConflict: string) => {
    const body = `${samplesSql} ${onConflict}`;
    if (!held) return `${ctes.length ? `WITH ${ctes.join(', ')} ` : ''}${body}`;
    return `WITH ${ctes.join(', ')}, written AS (${body}) SELECT run_id FROM held`;
  };
  const write = async (sql: string) => {
    const stillHeld = new Set((await atomicStatement<{ run_id: string }>(s, sql, params.values)).map((r) => r.run_id));
    const refused = runIds.find((id) => !stillHeld.has(id));
    if (fence && refused !== undefined) throw new LeaseNotHeldError(refused, fence.holder);
  };
  // Most batches hold only new samples: a plain INSERT spares every row ON CONFLICT's speculative
  // insertion. A batch that re-writes a sample fails whole (nothing of it is kept) and is written
  // again as the upsert. Inside a caller's transaction the failure would end it: upsert at once.
  if (!s.inTransaction) {
    try {
      return await write(insert(''));
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }
  await write(insert(REPLACE_SAMPLE));
}

/** Re-writing a sample replaces it; its new `written` number lists it last, as SQLite's INSERT OR REPLACE does. */
const REPLACE_SAMPLE = `ON CONFLICT (run_id, case_id, sample) DO UPDATE SET
  verdict = EXCLUDED.verdict, output = EXCLUDED.output, reasons = EXCLUDED.reasons, latency_ms = EXCLUDED.latency_ms,
  tokens_in = EXCLUDED.tokens_in, tokens_out = EXCLUDED.tokens_out, cached = EXCLUDED.cached, error = EXCLUDED.error,
  category = EXCLUDED.category, leaks = EXCLUDED.leaks, exchange = EXCLUDED.exchange, written = nextval('samples_written')`;

/**
 * One statement may not touch a row twice: the last write of a key wins, where the earlier writes
 * would have left it (SQLite's INSERT OR REPLACE, one row after another, puts it last).
 */
function lastOfEach<T>(items: readonly T[], keyOf: (item: T) => string): readonly T[] {
  const keys = items.map(keyOf);
  if (new Set(keys).size === items.length) return items;
  const last = new Map<string, T>();
  items.forEach((item, i) => {
    last.delete(keys[i]!);
    last.set(keys[i]!, item);
  });
  return [...last.values()];
}

/** The columns sent as they are; a server's raw texts (output, error) go as bytes (migrations.ts). */
const SAMPLE_TYPES: Record<Exclude<keyof SampleRow, 'output' | 'error'>, 'text' | 'int' | 'int8' | 'float8'> = {
  run_id: 'text', case_id: 'text', sample: 'int', verdict: 'text', reasons: 'text', latency_ms: 'float8',
  tokens_in: 'int8', tokens_out: 'int8', cached: 'int', category: 'text', leaks: 'text', exchange: 'text',
};

function samplesInsert(params: BatchParams, rows: readonly SampleRow[], where?: string): string {
  const names = Object.keys(SAMPLE_TYPES) as Array<keyof typeof SAMPLE_TYPES>;
  const arrays = names.map((name) => {
    const type = SAMPLE_TYPES[name];
    return type === 'text' ? params.texts(rows.map((r) => r[name] as string | null)) : params.numbers(rows.map((r) => r[name] as number), type);
  });
  const output = params.utf8(rows.map((r) => r.output));
  const error = params.utf8(rows.map((r) => r.error));
  // ORDER BY n: `written` (the listing order) is drawn row by row in the batch's order.
  return `INSERT INTO samples (${names.join(', ')}, output, error)
    SELECT ${names.join(', ')}, substring(${output.bytes} FROM o_start FOR o_length), substring(${error.bytes} FROM e_start FOR e_length)
    FROM unnest(${arrays.join(', ')}, ${output.starts}, ${output.lengths}, ${error.starts}, ${error.lengths})
      WITH ORDINALITY AS t(${names.join(', ')}, o_start, o_length, e_start, e_length, n)${where ? ` WHERE ${where}` : ''} ORDER BY n`;
}

/** Cached at the server's time (server-time.ts): `registry prune-cache --older-than` ages answers by the server's clock. */
function cacheInsert(params: BatchParams, rows: ReadonlyArray<{ key: string; response: CachedResponse }>): string {
  const keys = params.texts(rows.map((r) => r.key));
  const latency = params.numbers(rows.map((r) => r.response.latencyMs), 'float8');
  const tokensIn = params.numbers(rows.map((r) => r.response.tokensIn), 'int8');
  const tokensOut = params.numbers(rows.map((r) => r.response.tokensOut), 'int8');
  const exchange = params.texts(rows.map((r) => (r.response.exchange ? JSON.stringify(r.response.exchange) : null)));
  const root = params.utf8(rows.map((r) => r.response.root ?? null));
  const output = params.utf8(rows.map((r) => r.response.output));
  return `INSERT INTO response_cache (key, output, latency_ms, tokens_in, tokens_out, exchange, root, created_at)
    SELECT key, substring(${output.bytes} FROM o_start FOR o_length), latency_ms, tokens_in, tokens_out, exchange, substring(${root.bytes} FROM r_start FOR r_length), ${SERVER_NOW}
    FROM unnest(${keys}, ${latency}, ${tokensIn}, ${tokensOut}, ${exchange}, ${output.starts}, ${output.lengths}, ${root.starts}, ${root.lengths})
      AS c(key, latency_ms, tokens_in, tokens_out, exchange, o_start, o_length, r_start, r_length)
    ON CONFLICT (key) DO UPDATE SET output = EXCLUDED.output, latency_ms = EXCLUDED.latency_ms, tokens_in = EXCLUDED.tokens_in,
      tokens_out = EXCLUDED.tokens_out, exchange = EXCLUDED.exchange, root = EXCLUDED.root, created_at = EXCLUDED.created_at`;
}

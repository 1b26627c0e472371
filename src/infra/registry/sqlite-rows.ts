import type { RunRecord, RunSummary, SampleResult } from '../../core/schemas/run.js';
import type { AuditEvent, CachedResponse, EventAction, VersionRecord } from './types.js';

/**
 * Rows as SQLite returns them, and their mapping to the registry's records. Optional fields are
 * NULL in SQL and absent (not `undefined`-valued) in records, so a record read back equals the
 * one written.
 */

/**
 * A JSON column that does not parse was damaged in the file (promptctl only writes JSON there):
 * an error SQLite's own corruption code names, which guardFaults (sqlite-faults.ts) reports as a
 * damaged registry (exit 3) with the file's path, not a crash.
 */
function storedJson<T>(text: string, where: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw Object.assign(new Error(`${where} holds text that is not JSON (${(err as Error).message})`), { code: 'SQLITE_CORRUPT_ROW' });
  }
}

export interface VersionRow {
  prompt_id: string;
  version: string;
  content_hash: string;
  content: string;
  description: string;
  author: string;
  created_at: string;
}

export function toVersion(r: VersionRow): VersionRecord {
  return {
    promptId: r.prompt_id,
    version: r.version,
    contentHash: r.content_hash,
    content: r.content,
    description: r.description,
    author: r.author,
    createdAt: r.created_at,
  };
}

export interface RunRow {
  id: string;
  invocation_id: string;
  inputs_key: string;
  prompt_id: string;
  version: string;
  prompt_hash: string;
  suite: string;
  suite_kind: RunRecord['suiteKind'];
  suite_hash: string;
  model: string;
  server: string;
  promptctl_version: string;
  status: RunRecord['status'];
  started_at: string;
  ended_at: string | null;
  summary: string | null;
}

export function toRun(r: RunRow): RunRecord {
  const run: RunRecord = {
    id: r.id,
    invocationId: r.invocation_id,
    inputsKey: r.inputs_key,
    promptId: r.prompt_id,
    version: r.version,
    promptHash: r.prompt_hash,
    suite: r.suite,
    suiteKind: r.suite_kind,
    suiteHash: r.suite_hash,
    model: r.model,
    server: r.server,
    promptctlVersion: r.promptctl_version,
    status: r.status,
    startedAt: r.started_at,
  };
  if (r.ended_at !== null) run.endedAt = r.ended_at;
  if (r.summary !== null) run.summary = storedJson<RunSummary>(r.summary, `runs.summary of run ${r.id}`);
  return run;
}

export interface SampleRow {
  run_id: string;
  case_id: string;
  sample: number;
  verdict: SampleResult['verdict'];
  output: string;
  reasons: string;
  latency_ms: number;
  tokens_in: number;
  tokens_out: number;
  cached: number;
  error: string | null;
  category: string | null;
  leaks: string | null;
  exchange: string | null;
}

export function fromSample(s: SampleResult): SampleRow {
  return {
    run_id: s.runId,
    case_id: s.caseId,
    sample: s.sample,
    verdict: s.verdict,
    output: s.output,
    reasons: JSON.stringify(s.reasons),
    latency_ms: s.latencyMs,
    tokens_in: s.tokensIn,
    tokens_out: s.tokensOut,
    cached: s.cached ? 1 : 0,
    error: s.error ?? null,
    category: s.category ?? null,
    leaks: s.leaks === undefined ? null : JSON.stringify(s.leaks),
    exchange: s.exchange === undefined ? null : JSON.stringify(s.exchange),
  };
}

export function toSample(r: SampleRow): SampleResult {
  const s: SampleResult = {
    runId: r.run_id,
    caseId: r.case_id,
    sample: r.sample,
    verdict: r.verdict,
    output: r.output,
    reasons: storedJson<SampleResult['reasons']>(r.reasons, `samples.reasons of run ${r.run_id}`),
    latencyMs: r.latency_ms,
    tokensIn: r.tokens_in,
    tokensOut: r.tokens_out,
    cached: r.cached === 1,
  };
  if (r.error !== null) s.error = r.error;
  if (r.category !== null) s.category = r.category;
  if (r.leaks !== null) s.leaks = storedJson<NonNullable<SampleResult['leaks']>>(r.leaks, `samples.leaks of run ${r.run_id}`);
  if (r.exchange !== null && r.exchange !== undefined) s.exchange = storedJson<NonNullable<SampleResult['exchange']>>(r.exchange, `samples.exchange of run ${r.run_id}`);
  return s;
}


export interface EventRow {
  seq: number;
  env: string;
  prompt_id: string;
  version: string;
  previous_version: string | null;
  action: EventAction;
  actor: string;
  reason: string | null;
  detail: string | null;
  content_hash: string | null;
  signer?: string | null;
  signature?: string | null;
  at: string;
  prev_hash: string;
  hash: string;
}

export function toEvent(r: EventRow): AuditEvent {
  const e: AuditEvent = {
    seq: r.seq,
    env: r.env,
    promptId: r.prompt_id,
    version: r.version,
    previousVersion: r.previous_version,
    action: r.action,
    actor: r.actor,
    reason: r.reason,
    at: r.at,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
  if (r.content_hash !== null) e.contentHash = r.content_hash;
  if (r.signer) e.signer = r.signer;
  if (r.signature) e.signature = r.signature;
  if (r.detail !== null) e.detail = storedJson<Record<string, unknown>>(r.detail, `events.detail of event #${r.seq}`);
  return e;
}

/**
 * Server URLs are stored with runs; a URL with `user:secret@` in it would put a credential in the
 * registry file, so that part is removed before writing.
 */
export function withoutCredentials(server: string): string {
  try {
    const url = new URL(server);
    if (!url.username && !url.password) return server;
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return server;
  }
}

/** A response-cache row as the registry returns it (both backends). */
export function cachedResponse(key: string, row: { output: string; latency_ms: number; tokens_in: number; tokens_out: number; exchange?: string | null; root?: string | null }): CachedResponse {
  const r: CachedResponse = { output: row.output, latencyMs: row.latency_ms, tokensIn: row.tokens_in, tokensOut: row.tokens_out };
  if (row.exchange !== null && row.exchange !== undefined) r.exchange = storedJson<NonNullable<CachedResponse['exchange']>>(row.exchange, `response_cache.exchange of ${key.slice(0, 12)}`);
  if (row.root !== null && row.root !== undefined) r.root = row.root;
  return r;
}

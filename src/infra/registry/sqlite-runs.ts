import type Database from 'better-sqlite3';
import { monotonicAt } from '../../core/audit-chain.js';
import { InternalError } from '../../core/errors.js';
import type { RunTally } from '../../core/eval/aggregate.js';
import { sampleDigestsOfOrdered, type DigestRow, type SampleDigests } from '../../core/sample-digest.js';
import type { RunRecord, RunSummary, SampleResult } from '../../core/schemas/run.js';
import { fromSample, toRun, toSample, withoutCredentials, type RunRow, type SampleRow } from './sqlite-rows.js';
import { preparedOnUse } from './sqlite-lazy.js';

/** Eval runs and their per-sample results. Samples are keyed (run, case, sample): re-recording replaces. */

type RunFilter = { promptId?: string; version?: string; suite?: string; status?: RunRecord['status']; invocationId?: string };

const RUN_COLUMNS =
  'id, invocation_id, inputs_key, prompt_id, version, prompt_hash, suite, suite_kind, suite_hash, model, server, promptctl_version, status, started_at, ended_at, summary';

// Every column a SampleRow reads: both sample queries select these, so a page of cases reads what a whole run does.
const SAMPLE_COLUMNS = 'run_id, case_id, sample, verdict, output, reasons, latency_ms, tokens_in, tokens_out, cached, error, category, leaks, exchange';

// Filter fields in index order (prompt_id, version, suite), so any prefix uses runs_by_prompt_version_suite.
const FILTER_COLUMNS: Array<[keyof RunFilter, string]> = [
  ['promptId', 'prompt_id'],
  ['version', 'version'],
  ['suite', 'suite'],
  ['status', 'status'],
  ['invocationId', 'invocation_id'],
];

interface CaseCountRow {
  case_id: string;
  pass: number;
  fail: number;
  error: number;
  pii_leaks: number;
  prompt_leaks: number;
  tokens_in: number;
  tokens_out: number;
}

export class RunStore {
  private readonly insertRun: Database.Statement;
  private readonly finish: Database.Statement;
  private readonly newestAt: Database.Statement<[], string>;
  private readonly byId: Database.Statement<[string], RunRow>;
  private readonly resumable: Database.Statement<[string], RunRow>;
  private readonly upsertSample: Database.Statement<[SampleRow]>;
  private readonly samplesOf: Database.Statement<[string], SampleRow>;
  private readonly samplesOfCaseList: Database.Statement<[string, string], SampleRow>;
  private readonly caseCounts: Database.Statement<[string], CaseCountRow>;
  private readonly latencies: Database.Statement<[string], number>;
  private readonly digestRows: Database.Statement<[string], Required<DigestRow>>;
  /** One prepared statement per filter shape, made on first use. */
  private readonly listings = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {
    this.insertRun = preparedOnUse(() => db.prepare(
      `INSERT INTO runs (${RUN_COLUMNS}) VALUES (@id, @invocation_id, @inputs_key, @prompt_id, @version, @prompt_hash, @suite, @suite_kind, @suite_hash, @model, @server, @promptctl_version, 'running', @started_at, NULL, NULL)`,
    ));
    this.finish = preparedOnUse(() => db.prepare('UPDATE runs SET status = ?, summary = ?, ended_at = ? WHERE id = ?'));
    // The latest time any run holds (runs_by_recency: one index step, whatever the registry's size).
    this.newestAt = preparedOnUse(() => db.prepare<[], string>('SELECT coalesce(ended_at, started_at) FROM runs ORDER BY coalesce(ended_at, started_at) DESC LIMIT 1').pluck());
    this.byId = preparedOnUse(() => db.prepare(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = ?`));
    // "Unfinished" covers runs stopped cleanly (aborted) and runs whose process died (still running).
    this.resumable = preparedOnUse(() => db.prepare(
      `SELECT ${RUN_COLUMNS} FROM runs WHERE inputs_key = ? AND status <> 'finished' ORDER BY started_at DESC, rowid DESC LIMIT 1`,
    ));
    this.upsertSample = preparedOnUse(() => db.prepare(
      `INSERT OR REPLACE INTO samples (run_id, case_id, sample, verdict, output, reasons, latency_ms, tokens_in, tokens_out, cached, error, category, leaks, exchange)
       VALUES (@run_id, @case_id, @sample, @verdict, @output, @reasons, @latency_ms, @tokens_in, @tokens_out, @cached, @error, @category, @leaks, @exchange)`,
    ));
    // Order written: results appear in the order they arrived (a replaced sample moves to the end).
    this.samplesOf = preparedOnUse(() => db.prepare(
      `SELECT ${SAMPLE_COLUMNS} FROM samples WHERE run_id = ? ORDER BY rowid`,
    ));
    this.samplesOfCaseList = preparedOnUse(() => db.prepare(
      `SELECT ${SAMPLE_COLUMNS} FROM samples WHERE run_id = ? AND case_id IN (SELECT value FROM json_each(?)) ORDER BY rowid`,
    ));
    // leaks is a JSON array of names, so a quoted name matches exactly one of them.
    this.caseCounts = preparedOnUse(() => db.prepare(
      `SELECT case_id, sum(verdict = 'pass') AS pass, sum(verdict = 'fail') AS fail, sum(verdict = 'error') AS error,
              sum(coalesce(leaks LIKE '%"pii"%', 0)) AS pii_leaks,
              sum(coalesce(leaks LIKE '%"canary"%' OR leaks LIKE '%"system-prompt"%', 0)) AS prompt_leaks,
              sum(tokens_in) AS tokens_in, sum(tokens_out) AS tokens_out
       FROM samples WHERE run_id = ? GROUP BY case_id`,
    ));
    // Named as core's DigestRow names them: each row is hashed as SQLite gives it.
    this.digestRows = preparedOnUse(() => db.prepare('SELECT case_id AS caseId, sample, verdict, latency_ms AS latencyMs, leaks, output, reasons, error, exchange FROM samples WHERE run_id = ? ORDER BY case_id, sample'));
    this.latencies = preparedOnUse(() => db.prepare<[string], number>(`SELECT latency_ms FROM samples WHERE run_id = ? AND verdict <> 'error'`).pluck());
  }

  /** What a run's summary depends on, counted by SQLite: no output is read. */
  tally(runId: string): RunTally {
    const tally: RunTally = { cases: [], latencies: this.latencies.all(runId), tokensIn: 0, tokensOut: 0 };
    // Row by row: a large run's counts are held once, as tallies.
    for (const r of this.caseCounts.iterate(runId)) {
      tally.cases.push({ caseId: r.case_id, pass: r.pass, fail: r.fail, error: r.error, piiLeaks: r.pii_leaks, promptLeaks: r.prompt_leaks });
      tally.tokensIn += r.tokens_in;
      tally.tokensOut += r.tokens_out;
    }
    return tally;
  }

  /** The fingerprints a tested mark records of this run's samples. */
  digests(runId: string): SampleDigests {
    const stmt = this.digestRows;
    // Row by row in the primary key's order: a large run's rows are never held.
    return sampleDigestsOfOrdered(() => stmt.iterate(runId));
  }

  /**
   * The time to record for a run starting or ending at `now`: never before the latest time a run
   * already holds. Which run is newest (counting-run.ts, the served weights, report) is read from
   * these times, and they come from the clock of whichever machine wrote the file: one run dated by
   * a clock that ran ahead would otherwise stay "newest" over every later run until that date.
   * The audit log's times follow the same rule (event-append.ts). Call inside a write transaction.
   */
  private notBeforeNewest(now: string): string {
    const newest = this.newestAt.get();
    return monotonicAt(newest === undefined ? undefined : { at: newest }, now);
  }

  create(run: Omit<RunRecord, 'status' | 'endedAt' | 'summary'>): void {
    this.insertRun.run({
      id: run.id,
      invocation_id: run.invocationId,
      inputs_key: run.inputsKey,
      prompt_id: run.promptId,
      version: run.version,
      prompt_hash: run.promptHash,
      suite: run.suite,
      suite_kind: run.suiteKind,
      suite_hash: run.suiteHash,
      model: run.model,
      server: withoutCredentials(run.server),
      promptctl_version: run.promptctlVersion,
      started_at: this.notBeforeNewest(run.startedAt),
    });
  }

  /** Call inside a transaction: one commit for the whole batch. */
  recordSamples(samples: SampleResult[]): void {
    for (const s of samples) this.upsertSample.run(fromSample(s));
  }

  finishRun(runId: string, status: 'finished' | 'aborted', summary: RunSummary, endedAt: string): void {
    const { changes } = this.finish.run(status, JSON.stringify(summary), this.notBeforeNewest(endedAt), runId);
    if (changes === 0) throw new InternalError({ message: `finishRun: no run with id ${runId} in the registry` });
  }

  get(runId: string): RunRecord | undefined {
    const row = this.byId.get(runId);
    return row && toRun(row);
  }

  list(filter: RunFilter): RunRecord[] {
    const used = FILTER_COLUMNS.filter(([key]) => filter[key] !== undefined);
    const shape = used.map(([key]) => key).join(',');
    let stmt = this.listings.get(shape);
    if (!stmt) {
      const where = used.length ? `WHERE ${used.map(([, col]) => `${col} = ?`).join(' AND ')}` : '';
      stmt = this.db.prepare(`SELECT ${RUN_COLUMNS} FROM runs ${where} ORDER BY started_at, rowid`);
      this.listings.set(shape, stmt);
    }
    const rows = stmt.all(...used.map(([key]) => filter[key])) as RunRow[];
    return rows.map(toRun);
  }

  newest(models: readonly string[] | undefined, limit: number): RunRecord[] {
    if (models?.length === 0 || limit < 1) return [];
    const shape = `newest:${models?.length ?? 'any'}`;
    let stmt = this.listings.get(shape);
    if (!stmt) {
      const where = models ? `WHERE model IN (${models.map(() => '?').join(', ')})` : '';
      const newestFirst = `SELECT ${RUN_COLUMNS}, rowid AS n FROM runs ${where} ORDER BY started_at DESC, rowid DESC LIMIT ?`;
      stmt = this.db.prepare(`SELECT ${RUN_COLUMNS} FROM (${newestFirst}) ORDER BY started_at, n`);
      this.listings.set(shape, stmt);
    }
    return (stmt.all(...(models ?? []), Math.floor(limit)) as RunRow[]).map(toRun);
  }

  findResumable(inputsKey: string): RunRecord | undefined {
    const row = this.resumable.get(inputsKey);
    return row && toRun(row);
  }

  samples(runId: string): SampleResult[] {
    return this.samplesOf.all(runId).map(toSample);
  }

  /** The samples of these cases only (one JSON parameter, so a page of any size is one statement). */
  samplesOfCases(runId: string, caseIds: readonly string[]): SampleResult[] {
    return this.samplesOfCaseList.all(runId, JSON.stringify(caseIds)).map(toSample);
  }
}

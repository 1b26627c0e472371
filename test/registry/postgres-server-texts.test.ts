import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryPush } from '../../src/app/registry-push.js';
import { UnavailableError } from '../../src/core/errors.js';
import type { SampleResult } from '../../src/core/schemas/run.js';
import { openPostgresRegistry } from '../../src/infra/registry/postgres/registry.js';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import { postgresTarget } from '../../src/infra/registry/target.js';
import type { CachedResponse } from '../../src/infra/registry/types.js';
import { migrateProjectRegistry } from '../../src/infra/registry-admin.js';
import { PG_MIGRATIONS } from '../../src/infra/registry/postgres/migrations.js';
import { postgresAvailable, startPostgres, type PgCluster } from '../support/postgres.js';
import { cleanupTempDirs, makeProject, registryPath } from '../support/project.js';

/**
 * What a server sent that only NUL-safe texts and 64-bit integers keep (conformance-server-texts.test.ts), on a team
 * registry: `registry push` of a local registry holding it takes it as it is, so a team can move
 * whatever its servers answered; and `registry migrate` keeps what an older schema stored as text.
 */

const pgOk = postgresAvailable();
let cluster: PgCluster;
beforeAll(async () => {
  if (pgOk) cluster = await startPostgres();
});
afterAll(() => cleanupTempDirs());

const clock = { date: () => new Date('2025-03-01T12:00:00.000Z') };
const NUL = 'echo: a\u0000b 🙂';

describe.runIf(pgOk)('registry push of what a server sent', () => {
  it('copies an error body and a weights name with a NUL, and token counts beyond 32 bits, exactly', async () => {
    const dir = makeProject();
    mkdirSync(path.dirname(registryPath(dir)), { recursive: true });
    const errored: SampleResult = {
      runId: 'r1', caseId: 'c1', sample: 0, verdict: 'error', output: '', reasons: [], latencyMs: 4, tokensIn: 0, tokensOut: 0, cached: false,
      error: `HTTP 400: invalid input: ${NUL}`,
    };
    const counted: SampleResult = { ...errored, caseId: 'c2', verdict: 'pass', output: 'ok', tokensIn: 3_000_000_000, tokensOut: 2 ** 31 };
    delete counted.error;
    const answer: CachedResponse = { output: NUL, latencyMs: 5, tokensIn: 3_000_000_000, tokensOut: 2, root: `org/${NUL}` };
    const local = openSqliteRegistry({ path: registryPath(dir), clock });
    try {
      await local.createRun({
        id: 'r1', invocationId: 'inv', inputsKey: 'k', promptId: 'support-answer', version: '1.0.0', promptHash: 'ph', suite: 'faq', suiteKind: 'golden',
        suiteHash: 'sh', model: 'm', server: 'http://127.0.0.1:1/v1', promptctlVersion: '0.1.0', startedAt: '2025-03-01T12:00:00.000Z',
      });
      await local.recordSamples([errored, counted], [{ key: 'k1', response: answer }]);
    } finally {
      await local.close();
    }
    const url = cluster.url(await cluster.createDatabase());
    const env = { PGPASSWORD: cluster.password };
    await migrate(url);

    const pushed = await registryPush({ cwd: dir, env, to: url });
    expect(pushed.tables.samples).toEqual({ pushed: 2, already: 0 });
    expect(pushed.tables.cachedResponses).toEqual({ pushed: 1, already: 0 });
    const team = openPostgresRegistry({ target: postgresTarget(url, { password: cluster.password }) });
    try {
      expect(await team.getSamples('r1')).toEqual([errored, counted]);
      expect(await team.getCachedResponse('k1')).toEqual(answer);
    } finally {
      await team.close();
    }
    // Pushed again: the rows there compare equal to the local ones, so nothing is copied twice.
    expect((await registryPush({ cwd: dir, env, to: url })).tables.samples).toEqual({ pushed: 0, already: 2 });
  });

  it('registry migrate turns the errors and weights names an older schema stored as text into bytes, and its token counts into BIGINT, that read back the same', async () => {
    const db = await cluster.createDatabase();
    const url = cluster.url(db);
    // The schema as it was before step 8, holding what that schema could store.
    await cluster.query(`CREATE SCHEMA promptctl; SET search_path TO promptctl;
      CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
      ${PG_MIGRATIONS.slice(0, 7).join(';\n')};
      INSERT INTO schema_migrations SELECT v, 'then' FROM generate_series(1, 7) AS v;
      INSERT INTO runs (id, invocation_id, inputs_key, prompt_id, version, prompt_hash, suite, suite_kind, suite_hash, model, server, promptctl_version, status, started_at)
        VALUES ('r1', 'inv', 'k', 'p', '1.0.0', 'ph', 'faq', 'golden', 'sh', 'm', 's', '0.1.0', 'running', '2025-03-01T12:00:00.000Z');
      INSERT INTO samples (run_id, case_id, sample, verdict, output, reasons, latency_ms, tokens_in, tokens_out, cached, error)
        VALUES ('r1', 'c1', 0, 'error', ''::bytea, '[]', 1, 2, 3, 0, 'timeout after 30000 ms: ünïcödé 🙂'), ('r1', 'c2', 0, 'pass', 'ok'::bytea, '[]', 1, 2, 3, 0, NULL);
      INSERT INTO response_cache (key, output, latency_ms, tokens_in, tokens_out, created_at, root) VALUES ('k1', 'hi'::bytea, 1, 2, 3, 'then', 'org/ünï'), ('k2', 'hi'::bytea, 1, 2, 3, 'then', NULL);`, [], db);
    await migrate(url);
    const team = openPostgresRegistry({ target: postgresTarget(url, { password: cluster.password }) });
    try {
      expect((await team.getSamples('r1')).map((s) => s.error)).toEqual(['timeout after 30000 ms: ünïcödé 🙂', undefined]);
      expect((await team.getCachedResponse('k1'))?.root).toBe('org/ünï');
      expect(await team.getCachedResponse('k2')).toEqual({ output: 'hi', latencyMs: 1, tokensIn: 2, tokensOut: 3 });
    } finally {
      await team.close();
    }
  });
});

describe.runIf(pgOk)('a value the team registry refuses', () => {
  it('names the call that sent it and says nothing was written, with no TLS or server-log hint (pg-refused-value.test.ts)', async () => {
    const url = cluster.url(await cluster.createDatabase());
    await migrate(url);
    const team = openPostgresRegistry({ target: postgresTarget(url, { password: cluster.password }) });
    try {
      const orphan: SampleResult = { runId: 'no-such-run', caseId: 'c1', sample: 0, verdict: 'pass', output: 'ok', reasons: [], latencyMs: 1, tokensIn: 1, tokensOut: 1, cached: false };
      const err = (await team.recordSamples([orphan]).catch((e: unknown) => e)) as UnavailableError;
      expect(err).toBeInstanceOf(UnavailableError);
      expect(err.message).toBe(`the PostgreSQL registry at ${url} refused a value promptctl sent while recording eval results`);
      expect(err.why).toMatch(/\(23503\): the row breaks a rule of the schema.*nothing of it was written/);
      expect(err.hint).not.toMatch(/sslmode|server log/);
      // Inside a transaction, the call the transaction was in, not only "in a transaction".
      const inTx = (await team.transaction((tx) => tx.recordSamples([orphan])).catch((e: unknown) => e)) as UnavailableError;
      expect(inTx.message).toBe(`the PostgreSQL registry at ${url} refused a value promptctl sent while recording eval results, in a transaction`);
    } finally {
      await team.close();
    }
  });
});

/** `registry migrate` of the team registry at `url`, as its schema owner. */
function migrate(url: string) {
  return migrateProjectRegistry({ root: '/', config: { registry: { path: 'x', schema: 'promptctl', url } } as never }, { env: { PGPASSWORD: cluster.password }, clock });
}

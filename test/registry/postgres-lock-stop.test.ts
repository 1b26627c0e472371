import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { runEval } from '../../src/app/eval.js';
import { history } from '../../src/app/history.js';
import { status } from '../../src/app/status.js';
import { InterruptedError } from '../../src/core/errors.js';
import { postgresAvailable } from '../support/postgres.js';
import { makeProject } from '../support/project.js';
import { teamRegistryForFile } from '../support/team-registry.js';

/**
 * A stop signal while a command waits, before it records anything, for a table another session
 * locked, under the URL's own lock_timeout (30 s): it stops at once with the signal's exit code.
 * Before, eval's reads on the registry it writes to did not listen to the signal: the wait ran out
 * 30 s later (exit 3, a lock fault). The lock is held until the command has ended, so a command
 * that ignores the signal ends only by that lock fault (or the test's timeout): nothing waits on time.
 */

const pgOk = postgresAvailable();
const ID = 'support-answer';
const team = teamRegistryForFile(pgOk, `${ID}@1.0.0`);
const url = () => `${team.cluster.url(team.database, { withPassword: true })}?options=-c%20lock_timeout%3D30000`;

/** Resolves once a promptctl session waits for a lock on a table of the registry (pg_locks: not granted). */
async function promptctlWaitsForALock(): Promise<void> {
  for (;;) {
    const [row] = await team.cluster.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted AND a.application_name = 'promptctl'`,
      [],
      team.database,
    );
    if (Number(row!.n) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function stoppedWhileLocked(run: (signal: AbortSignal) => Promise<unknown>, signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP'): Promise<unknown> {
  const holder = new pg.Client({ connectionString: team.cluster.url(team.database, { withPassword: true }), application_name: 'psql' });
  await holder.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE promptctl.events, promptctl.runs, promptctl.samples, promptctl.prompt_versions IN ACCESS EXCLUSIVE MODE');
    const stop = new AbortController();
    const running = run(stop.signal).then(
      (r) => r,
      (e: unknown) => e,
    );
    await promptctlWaitsForALock();
    stop.abort(signal);
    return await running;
  } finally {
    await holder.query('ROLLBACK').catch(() => {});
    await holder.end();
  }
}

describe.runIf(pgOk)('a stop signal while a read waits for a table lock on the PostgreSQL registry', () => {
  it('stops status: InterruptedError 130', async () => {
    const err = await stoppedWhileLocked((signal) => status({ cwd: makeProject(), env: { PROMPTCTL_REGISTRY_URL: url() }, signal }), 'SIGINT');
    expect(err).toBeInstanceOf(InterruptedError);
    expect((err as InterruptedError).exitCode).toBe(130);
  });

  it('stops history: InterruptedError 143', async () => {
    const err = await stoppedWhileLocked((signal) => history({ cwd: makeProject(), env: { PROMPTCTL_REGISTRY_URL: url() }, signal }), 'SIGTERM');
    expect(err).toBeInstanceOf(InterruptedError);
    expect((err as InterruptedError).exitCode).toBe(143);
  });

  it('stops an eval waiting to read the registry it writes to, before it sends or records anything: InterruptedError 129', async () => {
    const err = await stoppedWhileLocked((signal) => runEval({ cwd: makeProject(), env: { PROMPTCTL_REGISTRY_URL: url(), VLLM_API_KEY: 'x' }, refs: [`${ID}@1.0.0`], signal }), 'SIGHUP');
    expect(err).toBeInstanceOf(InterruptedError);
    expect((err as InterruptedError).exitCode).toBe(129);
    expect((err as InterruptedError).message).toMatch(/^interrupted reading the audit log \(the PostgreSQL registry at .*\): nothing was recorded$/);
  });
});

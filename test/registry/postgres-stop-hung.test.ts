import { describe, expect, it } from 'vitest';
import { deploy } from '../../src/app/deploy.js';
import { status } from '../../src/app/status.js';
import { InterruptedError } from '../../src/core/errors.js';
import { startAnswerFreezer } from '../support/answer-freezer.js';
import { postgresAvailable } from '../support/postgres.js';
import { makeProject } from '../support/project.js';
import { teamRegistryForFile } from '../support/team-registry.js';

/**
 * A stop signal while the team registry's server stopped answering (a proxy that stopped forwarding
 * once the login was done): the command stops at once with the signal's exit code, nothing
 * recorded. Before, it waited for the answer timeout (two minutes) and then exited 3. The URL's
 * query_timeout is the longest a timer allows, so only the signal can end these waits: no timing.
 */

const pgOk = postgresAvailable();
const ID = 'support-answer';
const team = teamRegistryForFile(pgOk, `${ID}@1.0.0`);
const NEVER = 'query_timeout=2147483647';

const events = async () => Number((await team.cluster.query<{ n: string }>('SELECT count(*) AS n FROM promptctl.events', [], team.database))[0]!.n);

async function frozenUrl(afterReady = 1) {
  const freezer = await startAnswerFreezer({ host: '127.0.0.1', port: team.cluster.port }, afterReady);
  const url = `${team.cluster.url(team.database, { withPassword: true }).replace(`:${team.cluster.port}/`, `:${freezer.port}/`)}?${NEVER}`;
  return { freezer, url };
}

/**
 * Runs `call` with a stop signal against a registry whose answers `frozenUrl(afterReady)` holds back,
 * sends `signal` once the frozen server was asked, and gives what the call ended with.
 */
async function stoppedWhileFrozen(signal: string, call: (url: string, stop: AbortSignal) => Promise<unknown>, afterReady?: number): Promise<InterruptedError> {
  const { freezer, url } = await frozenUrl(afterReady);
  try {
    const stop = new AbortController();
    const running = call(url, stop.signal).then(
      (r) => r,
      (e: unknown) => e,
    );
    await freezer.asked();
    stop.abort(signal);
    const err = await running;
    expect(err).toBeInstanceOf(InterruptedError);
    return err as InterruptedError;
  } finally {
    await freezer.close();
  }
}

describe.runIf(pgOk)('a stop signal while the PostgreSQL registry does not answer', () => {
  it('stops status waiting for its first session check: InterruptedError 143', async () => {
    const err = await stoppedWhileFrozen('SIGTERM', (url, signal) => status({ cwd: makeProject(), env: { PROMPTCTL_REGISTRY_URL: url }, signal }));
    expect(err.exitCode).toBe(143);
    expect(err.message).toMatch(/^interrupted checking the server and the schema \(the PostgreSQL registry at postgres:\/\/.*\): nothing was recorded$/);
    expect(`${err.message}${err.why}`).not.toContain(team.cluster.password);
  });

  it('stops a deploy waiting for its first session check: InterruptedError 130, nothing recorded', async () => {
    const before = await events();
    const err = await stoppedWhileFrozen('SIGINT', (url, signal) => deploy({ cwd: makeProject(), env: { PROMPTCTL_REGISTRY_URL: url }, ref: `${ID}@1.0.0`, environment: 'development', actor: 'ana', reason: 't', signal }));
    expect(err.exitCode).toBe(130);
    expect(err.message).toMatch(/: nothing was recorded$/);
    expect(await events()).toBe(before);
  });

  it('stops a read of a read-only command past the session check (status, after its first answers)', async () => {
    // The login, the session's first query and the schema check answered; a later read waits for ever.
    const err = await stoppedWhileFrozen('SIGHUP', (url, signal) => status({ cwd: makeProject(), env: { PROMPTCTL_REGISTRY_URL: url }, signal }), 6);
    expect(err.exitCode).toBe(129);
  });
});

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

describe.runIf(pgOk)('a stop signal while the PostgreSQL registry does not answer', () => {
  it('stops status waiting for its first session check: InterruptedError 143', async () => {
    const { freezer, url } = await frozenUrl();
    try {
      const stop = new AbortController();
      const reading = status({ cwd: makeProject(), env: { PROMPTCTL_REGISTRY_URL: url }, signal: stop.signal }).then(
        (r) => r,
        (e: unknown) => e,
      );
      await freezer.asked();
      stop.abort('SIGTERM');
      const err = await reading;
      expect(err).toBeInstanceOf(InterruptedError);
      expect((err as InterruptedError).exitCode).toBe(143);
      expect((err as InterruptedError).message).toMatch(/^interrupted checking the server and the schema \(the PostgreSQL registry at postgres:\/\/.*\): nothing was recorded$/);
      expect(`${(err as Error).message}${(err as InterruptedError).why}`).not.toContain(team.cluster.password);
    } finally {
      await freezer.close();
    }
  });

  it('stops a deploy waiting for its first session check: InterruptedError 130, nothing recorded', async () => {
    const before = await events();
    const { freezer, url } = await frozenUrl();
    try {
      const stop = new AbortController();
      const deploying = deploy({ cwd: makeProject(), env: { PROMPTCTL_REGISTRY_URL: url }, ref: `${ID}@1.0.0`, environment: 'development', actor: 'ana', reason: 't', signal: stop.signal }).then(
        (r) => r,
        (e: unknown) => e,
      );
      await freezer.asked();
      stop.abort('SIGINT');
      const err = await deploying;
      expect(err).toBeInstanceOf(InterruptedError);
      expect((err as InterruptedError).exitCode).toBe(130);
      expect((err as InterruptedError).message).toMatch(/: nothing was recorded$/);
    } finally {
      await freezer.close();
    }
    expect(await events()).toBe(before);
  });

  it('stops a read of a read-only command past the session check (status, after its first answers)', async () => {
    // The login, the session's first query and the schema check answered; a later read waits for ever.
    const { freezer, url } = await frozenUrl(6);
    try {
      const stop = new AbortController();
      const reading = status({ cwd: makeProject(), env: { PROMPTCTL_REGISTRY_URL: url }, signal: stop.signal }).then(
        (r) => r,
        (e: unknown) => e,
      );
      await freezer.asked();
      stop.abort('SIGHUP');
      const err = await reading;
      expect(err).toBeInstanceOf(InterruptedError);
      expect((err as InterruptedError).exitCode).toBe(129);
    } finally {
      await freezer.close();
    }
  });
});

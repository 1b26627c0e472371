import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/index.js';
import type { UnavailableError } from '../../src/core/errors.js';
import { runCliInProcess } from '../support/cli.js';
import { postgresAvailable, startPostgres } from '../support/postgres.js';
import { makeProject } from '../support/project.js';

/**
 * An application reading a team registry through the library has no command to run again and no
 * command's role to switch to: its hints say what to grant and that its reader tries again by
 * itself. The CLI meeting the same faults keeps its own words.
 */

const pgOk = postgresAvailable();
const NO_COMMAND = /this command|the command again|role this command is for/;

describe.runIf(pgOk)('the library reader on PostgreSQL: hints for an application', () => {
  it('an unmigrated schema names the migrate command and no command to run again', async () => {
    const cluster = await startPostgres();
    const db = await cluster.createDatabase();
    const reader = openRegistry({ url: cluster.url(db, { withPassword: true }) });
    try {
      const e = (await reader.getActive('p', 'production').catch((err: unknown) => err)) as UnavailableError;
      expect(e.exitCode).toBe(3);
      expect(e.message).toMatch(/has no promptctl schema/);
      expect(e.hint).toMatch(/promptctl registry migrate` once \(as the schema owner\); the application's reader tries again by itself on a later read/);
      expect(e.hint).not.toMatch(NO_COMMAND);
    } finally {
      await reader.close();
    }
    // The CLI still runs the command again.
    const r = await runCliInProcess(['status'], { cwd: makeProject(), env: { PROMPTCTL_REGISTRY_URL: cluster.url(db, { withPassword: true }) } });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/then run this command again/);
  });

  it("a login role that may not read is told to be granted the reader role, not to use a command's role", async () => {
    const cluster = await startPostgres();
    const db = await cluster.createDatabase();
    const owner = cluster.url(db, { withPassword: true });
    const dir = makeProject();
    expect((await runCliInProcess(['registry', 'migrate'], { cwd: dir, env: { PROMPTCTL_REGISTRY_URL: owner } })).code).toBe(0);
    const login = `app_${randomBytes(4).toString('hex')}`;
    await cluster.query(`CREATE ROLE ${login} LOGIN PASSWORD 'pw'`);
    await cluster.query(`GRANT USAGE ON SCHEMA promptctl TO ${login}`, [], db);
    const url = `postgres://${login}:pw@${cluster.host}:${cluster.port}/${db}`;
    const reader = openRegistry({ url });
    try {
      const e = (await reader.getActive('p', 'production').catch((err: unknown) => err)) as UnavailableError;
      expect(e.exitCode).toBe(3);
      expect(e.message).toMatch(/is not allowed to do this/);
      expect(e.hint).toBe(`grant the application's login role the reader role: GRANT promptctl_reader TO "${login}", as whoever ran the SQL \`promptctl registry roles\` prints, which creates promptctl_reader (another name if it was given --prefix); the application's reader tries again by itself on a later read`);
    } finally {
      await reader.close();
    }
    // A person at the CLI is still told which role each command is for.
    const r = await runCliInProcess(['status'], { cwd: dir, env: { PROMPTCTL_REGISTRY_URL: url } });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/hint: use the role this command is for/);
  });
});

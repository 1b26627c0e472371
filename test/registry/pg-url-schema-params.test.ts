import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/index.js';
import { runCliInProcess } from '../support/cli.js';
import { postgresAvailable, startPostgres, type PgCluster } from '../support/postgres.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';

/**
 * A registry URL that chooses a schema (`?currentSchema=`, `?schema=`, `-c search_path=` in
 * `options`) or a database (`?dbname=`) chose nothing: pg does not read them, and promptctl's own
 * search path came after the URL's options, so every command read and wrote the schema `promptctl`
 * (exit 0). Now each is exit 2 naming where the schema is chosen; harmless parameters still work.
 */

const pgOk = postgresAvailable();

describe.skipIf(!pgOk)('a registry URL that chooses the schema or the database', () => {
  let cluster: PgCluster;
  let db: string;
  let cwd: string;
  const withParams = (params: string) => `${cluster.url(db, { withPassword: true })}?${params}`;

  beforeAll(async () => {
    cluster = await startPostgres();
    db = await cluster.createDatabase();
    cwd = makeProject();
    const r = await runCliInProcess(['registry', 'migrate'], { cwd, env: { PROMPTCTL_REGISTRY_URL: cluster.url(db, { withPassword: true }) } });
    expect(r.code, r.output).toBe(0);
  });
  afterAll(() => cleanupTempDirs());

  it.each([
    ['options=-c%20search_path%3Dteam_a', /chooses the schema with -c search_path=team_a in options=/, /remove the search_path setting from the URL's options and name the schema with registry\.schema in \.promptrc\.yaml instead: team_a/],
    ['options=--search_path%3Dteam_a', /chooses the schema with -c search_path=team_a in options=/, /registry\.schema in \.promptrc\.yaml/],
    ['schema=team_a', /chooses the schema with schema=team_a/, /remove schema= from the URL and name the schema with registry\.schema in \.promptrc\.yaml instead: team_a/],
    ['sslmode=disable&currentSchema=team_a', /chooses the schema with currentSchema=team_a/, /registry\.schema in \.promptrc\.yaml instead: team_a/],
    ['dbname=other', /names the database in dbname=other, which promptctl does not read/, /write the database in the URL's path instead: postgres:\/\/user@host:5432\/other/],
  ])('?%s is exit 2 and names what to use instead', async (params, message, hint) => {
    for (const args of [['status', '--json'], ['history', '--json']]) {
      const r = await runCliInProcess(args, { cwd, env: { PROMPTCTL_REGISTRY_URL: withParams(params) } });
      expect(r.code, r.output).toBe(2);
      expect(r.output).toMatch(message);
      expect(r.output).toMatch(hint);
      expect(r.output).not.toContain(cluster.password);
    }
  });

  it('parameters pg honours and that choose nothing of the registry still work', async () => {
    const params = `sslmode=disable&application_name=ci&connect_timeout=5&options=-c%20statement_timeout%3D60000&schema=promptctl&dbname=${db}`;
    const r = await runCliInProcess(['status', '--json'], { cwd, env: { PROMPTCTL_REGISTRY_URL: withParams(params) } });
    expect(r.code, r.output).toBe(0);
  });

  it("the library's reader refuses it too, naming its schema option", async () => {
    const error = await (async () => openRegistry({ url: withParams('currentSchema=team_a') }).getActive('support-answer', 'production'))().catch((e: unknown) => e);
    expect(error).toMatchObject({ exitCode: 2, hint: expect.stringContaining("name the schema with openRegistry's schema option instead: team_a") });
  });
});

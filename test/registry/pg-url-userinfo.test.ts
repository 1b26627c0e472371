import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/index.js';
import { runCliInProcess } from '../support/cli.js';
import { postgresAvailable, startPostgres, type PgCluster } from '../support/postgres.js';
import { cleanupTempDirs, makeProject, patchServerConfig } from '../support/project.js';
import { patchConfig } from '../support/registry-cli.js';

/**
 * A password with an unencoded `/` or `?` ends the URL's authority early (core/url-userinfo.ts):
 * `postgres://role:/S3cret@127.0.0.1/db` is host "role" with the path "/S3cret@…", so there was no
 * password to scrub and every message showed it (exit 3, ENOTFOUND). Each way a URL comes in is
 * refused as bad input (exit 2) without a letter of it; the same password percent-encoded logs in.
 */

const pgOk = postgresAvailable();
const SECRET = 'S3cretTail';

describe.skipIf(!pgOk)('a registry URL whose password has an unencoded / or ?', () => {
  let cluster: PgCluster;
  let db: string;
  const role = `u_${randomBytes(4).toString('hex')}`;
  const urls = (password: string) => [`/${password}`, `2024/${password}`, `12?${password}`].map((p) => `postgres://${role}:${p}@${cluster.host}:${cluster.port}/${db}`);

  beforeAll(async () => {
    cluster = await startPostgres();
    db = await cluster.createDatabase();
    await cluster.query(`CREATE ROLE ${role} LOGIN PASSWORD '/${SECRET}'`);
  });
  afterAll(async () => {
    await cluster?.query(`DROP DATABASE IF EXISTS ${db}`);
    await cluster?.query(`DROP ROLE IF EXISTS ${role}`);
    cleanupTempDirs();
  });

  const refusedQuietly = (r: { code: number | null; output: string }) => {
    expect(r.code, r.output).toBe(2);
    expect(r.output).not.toContain(SECRET);
    expect(r.output).toMatch(/percent-encoded|must not contain an @ after the host/);
  };

  it.each([
    ['status', ['status', '--json']],
    ['history', ['history', '--json']],
    ['registry info', ['registry', 'info', '--json']],
  ])('%s in PROMPTCTL_REGISTRY_URL is exit 2, never echoed', async (_name, args) => {
    const cwd = makeProject();
    for (const url of urls(SECRET)) refusedQuietly(await runCliInProcess(args, { cwd, env: { PROMPTCTL_REGISTRY_URL: url } }));
  });

  it('registry push --to is exit 2, never echoed', async () => {
    const cwd = makeProject();
    for (const url of urls(SECRET)) refusedQuietly(await runCliInProcess(['registry', 'push', '--to', url, '--json'], { cwd, env: { PGPASSWORD: `/${SECRET}` } }));
  });

  it('registry.url in .promptrc.yaml is refused by the config check (lint, status), never echoed', async () => {
    const cwd = makeProject();
    for (const url of urls(SECRET)) {
      patchConfig(cwd, (c) => void (c.registry = { url }));
      for (const args of [['lint'], ['status', '--json']]) refusedQuietly(await runCliInProcess(args, { cwd }));
    }
  });

  it("the library's openRegistry({ url }) throws an InputError, never echoed", async () => {
    for (const url of urls(SECRET)) {
      const error = await (async () => openRegistry({ url }).getActive('support-answer', 'production'))().catch((e: unknown) => e);
      expect(error).toMatchObject({ exitCode: 2 });
      expect(JSON.stringify(error) + String(error)).not.toContain(SECRET);
    }
  });

  it('the same password percent-encoded logs in (the schema is then the next thing missing)', async () => {
    const url = `postgres://${role}:${encodeURIComponent(`/${SECRET}`)}@${cluster.host}:${cluster.port}/${db}`;
    const r = await runCliInProcess(['status', '--json'], { cwd: makeProject(), env: { PROMPTCTL_REGISTRY_URL: url } });
    expect(r.code, r.output).toBe(3);
    expect(r.output).toContain('promptctl registry migrate');
    expect(r.output).not.toContain(SECRET);
  });
});

describe('server.base_url with a password holding an unencoded /', () => {
  afterAll(() => cleanupTempDirs());

  it('is refused by the config check (exit 2) and never echoed', async () => {
    const cwd = makeProject();
    patchServerConfig(cwd, { base_url: 'http://bob:/Pr0xyS3cret@127.0.0.1:9/v1' });
    for (const args of [['eval', 'support-answer@1.0.0'], ['lint']]) {
      const r = await runCliInProcess(args, { cwd });
      expect(r.code, r.output).toBe(2);
      expect(r.output).toContain('server.base_url');
      expect(r.output).not.toContain('Pr0xyS3cret');
    }
  });
});

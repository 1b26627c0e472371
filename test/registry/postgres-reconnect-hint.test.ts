import { createConnection, createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { UnavailableError } from '../../src/core/errors.js';
import { openRegistry } from '../../src/index.js';
import { openPostgresRegistry } from '../../src/infra/registry/postgres/registry.js';
import { postgresTarget } from '../../src/infra/registry/target.js';
import { runCliInProcess } from '../support/cli.js';
import { postgresAvailable, startPostgres, type PgCluster } from '../support/postgres.js';
import { makeProject } from '../support/project.js';

/**
 * The database stops mid-command (a TCP proxy in front of it is closed: its connections cut, its
 * port refusing): the connection is lost, and connecting again finds no server. Both faults say how
 * the command goes on (`eval --resume`, ...), where "cannot reach" said only to check the host and
 * port; the library's reader, which runs no command, is told it serves its last good value.
 */

const pgOk = postgresAvailable();

async function proxyTo(cluster: PgCluster): Promise<{ port: number; stop: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: cluster.host, port: cluster.port });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function migratedDatabase(cluster: PgCluster): Promise<string> {
  const db = await cluster.createDatabase();
  const r = await runCliInProcess(['registry', 'migrate'], { cwd: makeProject(), env: { PROMPTCTL_REGISTRY_URL: cluster.url(db, { withPassword: true }) } });
  expect(r.code, r.output).toBe(0);
  return db;
}

const fail = (p: Promise<unknown>) => p.then(() => expect.fail('the call succeeded')).catch((e: unknown) => e as UnavailableError);

describe.runIf(pgOk)('the database stops mid-command', () => {
  it('a command: the lost connection and the reconnect that finds no server both say to go on with eval --resume', async () => {
    const cluster = await startPostgres();
    const db = await migratedDatabase(cluster);
    const proxy = await proxyTo(cluster);
    const registry = openPostgresRegistry({ target: postgresTarget(`postgres://${cluster.user}@127.0.0.1:${proxy.port}/${db}`, { password: cluster.password }) });
    try {
      await registry.listEnvironments();
      await proxy.stop();
      // The next call meets either the cut connection or, when the pool already dropped it, the refused port.
      const first = await fail(registry.listEnvironments());
      expect(first.exitCode).toBe(3);
      expect(first.hint).toMatch(/`eval` with `promptctl eval --resume`/);
      // The one after it connects again: nothing answers there now.
      const again = await fail(registry.listEnvironments());
      expect(again.message).toMatch(/^cannot reach the PostgreSQL registry at/);
      expect(again.why).toMatch(/\(ECONNREFUSED\) while connecting again: no server answers/);
      expect(again.hint).toMatch(/^check that PostgreSQL is running .*; then go on where the command stopped: an `eval` with `promptctl eval --resume`/);
    } finally {
      await registry.close();
    }
  });

  it("the library's reader: no command to resume; it serves its last good value", async () => {
    const cluster = await startPostgres();
    const db = await migratedDatabase(cluster);
    const proxy = await proxyTo(cluster);
    const reader = openRegistry({ url: `postgres://${cluster.user}:${encodeURIComponent(cluster.password)}@127.0.0.1:${proxy.port}/${db}`, cacheTtlMs: 0 });
    try {
      // The first read connects (an empty registry knows no staging: its refusal is beside the point).
      await reader.exportEnv('staging').catch(() => undefined);
      await proxy.stop();
      // Keys never read: nothing cached to serve, so the fault is thrown.
      for (const id of ['a', 'b']) {
        const e = await fail(reader.getActive(id, 'production'));
        expect(e.exitCode).toBe(3);
        expect(e.hint).toMatch(/the application's reader serves its last good value \(marked stale\) meanwhile/);
        expect(e.hint).not.toMatch(/eval --resume|the command/);
      }
    } finally {
      await reader.close();
    }
  });
});

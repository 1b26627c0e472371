import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/index.js';
import { runCliAsync } from '../support/cli.js';
import { postgresAvailable, startPostgres, type PgCluster } from '../support/postgres.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';

/**
 * The real PostgreSQL behind a TCP proxy that damages its replies, as a faulty proxy or network
 * would. pg reported a message code it did not know as an error without a SQLSTATE, which read as
 * a bug (exit 70), and threw a RangeError in its socket handler on a row whose lengths ran past its
 * bytes, which crashed the process with Node's exit 1 (a failed gate's code); damaged while it
 * connected, the command printed a bug and never exited, SIGTERM or not. Each is exit 3 now, and
 * the process ends. Nothing here depends on timing: the child's time limit only bounds a hang.
 */

const pgOk = postgresAvailable();
let cluster: PgCluster;
let database: string;
const proxies: net.Server[] = [];

beforeAll(async () => {
  if (!pgOk) return;
  cluster = await startPostgres();
  database = await cluster.createDatabase();
  const dir = makeProject();
  const migrated = await runCliAsync(['registry', 'migrate'], { cwd: dir, env: { PROMPTCTL_REGISTRY_URL: cluster.url(database, { withPassword: true }) } });
  expect(migrated.code, migrated.output).toBe(0);
});
afterAll(() => {
  for (const p of proxies) p.close();
  cleanupTempDirs();
});

type Damage = (message: Buffer, at: number) => Buffer;

/**
 * A proxy to the cluster that passes every message of the server's stream (a type byte, then its
 * length) through `damage`, given the message and its offset in the stream.
 */
async function damagingProxy(damage: Damage, open?: Set<net.Socket>): Promise<number> {
  const server = net.createServer((client) => {
    open?.add(client);
    client.on('close', () => open?.delete(client));
    const upstream = net.connect(cluster.port, cluster.host);
    let pending = Buffer.alloc(0);
    let offset = 0;
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d) => {
      pending = Buffer.concat([pending, d]);
      while (pending.length >= 5 && pending.length >= 1 + pending.readInt32BE(1)) {
        const size = 1 + pending.readInt32BE(1);
        client.write(damage(Buffer.from(pending.subarray(0, size)), offset));
        offset += size;
        pending = pending.subarray(size);
      }
    });
    for (const s of [client, upstream]) s.on('error', () => undefined);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  proxies.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

const through = (port: number) => cluster.url(database, { withPassword: true }).replace(`:${cluster.port}/`, `:${port}/`);

async function statusThrough(port: number, ...flags: string[]) {
  return runCliAsync(['status', ...flags], { cwd: makeProject(), env: { PROMPTCTL_REGISTRY_URL: through(port) }, timeoutMs: 60_000 });
}

describe.runIf(pgOk)('replies from the team registry damaged on the way', () => {
  it('a message code pg does not know, once connected: exit 3 saying the reply could not be read', async () => {
    // Every message after the session is ready ('Z' seen once) turned into an unknown type.
    let ready = false;
    const port = await damagingProxy((m) => {
      if (ready) m[0] = 0;
      if (m[0] === 0x5a) ready = true;
      return m;
    });
    const r = await statusThrough(port);
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).toMatch(/^error: a reply from the PostgreSQL registry at postgres:\/\/.* could not be read/m);
    expect(r.output).not.toContain('hit a bug');
    expect(r.output).not.toContain(cluster.password);
  });

  it("a row whose field count runs past its bytes (pg's parser throws in its socket handler): exit 3, not Node's exit 1", async () => {
    const port = await damagingProxy((m) => {
      // 'D' (DataRow): its field count made far larger than the fields it holds.
      if (m[0] === 0x44) m.writeInt16BE(0x7fff, 5);
      return m;
    });
    const r = await statusThrough(port, '--json');
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).toMatch(/^error: a reply from the PostgreSQL registry could not be read/m);
    // Under --json, the error object on stdout, as for every failure.
    expect(JSON.parse(r.stdout)).toMatchObject({ error: 'Unavailable', exitCode: 3, message: 'a reply from the PostgreSQL registry could not be read' });
    expect(r.output).not.toContain(cluster.password);
  });

  it('damaged while connecting: exit 3, and the process ends', async () => {
    // The authentication request's type byte zeroed: the first reply of the session.
    const port = await damagingProxy((m, at) => {
      if (at === 0) m[0] = 0;
      return m;
    });
    const r = await statusThrough(port);
    expect(r.signal, r.output).toBeNull();
    expect(r.code, r.output).toBe(3);
    expect(r.output).not.toContain('hit a bug');
  });

  it('the library reader closes each connection a reply damaged while connecting ended (an application retrying leaked one per attempt)', async () => {
    const open = new Set<net.Socket>();
    const port = await damagingProxy((m, at) => {
      if (at === 0) m[0] = 0;
      return m;
    }, open);
    const reader = openRegistry({ url: through(port), cacheTtlMs: 0 });
    for (let i = 0; i < 3; i++) await expect(reader.getActive('support-answer', 'production')).rejects.toMatchObject({ exitCode: 3 });
    await reader.close();
    // Every connection the reader opened is closed from its side: the proxy sees each client go.
    while (open.size > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(open.size).toBe(0);
  });
});

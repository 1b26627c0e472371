import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstReadFault } from '../support/registry-failure.js';

/**
 * A registry URL whose port is not PostgreSQL's (a web server there, or a service that hangs up):
 * exit 3 saying to check the port, and to run the command again. Before, the hint advised `eval
 * --resume` and spoke of a transaction cut short, though the command had not connected yet.
 */

const servers: Server[] = [];
let httpPort = 0;
let hangUpPort = 0;
beforeAll(async () => {
  const http = createHttpServer((_, res) => res.end('hello'));
  const hangUp = createServer((socket) => socket.destroy());
  for (const s of [http, hangUp]) {
    servers.push(s);
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  }
  httpPort = (http.address() as { port: number }).port;
  hangUpPort = (hangUp.address() as { port: number }).port;
});
afterAll(async () => {
  for (const s of servers) {
    (s as { closeAllConnections?: () => void }).closeAllConnections?.();
    await new Promise((resolve) => s.close(resolve));
  }
});

const faultAt = (port: number) => firstReadFault(`postgres://u:pw@127.0.0.1:${port}/db`);

describe('a registry URL whose port is not PostgreSQL', () => {
  it.each([
    ['a web server', () => httpPort],
    ['a service that hangs up', () => hangUpPort],
  ])('%s: check the port, then run the command again; no eval --resume', async (_, port) => {
    const e = await faultAt(port());
    expect(e.hint).toContain('then run this command again');
    expect(e.hint).not.toMatch(/--resume|promptctl history/);
    expect(e.why).not.toMatch(/transaction it cut short/);
  });
});

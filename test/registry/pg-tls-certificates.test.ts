import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstReadFault } from '../support/registry-failure.js';

/**
 * A server certificate promptctl refuses while connecting (a private CA the URL does not name, a
 * certificate for another host name) is named as such, with the CA file to give and the
 * uselibpqcompat=true way to libpq's sslmode=require: promptctl verifies even under require.
 * Before: "see the PostgreSQL server log; for TLS problems check sslmode in the URL and
 * PGSSLROOTCERT". The server is a real TLS endpoint on 127.0.0.1 answering PostgreSQL's SSLRequest
 * with a certificate made by openssl for `localhost` only; the errors are pg's and Node's own.
 */

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let dir = '';
let server: Server;
let port = 0;
const sockets = new Set<Socket>();

beforeAll(async () => {
  if (!hasOpenssl) return;
  dir = mkdtempSync(path.join(tmpdir(), 'promptctl-tls-'));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=team-ca', '-keyout', 'ca.key', '-out', 'ca.pem');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr');
  writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=DNS:localhost\n');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'ext.cnf', '-out', 'server.crt');
  const key = readFileSync(path.join(dir, 'server.key'));
  const cert = readFileSync(path.join(dir, 'server.crt'));
  // Answers the SSLRequest with 'S' and then speaks TLS; whatever comes after the handshake ends the connection.
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', () => {
      socket.write('S');
      const secure = new TLSSocket(socket, { isServer: true, key, cert });
      secure.on('error', () => {});
      secure.once('data', () => secure.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  if (!hasOpenssl) return;
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const faultOf = (query: string) => firstReadFault(`postgres://u:pw@127.0.0.1:${port}/db?${query}`);

describe.runIf(hasOpenssl)('a TLS certificate promptctl refuses (skipped where openssl is not installed: it makes the certificates)', () => {
  it('signed by a CA the URL does not name, under sslmode=require: says promptctl verifies, and names the CA file and uselibpqcompat', async () => {
    const e = await faultOf('sslmode=require');
    expect(e.message).toBe(`the PostgreSQL registry at postgres://u@127.0.0.1:${port}/db?sslmode=require presented a TLS certificate promptctl does not trust`);
    expect(e.why).toContain('(UNABLE_TO_VERIFY_LEAF_SIGNATURE)');
    expect(e.why).toContain('sslmode=require included, unlike libpq');
    expect(e.why).toContain('the URL names no sslrootcert');
    expect(e.hint).toContain('sslrootcert=/path/ca.pem in PROMPTCTL_REGISTRY_URL');
    expect(e.hint).toContain('uselibpqcompat=true&sslmode=require');
    expect(`${e.message}${e.why}${e.hint}`).not.toMatch(/server log|pw/);
  });

  it('with a sslrootcert that is not the CA that signed it: names that file', async () => {
    const e = await faultOf(`sslmode=verify-full&sslrootcert=${path.join(dir, 'server.crt')}`);
    expect(e.why).toContain(`sslrootcert=${path.join(dir, 'server.crt')} does not hold the CA certificate that signed it`);
  });

  it('for another host name than the one it was reached at: says so, and how to connect by a name it names', async () => {
    const e = await faultOf(`sslmode=verify-full&sslrootcert=${path.join(dir, 'ca.pem')}`);
    expect(e.message).toMatch(new RegExp(`^the TLS certificate of the PostgreSQL registry at postgres://u@127\\.0\\.0\\.1:${port}/db\\?sslmode=verify-full&sslrootcert=\\S+ does not name the host it was reached at$`));
    expect(e.why).toContain('(ERR_TLS_CERT_ALTNAME_INVALID)');
    expect(e.hint).toMatch(/^connect by a name the certificate names/);
  });

  it('uselibpqcompat=true&sslmode=require, the way on it names, gets past the certificate', async () => {
    const e = await faultOf('uselibpqcompat=true&sslmode=require');
    expect(`${e.message}${e.why}`).not.toMatch(/certificate/);
  });
});

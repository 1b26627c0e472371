import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/core/errors.js';
import { createModelClient } from '../../src/infra/model/index.js';
import { caught, options, useSimulator } from './harness.js';

/**
 * A server that redirects (an ingress sending http to https): promptctl follows no redirect, and
 * the preflight said "/health answered 308 … Wait for the server to finish loading the model".
 * It now names the redirect and the address to configure.
 */

useSimulator();
let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

async function redirecting(status: number, location?: string): Promise<string> {
  server = createServer((req, res) => {
    res.writeHead(status, location !== undefined ? { location: `${location}${req.url}` } : {});
    res.end();
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

describe('preflight against a redirecting server', () => {
  it('names the redirect and where it goes, not a server still loading', async () => {
    const url = await redirecting(308, 'https://vllm.example.com');
    const e = (await caught(createModelClient(options({ baseUrls: [url] })).preflight('sim-model'))) as UnavailableError;
    expect(e).toBeInstanceOf(UnavailableError);
    expect(e.exitCode).toBe(3);
    expect(e.message).toContain(`The server at ${url} redirects (/health answered 308, to https://vllm.example.com/health).`);
    expect(e.message).not.toContain('not healthy');
    expect(`${e.message} ${e.hint}`).not.toMatch(/finish loading/);
  });

  it('without a Location: still a redirect, with the setting to fix', async () => {
    const url = await redirecting(302);
    const e = (await caught(createModelClient(options({ baseUrls: [url] })).preflight('sim-model'))) as UnavailableError;
    expect(e.message).toContain('redirects (/health answered 302)');
  });

  it('keeps a base path in the address it suggests, and resolves a relative Location', async () => {
    const url = (await redirecting(307, '')).replace(/\/v1$/, '/gw/v1');
    const e = (await caught(createModelClient(options({ baseUrls: [url] })).preflight('sim-model'))) as UnavailableError;
    const origin = new URL(url).origin;
    expect(e.message).toContain(`redirects (/health answered 307, to ${origin}/gw/health)`);
    expect(e.hint).toContain(`(${origin}/gw/v1, if that is the same server)`);
  });
});

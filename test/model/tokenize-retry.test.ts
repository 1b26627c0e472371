import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createModelClient } from '../../src/infra/model/index.js';
import { options, useSimulator } from './harness.js';

useSimulator();

/**
 * `lint --server`'s /tokenize made one attempt: one 503 or 429 of a busy server was exit 3 for the
 * whole lint. It is retried now as a completion is (the Retry-After honoured), on another replica
 * that has the route when there is one.
 */

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  servers = [];
});

/** A /tokenize that answers `status` (with Retry-After: 2) for the first `failures` requests, then a count. */
async function tokenizeServer(failures: number, status = 503): Promise<{ url: string; asked: () => number }> {
  let asked = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      asked++;
      if (asked <= failures) {
        res.writeHead(status, { 'content-type': 'application/json', 'retry-after': '2' });
        return res.end(JSON.stringify({ object: 'error', message: 'Service Unavailable', code: status }));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ count: 42, max_model_len: 4096, tokens: [] }));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, asked: () => asked };
}

describe('/tokenize on a busy server', () => {
  it.each([
    [503, 50], // backoff: random 0.5 × 100 ms
    [429, 2_000], // its Retry-After, as a completion's
  ])('a %i is retried after %i ms, and the count comes back', async (status, pause) => {
    const server = await tokenizeServer(1, status);
    const opts = options({ baseUrls: [server.url] });
    expect(await createModelClient(opts).tokenize('sim-model', { prompt: 'hello' })).toBe(42);
    expect(server.asked()).toBe(2);
    expect(opts.sleeps).toEqual([pause]);
  });

  it('a retry goes to another replica that has the route', async () => {
    const busy = await tokenizeServer(99);
    const fine = await tokenizeServer(0);
    const opts = options({ baseUrls: [busy.url, fine.url] });
    expect(await createModelClient(opts).tokenize('sim-model', { prompt: 'hello' })).toBe(42);
    expect(busy.asked()).toBe(1);
  });

  it('gives up after the retries, naming the attempts', async () => {
    const server = await tokenizeServer(99);
    const opts = options({ baseUrls: [server.url], retries: { max_attempts: 3, base_delay_ms: 1, max_delay_ms: 1 } });
    await expect(createModelClient(opts).tokenize('sim-model', { prompt: 'hello' })).rejects.toMatchObject({ transient: true, status: 503, attempts: 3 });
    expect(server.asked()).toBe(3);
  });
});

describe('/tokenize over replicas', () => {
  it('a 429 throttles that replica: the retry goes to the other at once, without waiting its Retry-After', async () => {
    const busy = await tokenizeServer(99, 429);
    const fine = await tokenizeServer(0);
    const opts = options({ baseUrls: [busy.url, fine.url] });
    const client = createModelClient(opts);
    expect(await client.tokenize('sim-model', { prompt: 'hello' })).toBe(42);
    expect(await client.tokenize('sim-model', { prompt: 'hello' })).toBe(42);
    expect(busy.asked()).toBe(1);
    expect(opts.sleeps).toEqual([]);
  });

  it('a retry that lands on a replica without the route tries the others, and never passes an estimate off for a busy server', async () => {
    const busy = await tokenizeServer(99);
    const bare = await noRoute();
    const opts = options({ baseUrls: [busy.url, bare], retries: { max_attempts: 3, base_delay_ms: 1, max_delay_ms: 1 } });
    await expect(createModelClient(opts).tokenize('sim-model', { prompt: 'hello' })).rejects.toMatchObject({ transient: true, status: 503 });
  });
});

/** A server whose /tokenize does not exist (404 without an error object). */
async function noRoute(): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Not Found');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

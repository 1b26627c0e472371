import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/core/errors.js';
import { createModelClient } from '../../src/infra/model/index.js';
import { runCliInProcess } from '../support/cli.js';
import { makeSimProject } from '../support/project.js';
import { caught, options, REQ, sim, useSimulator } from './harness.js';

/**
 * A replica that answers 429 (or 5xx) at preflight. Before, a 429 on GET /v1/models was not
 * retried, its hint spoke of a base_url that does not end in /v1, and the replica was retired for
 * the whole run (a single server: exit 3 at once; two replicas: the throttled one got no request,
 * even after its Retry-After); a 503 on /health was not retried either. Now the check is retried
 * under server.retries as a request is (a 429's Retry-After honoured), and a throttled replica is
 * left out for its wait, then probed. Counts of requests, never durations: Retry-After is 0 or the
 * client's sleep and clock are injected.
 */

useSimulator();
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => {
    s.close(r);
    s.closeAllConnections();
  })));
});

interface Front {
  url: string;
  /** Requests seen, by path. */
  seen: Record<string, number>;
}

/**
 * A proxy to the file's simulator that answers the first `refusals[path]` requests of a path
 * (Infinity: all of them) with `status` and `headers` itself, and counts every request by path.
 */
async function front(refusals: Record<string, number>, status: number, headers: Record<string, string> = {}): Promise<Front> {
  const seen: Record<string, number> = {};
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      const n = (seen[path] = (seen[path] ?? 0) + 1);
      if (n <= (refusals[path] ?? 0)) return void res.writeHead(status, { 'content-type': 'application/json', ...headers }).end('{"error":{"message":"rate limited"}}');
      const forwarded: Record<string, string> = { 'content-type': 'application/json' };
      void fetch(`${new URL(sim.url).origin}${path}`, { method: req.method, headers: forwarded, ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}) }).then(async (up) => {
        res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' }).end(await up.text());
      });
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, seen };
}

const MODELS = '/v1/models';
const CHAT = '/v1/chat/completions';

describe('preflight against a busy replica', () => {
  it('retries a 429 on /models, after its Retry-After, and starts', async () => {
    const a = await front({ [MODELS]: 2 }, 429, { 'retry-after': '0' });
    const o = options({ baseUrls: [a.url], retries: { max_attempts: 3, base_delay_ms: 100, max_delay_ms: 1_000 } });
    const result = await createModelClient(o).preflight('sim-model');
    expect(result.models).toContain('sim-model');
    expect(a.seen[MODELS]).toBe(3);
    // The server's wait (0 s), not the backoff.
    expect(o.sleeps).toEqual([0, 0]);
  });

  it('retries a 503 on /health as a request would be, with the backoff', async () => {
    const a = await front({ '/health': 1 }, 503);
    const o = options({ baseUrls: [a.url], retries: { max_attempts: 3, base_delay_ms: 100, max_delay_ms: 1_000 } });
    await createModelClient(o).preflight('sim-model');
    expect(a.seen['/health']).toBe(2);
    expect(o.sleeps).toEqual([50]);
  });

  it('a single server still throttled after every attempt: exit 3 saying it rate-limits', async () => {
    const a = await front({ [MODELS]: Infinity }, 429, { 'retry-after': '0' });
    const e = (await caught(createModelClient(options({ baseUrls: [a.url], retries: { max_attempts: 3, base_delay_ms: 100, max_delay_ms: 1_000 } })).preflight('sim-model'))) as UnavailableError;
    expect(e).toBeInstanceOf(UnavailableError);
    expect(e.exitCode).toBe(3);
    expect(e.message).toBe(`The vLLM server at ${a.url} is rate limiting: GET /models answered 429 (too many requests).`);
    expect(e.hint).toBe('Run again once the rate limit allows, or ask for a higher limit; raise server.retries in .promptrc.yaml to wait longer, or lower server.concurrency.');
    expect(a.seen[MODELS]).toBe(3);
  });

  it('a throttled replica beside a healthy one is left out for its wait, then probed, not dropped for the run', async () => {
    const a = await front({ [MODELS]: Infinity }, 429, { 'retry-after': '2' });
    const b = await front({}, 429);
    let now = 1_000;
    const client = createModelClient(options({ baseUrls: [a.url, b.url], clock: { now: () => now, date: () => new Date(now) } }));
    const result = await client.preflight('sim-model');
    expect(result.warnings).toEqual([`replica ${a.url} gets no requests until its wait is over, then is tried again: The vLLM server at ${a.url} is rate limiting: GET /models answered 429 (too many requests).`]);
    // The healthy replica started the run alone, without waiting: no check of A was repeated.
    expect(a.seen[MODELS]).toBe(1);
    for (let i = 0; i < 3; i++) await client.complete(REQ);
    expect([a.seen[CHAT] ?? 0, b.seen[CHAT]]).toEqual([0, 3]);
    now += 2_000;
    for (let i = 0; i < 4; i++) await client.complete(REQ);
    expect([a.seen[CHAT], b.seen[CHAT]]).toEqual([2, 5]);
  });

  it('eval on a server that keeps answering 429 to /models: exit 3 with the rate-limit hint', async () => {
    const a = await front({ [MODELS]: Infinity }, 429, { 'retry-after': '0' });
    const cwd = makeSimProject(a.url, {}, 'promptctl-preflight-429-');
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'golden', '--no-cache'], { cwd });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`The vLLM server at ${a.url} is rate limiting: GET /models answered 429 (too many requests).`);
    expect(r.stderr).toContain('Run again once the rate limit allows');
    expect(r.stderr).not.toContain('ending in /v1');
    // server.retries' default: 4 attempts.
    expect(a.seen[MODELS]).toBe(4);
    expect(a.seen[CHAT]).toBeUndefined();
  });
});

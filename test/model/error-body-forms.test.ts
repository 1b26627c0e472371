import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelClient } from '../../src/infra/model/index.js';
import { caught, options, REQ, useSimulator } from './harness.js';

/**
 * vLLM's 400 body changed form across versions: flat `{"object":"error","message":...}` before
 * mid-2025, OpenAI's nested `{"error":{"message":...}}` since. promptctl talks to both, so the
 * server's own words reach the user from either, on chat completions and on /tokenize alike.
 */

useSimulator();

const MESSAGE = 'temperature must be non-negative, got -1.0.';
const FORMS = {
  flat: { object: 'error', message: MESSAGE, type: 'BadRequestError', param: null, code: 400 },
  nested: { error: { message: MESSAGE, type: 'BadRequestError', param: null, code: 400 } },
};

let answer: unknown;
let server: Server;
let url = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise((r) => server.close(r)));

describe.each(Object.entries(FORMS))('a 400 in the %s form', (_form, body) => {
  it('a chat completion fails with the server message', async () => {
    answer = body;
    const e = await caught(createModelClient(options({ baseUrls: [url] })).complete(REQ));
    expect((e as Error).message).toContain(MESSAGE);
  });

  it('a token count fails with the server message', async () => {
    answer = body;
    const e = await caught(createModelClient(options({ baseUrls: [url] })).tokenize('sim-model', { prompt: 'Hello' }));
    expect((e as Error).message).toBe(`Token count failed on ${url.replace(/\/v1$/, '')}/tokenize: ${MESSAGE}`);
  });
});

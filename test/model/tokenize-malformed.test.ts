import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelClient } from '../../src/infra/model/index.js';
import { caught, options, useSimulator } from './harness.js';

/**
 * A /tokenize that answers 200 with no usable count is malformed, said so (lint --server then
 * stops with exit 3 naming the version); before, a negative count passed every token_budget and a
 * non-number read as "the server has no /tokenize".
 */

useSimulator();

let answer = '';
let server: Server;
let url = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(answer);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise((r) => server.close(r)));

describe('a /tokenize answer without a usable count', () => {
  it.each([
    ['{"count": -5}', 'count is -5, not a whole number of 0 or more'],
    ['{"count": "many"}', 'count is "many", not a whole number of 0 or more'],
    ['{"tokens": [1, 2]}', 'count is null, not a whole number of 0 or more'],
    ['<html>502</html>', 'not JSON'],
  ])('%s: a malformed answer, said so', async (body, shape) => {
    answer = body;
    const client = createModelClient(options({ baseUrls: [url] }));
    const e = await caught(client.tokenize('sim-model', { prompt: 'Hello' }));
    expect((e as Error).message).toBe(`Token count failed on ${url.replace(/\/v1$/, '')}/tokenize: the answer is malformed (${shape})`);
  });

  it('a whole count is the count', async () => {
    answer = '{"count": 7, "max_model_len": 4096}';
    expect(await createModelClient(options({ baseUrls: [url] })).tokenize('sim-model', { prompt: 'Hello' })).toBe(7);
  });
});

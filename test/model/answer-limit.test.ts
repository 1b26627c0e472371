import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerTooLargeError, createHttpFetch, MAX_ANSWER_BYTES } from '../../src/infra/model/http-fetch.js';
import { classify } from '../../src/infra/model/retry-policy.js';

/**
 * An answer's body is read up to a byte limit: a server sending an endless body is cut off at the
 * limit (the connection closed), not read until the timeout with memory growing all the while.
 */

const LIMIT = 64 * 1024;
let url = '';
/** Settles when the server sees the endless answer's connection closed by the client. */
let closed: Promise<void> = Promise.resolve();
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/exact') return res.end(Buffer.alloc(LIMIT, 'a'));
    endless(res);
  });
});

/** A chat completion whose content never ends. */
function endless(res: ServerResponse): void {
  closed = new Promise((resolve) => res.on('close', () => resolve()));
  res.write('{"id":"x","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"');
  const chunk = Buffer.alloc(16 * 1024, 'a');
  const pump = () => {
    while (!res.destroyed) if (!res.write(chunk)) return void res.once('drain', pump);
  };
  pump();
}

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('the limit on an answer', () => {
  it('is 64 MiB by default', () => {
    expect(MAX_ANSWER_BYTES).toBe(64 * 1024 * 1024);
    expect(new AnswerTooLargeError(MAX_ANSWER_BYTES).message).toMatch(/passed 64 MiB, the most promptctl reads of one answer/);
  });

  it('cuts an endless answer off past the limit and closes its connection', async () => {
    const fetch = createHttpFetch(LIMIT);
    const err = await fetch(`${url}/endless`, { method: 'POST', body: '{}' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AnswerTooLargeError);
    expect((err as Error).message).toMatch(/^the server's answer passed 65536 bytes, the most promptctl reads of one answer/);
    await closed;
  });

  it('reads an answer exactly at the limit whole', async () => {
    const res = await createHttpFetch(LIMIT)(`${url}/exact`, { method: 'POST', body: '{}' });
    expect((await res.arrayBuffer()).byteLength).toBe(LIMIT);
  });

  it('makes a completion a transient bad answer, as an invalid body is, not a server that is down', async () => {
    const sdk = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'EMPTY', maxRetries: 0, fetch: createHttpFetch(LIMIT) });
    const err = await sdk.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(classify(err, 5_000, () => 0)).toEqual({ transient: true, transport: false, reason: expect.stringMatching(/^the server's answer passed 65536 bytes/) });
    await closed;
  });
});

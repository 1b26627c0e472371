import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CircuitOpenError, KeyRejectedError } from '../../src/infra/model/errors.js';
import { CompletionError, createModelClient } from '../../src/infra/model/index.js';
import { startSimulator } from '../../src/sim/server.js';
import { caught, deadUrl, options, REQ, useSimulator } from './harness.js';

const SECRET = 'sk-test-SECRET-123';

useSimulator();

describe('tokenize', () => {
  it('returns vLLM\'s count, and undefined when /tokenize is missing', async () => {
    const client = createModelClient(options());
    const count = await client.tokenize('sim-model', { messages: REQ.messages });
    const r = await client.complete(REQ);
    expect(count).toBe(r.tokensIn);
    expect(await client.tokenize('sim-model', { prompt: 'Hello, world!' })).toBe(4);
    const bare = await startSimulator({ tokenize: false });
    try {
      expect(await createModelClient(options({ baseUrls: [bare.url] })).tokenize('sim-model', { prompt: 'hi' })).toBeUndefined();
    } finally {
      await bare.close();
    }
  });
});

describe('the API key never leaks', () => {
  // A misbehaving proxy that echoes the request headers in its error body.
  let echo: Server;
  let echoUrl: string;
  beforeAll(async () => {
    echo = createServer((req, res) => {
      res.writeHead(req.url?.endsWith('/models') ? 401 : 500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `bad request with headers ${JSON.stringify(req.headers)}` } }));
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise((r) => echo.close(r)));

  function expectNoSecret(e: unknown): void {
    expect(e).toBeInstanceOf(Error);
    const err = e as Error & { toJSON?: () => unknown };
    for (const text of [err.message, String(err), JSON.stringify(err), JSON.stringify(err.toJSON?.()), inspect(err, { depth: 10 })]) {
      expect(text).not.toContain(SECRET);
    }
  }

  it('in completion, preflight and breaker errors', async () => {
    const keyed = await startSimulator({ apiKey: 'another-key' });
    try {
      const wrongKey = createModelClient(options({ baseUrls: [keyed.url], apiKey: SECRET }));
      const e401 = (await caught(wrongKey.complete(REQ))) as KeyRejectedError;
      expect(e401).toBeInstanceOf(KeyRejectedError);
      expect(e401).toMatchObject({ exitCode: 3, message: expect.stringContaining('refused the API key (HTTP 401)') });
      expectNoSecret(e401);
      expectNoSecret(await caught(wrongKey.preflight('sim-model')));

      const echoing = createModelClient(options({ baseUrls: [echoUrl], apiKey: SECRET, retries: { max_attempts: 1, base_delay_ms: 1, max_delay_ms: 1 } }));
      const e500 = (await caught(echoing.complete(REQ))) as CompletionError;
      expect(e500.message).toContain('[REDACTED]'); // the echo really carried the header
      expectNoSecret(e500);
      expectNoSecret(await caught(echoing.preflight('sim-model')));

      const down = createModelClient(options({ baseUrls: [await deadUrl()], apiKey: SECRET, breakerThreshold: 1, retries: { max_attempts: 1, base_delay_ms: 1, max_delay_ms: 1 } }));
      expectNoSecret(await caught(down.preflight('sim-model')));
      expectNoSecret(await caught(down.complete(REQ)));
      expectNoSecret(await caught(down.complete(REQ))); // CircuitOpenError
    } finally {
      await keyed.close();
    }
  });

  it('a key refused in the middle of a run (401) stops the client at once: one request, no retries, then nothing is sent', async () => {
    const keyed = await startSimulator({ apiKey: SECRET });
    try {
      const client = createModelClient(options({ baseUrls: [keyed.url], apiKey: SECRET, apiKeyEnv: 'VLLM_API_KEY' }));
      expect((await client.complete(REQ)).output).toBeTruthy();
      keyed.setApiKey('a-rotated-key'); // the key is revoked mid-run
      keyed.resetStats();
      const e = await caught(client.complete(REQ));
      expect(e).toBeInstanceOf(CircuitOpenError); // what stops an eval's dispatching (exit 3)
      expect(e).toMatchObject({ exitCode: 3, message: expect.stringMatching(/refused the API key \(HTTP 401\)\. The API key in VLLM_API_KEY was not accepted\. What to do: export VLLM_API_KEY=/) });
      expect(keyed.stats().chatCompletions).toBe(1); // not retried
      expect(await caught(client.complete(REQ))).toBe(e); // later requests are not sent at all
      expect(keyed.stats().chatCompletions).toBe(1);
      expectNoSecret(e);
    } finally {
      await keyed.close();
    }
  });

  it('sends the key so a keyed server accepts the client', async () => {
    const keyed = await startSimulator({ apiKey: SECRET });
    try {
      const client = createModelClient(options({ baseUrls: [keyed.url], apiKey: SECRET }));
      await client.preflight('sim-model');
      expect((await client.complete(REQ)).output).toContain('9am');
    } finally {
      await keyed.close();
    }
  });

  it('server.api_key_env names an unset variable: the hint says to export it', async () => {
    const keyed = await startSimulator({ apiKey: SECRET });
    try {
      const unset = createModelClient(options({ baseUrls: [keyed.url], apiKeyEnv: 'VLLM_API_KEY' }));
      for (const e of [await caught(unset.preflight('sim-model')), await caught(unset.complete(REQ))] as Array<{ why?: string; hint?: string }>) {
        expect(e.why).toMatch(/VLLM_API_KEY.*not set/);
        expect(e.hint).toMatch(/^export VLLM_API_KEY=<your key>/);
        expect(e.hint).not.toMatch(/Set server\.api_key_env/);
      }
      // Set but wrong: export a valid one; the value is never shown.
      const wrong = createModelClient(options({ baseUrls: [keyed.url], apiKeyEnv: 'VLLM_API_KEY', apiKey: 'wrong-key-XYZ' }));
      for (const e of [await caught(wrong.preflight('sim-model')), await caught(wrong.complete(REQ))] as Array<{ why?: string; hint?: string }>) {
        expect(e.why).toMatch(/key in VLLM_API_KEY was not accepted/);
        expect(e.hint).toMatch(/^export VLLM_API_KEY=/);
        expectNoSecret(e);
        expect(JSON.stringify(e) + String(e)).not.toContain('wrong-key-XYZ');
      }
    } finally {
      await keyed.close();
    }
  });
});

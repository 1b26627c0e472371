import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/sim/server.js';

const SYSTEM = 'You are the support assistant for Acme Tools. Our store opens at 9am on weekdays.';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 7, retryAfterSeconds: 3 });
});
afterAll(() => sim.close());
afterEach(() => {
  sim.setFaults({});
  sim.resetStats();
});

function chat(body: Record<string, unknown>, base = sim.url, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'sim-model', messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: 'When does the store open?' }], temperature: 0, ...body }),
  });
}

describe('simulator endpoints', () => {
  it('GET /health answers 200 with an empty body', async () => {
    const res = await fetch(`${sim.origin}/health`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('GET /v1/models lists the served models like vLLM', async () => {
    const res = await fetch(`${sim.url}/models`);
    const body = (await res.json()) as { object: string; data: { id: string; object: string; owned_by: string; max_model_len: number }[] };
    expect(body.object).toBe('list');
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({ id: 'sim-model', object: 'model', owned_by: 'vllm', max_model_len: 8192 });
  });

  it('POST /v1/chat/completions answers in the OpenAI format with usage', async () => {
    const res = await chat({});
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.object).toBe('chat.completion');
    expect(body.model).toBe('sim-model');
    expect(body.choices[0].message).toMatchObject({ role: 'assistant', content: 'Our store opens at 9am on weekdays.' });
    expect(body.choices[0].finish_reason).toBe('stop');
    expect(body.usage.completion_tokens).toBe(8); // Our store opens at 9am on weekdays .
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + 8);
  });

  it('works with the openai SDK, plain and streaming', async () => {
    const client = new OpenAI({ baseURL: sim.url, apiKey: 'EMPTY', maxRetries: 0 });
    const messages = [{ role: 'system' as const, content: SYSTEM }, { role: 'user' as const, content: 'When does the store open?' }];
    const plain = await client.chat.completions.create({ model: 'sim-model', messages, temperature: 0 });
    expect(plain.choices[0]?.message.content).toBe('Our store opens at 9am on weekdays.');
    const stream = await client.chat.completions.create({ model: 'sim-model', messages, temperature: 0, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(plain.choices[0]?.message.content);
    expect(usage?.completion_tokens).toBe(plain.usage?.completion_tokens);
  });

  it('streams SSE data chunks, a usage chunk when asked, then [DONE]', async () => {
    const res = await chat({ stream: true, stream_options: { include_usage: true } });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = (await res.text()).split('\n\n').filter(Boolean);
    expect(events.every((e) => e.startsWith('data: '))).toBe(true);
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)) as any);
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    const usageChunk = chunks.at(-1);
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage.completion_tokens).toBe(8);
    const finish = chunks.at(-2);
    expect(finish.choices[0].finish_reason).toBe('stop');
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
    expect(text).toBe('Our store opens at 9am on weekdays.');
  });

  it('streams without a usage chunk by default', async () => {
    const res = await chat({ stream: true });
    const events = (await res.text()).split('\n\n').filter(Boolean);
    expect(events.some((e) => e.includes('"usage"'))).toBe(false);
  });

  it('POST /tokenize counts prompt and chat tokens, matching usage', async () => {
    const res = await fetch(`${sim.origin}/tokenize`, { method: 'POST', body: JSON.stringify({ model: 'sim-model', prompt: "Hello, world! It's 9am." }) });
    const body = (await res.json()) as { count: number; max_model_len: number; tokens: number[] };
    expect(body.count).toBe(9); // Hello , world ! It ' s 9am .
    expect(body.tokens).toHaveLength(9);
    expect(body.max_model_len).toBe(8192);
    const messages = [{ role: 'system', content: SYSTEM }, { role: 'user', content: 'When does the store open?' }];
    const tok = (await (await fetch(`${sim.origin}/tokenize`, { method: 'POST', body: JSON.stringify({ model: 'sim-model', messages }) })).json()) as { count: number };
    const completion = (await (await chat({ messages })).json()) as any;
    expect(tok.count).toBe(completion.usage.prompt_tokens);
  });

  it('answers 404 with vLLM\'s error body for an unknown model', async () => {
    const res = await chat({ model: 'gpt-x' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { message: 'The model `gpt-x` does not exist.', type: 'NotFoundError', param: null, code: 404 } });
  });

  it('answers 400 BadRequestError for a malformed body or bad parameters', async () => {
    const bad = await fetch(`${sim.url}/chat/completions`, { method: 'POST', body: '{"model": "sim-model", "messages": [' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { type: 'BadRequestError', code: 400 } });
    const temp = await chat({ temperature: 5 });
    expect(temp.status).toBe(400);
    const noMessages = await chat({ messages: [] });
    expect(noMessages.status).toBe(400);
    const tooLong = await chat({ max_tokens: 100_000 });
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as { error: { message: string } }).error.message).toMatch(/maximum context length is 8192/);
  });

  it('counts requests per path and chat outcomes, also over GET /sim/stats', async () => {
    await fetch(`${sim.origin}/health`);
    await (await chat({})).text();
    await (await chat({ model: 'nope' })).text();
    const stats = sim.stats();
    expect(stats.requests['/health']).toBe(1);
    expect(stats.requests['/v1/chat/completions']).toBe(2);
    expect(stats.chatCompletions).toBe(2);
    expect(stats.outcomes).toMatchObject({ ok: 1, rejected: 1, error500: 0 });
    const remote = (await (await fetch(`${sim.origin}/sim/stats`)).json()) as { chatCompletions: number };
    expect(remote.chatCompletions).toBe(2);
    sim.resetStats();
    expect(sim.stats().chatCompletions).toBe(0);
  });
});

describe('simulator options', () => {
  it('answers /tokenize with 404 when tokenize is off', async () => {
    const s = await startSimulator({ tokenize: false });
    try {
      const res = await fetch(`${s.origin}/tokenize`, { method: 'POST', body: JSON.stringify({ model: 'sim-model', prompt: 'hi' }) });
      expect(res.status).toBe(404);
    } finally {
      await s.close();
    }
  });

  it('requires the API key on /v1 routes when one is configured', async () => {
    const s = await startSimulator({ apiKey: 'sk-sim-key', models: ['a', 'b'] });
    try {
      const none = await chat({ model: 'a' }, s.url);
      expect(none.status).toBe(401);
      // vLLM's API-key check answers a bare string, not its ErrorResponse.
      expect(await none.json()).toEqual({ error: 'Unauthorized' });
      const wrong = await chat({ model: 'a' }, s.url, { authorization: 'Bearer nope' });
      expect(wrong.status).toBe(401);
      const right = await chat({ model: 'b' }, s.url, { authorization: 'Bearer sk-sim-key' });
      expect(right.status).toBe(200);
      expect((await fetch(`${s.url}/models`)).status).toBe(401);
      expect((await fetch(`${s.origin}/health`)).status).toBe(200); // like vLLM: /health stays open
    } finally {
      await s.close();
    }
  });

  it('applies latency without changing the answer', async () => {
    sim.setLatency(20);
    try {
      const body = (await (await chat({})).json()) as any;
      expect(body.choices[0].message.content).toBe('Our store opens at 9am on weekdays.');
    } finally {
      sim.setLatency(0);
    }
  });
});

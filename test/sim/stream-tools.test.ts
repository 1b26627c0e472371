import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/sim/server.js';

/**
 * Streamed tool calls, as a user's client reads them: the openai SDK rebuilds each call from the
 * `tool_calls` deltas of the chunks, so the stream must carry them, not only the finish reason.
 */

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ toolCallParser: 'hermes' });
});
afterAll(() => sim.close());

const weather = { type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', required: ['city'], properties: { city: { type: 'string' } } } } };
const booking = { type: 'function' as const, function: { name: 'book_hotel', parameters: { type: 'object', required: ['city'], properties: { city: { type: 'string' } } } } };

describe('streamed tool calls', () => {
  it('the openai SDK rebuilds the same calls from a stream as from a plain answer', async () => {
    const client = new OpenAI({ baseURL: sim.url, apiKey: 'EMPTY', maxRetries: 0 });
    const request = { model: 'sim-model', tools: [weather, booking], messages: [{ role: 'user' as const, content: 'Check the weather in Rome, then book_hotel there' }] };
    const plain = await client.chat.completions.create(request);
    const streamed = await client.chat.completions.stream(request).finalChatCompletion();
    const calls = (m: OpenAI.ChatCompletionMessage | undefined) => (m?.tool_calls ?? []).map((t) => t.type === 'function' && { id: t.id, name: t.function.name, arguments: t.function.arguments });
    expect(calls(plain.choices[0]?.message)).toHaveLength(2);
    expect(calls(streamed.choices[0]?.message)).toEqual(calls(plain.choices[0]?.message).map((c) => c && { ...c, id: expect.any(String) }));
    expect(streamed.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('each call of each of n choices streams under its choice index', async () => {
    const res = await fetch(`${sim.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'sim-model', n: 2, stream: true, tools: [weather], messages: [{ role: 'user', content: 'Weather in Oslo?' }] }),
    });
    const chunks = (await res.text()).split('\n\n').filter((e) => e.startsWith('data: {')).map((e) => JSON.parse(e.slice(6)) as { choices: Array<{ index: number; delta: { tool_calls?: Array<{ function: { name?: string; arguments?: string } }> } }> });
    const named = chunks.flatMap((c) => c.choices.filter((ch) => ch.delta.tool_calls?.[0]?.function.name).map((ch) => [ch.index, ch.delta.tool_calls![0]!.function.name]));
    expect(named).toEqual([[0, 'get_weather'], [1, 'get_weather']]);
  });
});

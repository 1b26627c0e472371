/**
 * Fields of a chat completion that clients read besides the text, checked against what vLLM's
 * OpenAI-compatible server sends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/sim/server.js';

const SYSTEM = 'You are the support assistant for Acme Tools. Our store opens at 9am on weekdays.';
// The answer: "Our store opens at 9am on weekdays." (8 tokens: Our store opens at 9am on weekdays .)

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 1 });
});
afterAll(() => sim.close());

async function chat(extra: Record<string, unknown>): Promise<{ status: number; body: any; text: string }> {
  const res = await fetch(`${sim.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'sim-model', messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: 'When does the store open?' }], temperature: 0, ...extra }),
  });
  const text = await res.text();
  return { status: res.status, text, body: extra.stream ? undefined : JSON.parse(text) };
}

const events = (text: string): any[] =>
  text.split('\n\n').filter((e) => e.startsWith('data: {')).map((e) => JSON.parse(e.slice(6)));

describe('stop_reason', () => {
  it('names the stop string that ended the answer, and is null at a natural end or the length limit', async () => {
    const stopped = (await chat({ stop: ['xyz', ' at'] })).body.choices[0];
    expect(stopped).toMatchObject({ message: { content: 'Our store opens' }, finish_reason: 'stop', stop_reason: ' at' });
    const natural = (await chat({})).body.choices[0];
    expect(natural).toMatchObject({ finish_reason: 'stop', stop_reason: null });
    const cut = (await chat({ max_tokens: 2 })).body.choices[0];
    expect(cut).toMatchObject({ message: { content: 'Our store' }, finish_reason: 'length', stop_reason: null });
  });

  it('the length limit wins when the stop string itself does not fit in max_tokens', async () => {
    // "Our store opens" is 3 tokens, " at" a 4th: max_tokens 3 ends generation before it.
    const c = (await chat({ stop: [' at'], max_tokens: 3 })).body.choices[0];
    expect(c).toMatchObject({ message: { content: 'Our store opens' }, finish_reason: 'length', stop_reason: null });
    expect((await chat({ stop: [' at'], max_tokens: 4 })).body.choices[0]).toMatchObject({ finish_reason: 'stop', stop_reason: ' at' });
  });

  it('rides on the finish chunk of a stream, for every choice', async () => {
    const chunks = events((await chat({ stop: ' at', stream: true, n: 2 })).text);
    const finishes = chunks.filter((c) => c.choices[0]?.finish_reason);
    expect(finishes.map((c) => c.choices[0])).toEqual([
      expect.objectContaining({ index: 0, finish_reason: 'stop', stop_reason: ' at' }),
      expect.objectContaining({ index: 1, finish_reason: 'stop', stop_reason: ' at' }),
    ]);
    // vLLM leaves the unset field out of the other chunks.
    expect(chunks.filter((c) => c.choices[0] && !c.choices[0].finish_reason).every((c) => !('stop_reason' in c.choices[0]))).toBe(true);
  });
});

describe('max_completion_tokens and max_tokens', () => {
  it('max_completion_tokens wins when both are sent, as in vLLM', async () => {
    const c = (await chat({ max_tokens: 6, max_completion_tokens: 2 })).body;
    expect(c.choices[0]).toMatchObject({ message: { content: 'Our store' }, finish_reason: 'length' });
    expect(c.usage.completion_tokens).toBe(2);
    expect((await chat({ max_tokens: 2, max_completion_tokens: 100 })).body.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: 'Our store opens at 9am on weekdays.' } });
  });
});

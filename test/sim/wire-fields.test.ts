/**
 * Fields of a chat completion that clients read besides the text, checked against what vLLM's
 * OpenAI-compatible server sends: stop_reason and the usage of an answer a stop string ended, the
 * text include_stop_str_in_output keeps, the max_completion_tokens / max_tokens precedence,
 * logprobs with top_logprobs (shape and refusals), and the refusal of stream_options without a stream.
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
    const chunks = events((await chat({ stop: ' at', stream: true, n: 2, temperature: 0.001, seed: 1 })).text);
    const finishes = chunks.filter((c) => c.choices[0]?.finish_reason);
    expect(finishes.map((c) => c.choices[0])).toEqual([
      expect.objectContaining({ index: 0, finish_reason: 'stop', stop_reason: ' at' }),
      expect.objectContaining({ index: 1, finish_reason: 'stop', stop_reason: ' at' }),
    ]);
    // vLLM leaves the unset field out of the other chunks.
    expect(chunks.filter((c) => c.choices[0] && !c.choices[0].finish_reason).every((c) => !('stop_reason' in c.choices[0]))).toBe(true);
  });
});

describe('usage of an answer a stop string ended', () => {
  // " 9am on" is 2 tokens the model generated: vLLM drops them from the text, not from usage.
  it('counts the stop string\'s tokens, plain, streamed and per choice', async () => {
    const plain = (await chat({ stop: [' 9am on'] })).body;
    expect(plain.choices[0]).toMatchObject({ message: { content: 'Our store opens at' }, finish_reason: 'stop', stop_reason: ' 9am on' });
    expect(plain.usage).toMatchObject({ completion_tokens: 6, total_tokens: plain.usage.prompt_tokens + 6 });
    const streamed = events((await chat({ stop: [' 9am on'], stream: true, stream_options: { include_usage: true } })).text);
    expect(streamed.at(-1).usage).toEqual(plain.usage);
    expect((await chat({ stop: [' 9am on'], n: 2, temperature: 0.001, seed: 1 })).body.usage.completion_tokens).toBe(12);
  });

  it('never counts more than max_tokens: the stop string counts only when it fits', async () => {
    expect((await chat({ stop: [' 9am on'], max_tokens: 6 })).body).toMatchObject({ choices: [{ finish_reason: 'stop' }], usage: { completion_tokens: 6 } });
    expect((await chat({ stop: [' 9am on'], max_tokens: 5 })).body).toMatchObject({ choices: [{ finish_reason: 'length' }], usage: { completion_tokens: 5 } });
  });
});

describe('include_stop_str_in_output', () => {
  // vLLM keeps the stop string in the text when asked; the tokens generated, so usage, stay the same.
  it('keeps the stop string in the text, plain and streamed, with the same usage', async () => {
    const plain = (await chat({ stop: [' 9am on'], include_stop_str_in_output: true })).body;
    expect(plain.choices[0]).toMatchObject({ message: { content: 'Our store opens at 9am on' }, finish_reason: 'stop', stop_reason: ' 9am on' });
    expect(plain.usage).toMatchObject({ completion_tokens: 6 });
    const streamed = events((await chat({ stop: [' 9am on'], include_stop_str_in_output: true, stream: true })).text);
    expect(streamed.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe('Our store opens at 9am on');
  });

  it('false leaves it out, as by default; the length limit still comes first when the stop string does not fit', async () => {
    expect((await chat({ stop: [' 9am on'], include_stop_str_in_output: false })).body.choices[0].message.content).toBe('Our store opens at');
    const cut = (await chat({ stop: [' 9am on'], include_stop_str_in_output: true, max_tokens: 5 })).body;
    expect(cut.choices[0]).toMatchObject({ message: { content: 'Our store opens at 9am' }, finish_reason: 'length', stop_reason: null });
  });
});

describe('stream_options', () => {
  it.each([{}, { stream: false }])('is refused with 400 without stream: true (%j), as vLLM does', async (extra) => {
    const r = await chat({ ...extra, stream_options: { include_usage: true } });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      error: {
        message: 'Stream options can only be defined when `stream=True`. (parameter=stream_options)',
        type: 'BadRequestError',
        param: null,
        code: 400,
      },
    });
  });

  it('passes when empty or null, as vLLM tests the field for truth', async () => {
    for (const streamOptions of [{}, null]) expect((await chat({ stream_options: streamOptions })).status).toBe(200);
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

describe('logprobs', () => {
  it('logprobs with top_logprobs answers one entry per token, its top list led by the sampled token', async () => {
    const c = (await chat({ logprobs: true, top_logprobs: 3 })).body.choices[0];
    const content = c.logprobs.content as Array<{ token: string; logprob: number; bytes: number[]; top_logprobs: Array<{ token: string; logprob: number; bytes: number[] }> }>;
    expect(content.map((e) => e.token).join('')).toBe(c.message.content);
    expect(content).toHaveLength(8);
    for (const e of content) {
      expect(e.logprob).toBeLessThanOrEqual(0);
      expect(e.bytes).toEqual([...Buffer.from(e.token, 'utf8')]);
      expect(e.top_logprobs).toHaveLength(3);
      expect(e.top_logprobs[0]).toEqual({ token: e.token, logprob: e.logprob, bytes: e.bytes });
      const lps = e.top_logprobs.map((t) => t.logprob);
      expect([...lps].sort((a, b) => b - a)).toEqual(lps);
    }
    // Deterministic: the same request, the same numbers.
    expect((await chat({ logprobs: true, top_logprobs: 3 })).body.choices[0].logprobs).toEqual(c.logprobs);
    expect((await chat({ logprobs: true })).body.choices[0].logprobs.content[0].top_logprobs).toEqual([]);
    expect((await chat({})).body.choices[0].logprobs).toBeNull();
  });

  it("a stream carries each token's entry on its chunk", async () => {
    const chunks = events((await chat({ logprobs: true, top_logprobs: 2, stream: true })).text);
    const withText = chunks.filter((c) => c.choices[0]?.delta?.content);
    expect(withText.length).toBe(8);
    for (const c of withText) expect(c.choices[0].logprobs.content).toEqual([expect.objectContaining({ token: c.choices[0].delta.content })]);
  });

  it.each([
    [{ top_logprobs: 2 }, 'when using `top_logprobs`, `logprobs` must be set to true.'],
    [{ logprobs: true, top_logprobs: 21 }, 'Requested sample logprobs of 21, which is greater than max allowed: 20'],
    [{ logprobs: true, top_logprobs: -2 }, '`top_logprobs` must be a positive value or -1.'],
  ])('refuses %j with 400 as vLLM does', async (extra, message) => {
    const r = await chat(extra);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain(message);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FALLBACK_ANSWER } from '../../src/sim/extractive.js';
import { modelSpecsFromFlags, servedModels } from '../../src/sim/models.js';
import { startSimulator, type Simulator } from '../../src/sim/server.js';

const SYSTEM = 'You are the support assistant for Acme Tools. Our store opens at 9am on weekdays. Returns are accepted within 30 days.';
const QUESTIONS = Array.from({ length: 40 }, (_, i) => (i % 2 ? `When does the store open? (${i})` : `How long are returns accepted? (${i})`));

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({
    models: ['base-a', 'base-b'],
    modelSpecs: [
      { id: 'base-a', root: 'org/model-a-v1' },
      { id: 'base-b', root: 'org/model-b-v2', weakness: 0.5 },
      { id: 'support-lora', parent: 'base-a' },
    ],
  });
});
afterAll(() => sim.close());

async function ask(model: string, user: string, extra: Record<string, unknown> = {}): Promise<any> {
  const res = await fetch(`${sim.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: user }], temperature: 0, ...extra }),
  });
  return { status: res.status, body: await res.json() };
}

describe('simulator: several models and LoRA adapters', () => {
  it('lists base models with their root and adapters with their root and parent, as vLLM does', async () => {
    const body = (await (await fetch(`${sim.url}/models`)).json()) as { data: Array<{ id: string; root: string; parent: string | null }> };
    expect(body.data.map((m) => [m.id, m.root, m.parent])).toEqual([
      ['base-a', 'org/model-a-v1', null],
      ['base-b', 'org/model-b-v2', null],
      ['support-lora', 'adapters/support-lora', 'base-a'],
    ]);
  });

  it('answers every served name, adapters included, and refuses others with 404', async () => {
    for (const m of ['base-a', 'base-b', 'support-lora']) expect((await ask(m, QUESTIONS[0]!)).status).toBe(200);
    expect((await ask('base-c', QUESTIONS[0]!)).status).toBe(404);
  });

  it('a weak model misses the same cases every time, at any seed; others answer them', async () => {
    const missed = async (model: string, seed: number) => {
      const out: number[] = [];
      for (const [i, q] of QUESTIONS.entries()) if ((await ask(model, q, { seed })).body.choices[0].message.content === FALLBACK_ANSWER) out.push(i);
      return out;
    };
    const weak = await missed('base-b', 1);
    expect(weak.length).toBeGreaterThan(8);
    expect(weak.length).toBeLessThan(32);
    expect(await missed('base-b', 99)).toEqual(weak);
    expect(await missed('base-a', 1)).toEqual([]);
  });
});

describe('simulator: n choices', () => {
  it('answers n choices from one request, counting the prompt once', async () => {
    sim.resetStats();
    const one = await ask('base-a', QUESTIONS[0]!, { temperature: 1, seed: 5 });
    const many = await ask('base-a', QUESTIONS[0]!, { temperature: 1, seed: 5, n: 4 });
    expect(many.body.choices.map((c: any) => c.index)).toEqual([0, 1, 2, 3]);
    expect(many.body.usage.prompt_tokens).toBe(one.body.usage.prompt_tokens);
    const sum = many.body.choices.reduce((n: number, c: any) => n + c.message.content.match(/\w+|[^\w\s]/g).length, 0);
    expect(many.body.usage.completion_tokens).toBe(sum);
    expect(sim.stats().promptTokens).toBe(2 * one.body.usage.prompt_tokens);
    expect(sim.stats().choices).toBe(5);
  });

  it('choice i equals a separate request with seed + i', async () => {
    const many = await ask('base-a', QUESTIONS[1]!, { temperature: 1.2, seed: 10, n: 6 });
    for (let i = 0; i < 6; i++) {
      const single = await ask('base-a', QUESTIONS[1]!, { temperature: 1.2, seed: 10 + i });
      expect(many.body.choices[i].message.content).toBe(single.body.choices[0].message.content);
    }
  });

  it('streams every choice under its index, then one usage chunk', async () => {
    const res = await fetch(`${sim.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'base-a', n: 2, seed: 3, temperature: 0.001, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: QUESTIONS[1] }] }),
    });
    const chunks = (await res.text()).split('\n\n').filter((e) => e.startsWith('data: {')).map((e) => JSON.parse(e.slice(6)));
    const text = [0, 1].map((i) => chunks.flatMap((c: any) => c.choices.filter((ch: any) => ch.index === i).map((ch: any) => ch.delta.content ?? '')).join(''));
    expect(text).toEqual(['Our store opens at 9am on weekdays.', 'Our store opens at 9am on weekdays.']);
    expect(chunks.at(-1).usage.completion_tokens).toBe(16);
  });

  it('refuses a bad n with 400', async () => {
    expect((await ask('base-a', 'hi', { n: 0 })).status).toBe(400);
  });

  // vllm/sampling_params.py _verify_greedy_sampling: greedy decoding would answer one text n times.
  it('refuses n > 1 at temperature 0 with vLLM\'s 400; takes it sampled, or without a temperature (1.0)', async () => {
    const greedy = await ask('base-a', QUESTIONS[0]!, { n: 2 });
    expect(greedy.status).toBe(400);
    expect(greedy.body).toMatchObject({ error: { message: 'n must be 1 when using greedy sampling, got 2.', type: 'BadRequestError', code: 400 } });
    expect((await ask('base-a', QUESTIONS[0]!, { n: 1 })).status).toBe(200);
    expect((await ask('base-a', QUESTIONS[0]!, { n: 2, temperature: 0.5 })).status).toBe(200);
    expect((await ask('base-a', QUESTIONS[0]!, { n: 2, temperature: undefined })).status).toBe(200);
  });
});

describe('model specs', () => {
  it('reads the flags', () => {
    expect(modelSpecsFromFlags({ model: ['a=org/a', 'b'], adapter: ['l=a@/loras/l'], weakness: ['b=0.2'] })).toEqual({
      names: ['a', 'b'],
      specs: [{ id: 'a', root: 'org/a' }, { id: 'l', parent: 'a', root: '/loras/l' }, { id: 'b', weakness: 0.2 }],
    });
  });
  it('refuses an adapter on an unknown base and a weakness out of range', () => {
    expect(() => servedModels(['a'], [{ id: 'l', parent: 'x' }])).toThrow(/base model x/);
    expect(() => servedModels(['a'], [{ id: 'a', weakness: 2 }])).toThrow(/weakness/);
    expect(() => servedModels(['a'], [{ id: 'z', weakness: 0.1 }])).toThrow(/not served/);
  });
});

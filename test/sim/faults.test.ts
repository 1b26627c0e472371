import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/sim/server.js';
import { pickFault } from '../../src/sim/faults.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ retryAfterSeconds: 3 });
});
afterAll(() => sim.close());
afterEach(() => {
  sim.setFaults({});
  sim.resetStats();
});

function chat(s: Simulator = sim, signal?: AbortSignal): Promise<Response> {
  return fetch(`${s.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'sim-model', messages: [{ role: 'user', content: 'hello' }], temperature: 0 }),
    signal,
  });
}

describe('fault injection at rate 1.0', () => {
  it('500 carries vLLM\'s error body', async () => {
    sim.setFaults({ error500: 1 });
    const res = await chat();
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ error: { type: 'InternalServerError', param: null, code: 500 } });
    expect(sim.stats().outcomes.error500).toBe(1);
  });

  it('429 carries Retry-After', async () => {
    sim.setFaults({ rate429: 1 });
    const res = await chat();
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(await res.json()).toMatchObject({ error: { code: 429 } });
    expect(sim.stats().outcomes.rate429).toBe(1);
  });

  it('hang never answers until the client gives up', async () => {
    sim.setFaults({ hang: 1 });
    await expect(chat(sim, AbortSignal.timeout(150))).rejects.toThrow();
    expect(sim.stats().outcomes.hang).toBe(1);
  });

  it('close() destroys hung sockets', async () => {
    const s = await startSimulator({ faults: { hang: 1 } });
    const pending = chat(s).then(
      () => 'answered',
      () => 'failed',
    );
    // Wait until the simulator has the request, then close: the hung socket must not block close().
    while (s.stats().outcomes.hang === 0) await new Promise((r) => setTimeout(r, 5));
    await s.close();
    expect(await pending).toBe('failed');
  });

  it('reset destroys the socket', async () => {
    sim.setFaults({ reset: 1 });
    await expect(chat()).rejects.toThrow(/fetch failed/);
    expect(sim.stats().outcomes.reset).toBe(1);
  });

  it('truncated sends 200 with a cut-off JSON body', async () => {
    sim.setFaults({ truncated: 1 });
    const res = await chat();
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.startsWith('{"id":"chatcmpl-')).toBe(true);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(sim.stats().outcomes.truncated).toBe(1);
  });

  it('garbage sends 200 with a body that is not JSON', async () => {
    sim.setFaults({ garbage: 1 });
    const res = await chat();
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError);
    expect(sim.stats().outcomes.garbage).toBe(1);
  });

  it('faults apply only to chat completions', async () => {
    sim.setFaults({ error500: 1, reset: 1 });
    expect((await fetch(`${sim.origin}/health`)).status).toBe(200);
    expect((await fetch(`${sim.url}/models`)).status).toBe(200);
  });

  it('rate 0 never faults, and rates are validated', async () => {
    sim.setFaults({ error500: 0, hang: 0 });
    for (let i = 0; i < 5; i++) expect((await chat()).status).toBe(200);
    expect(sim.stats().outcomes.ok).toBe(5);
    expect(() => sim.setFaults({ reset: 2 })).toThrow(RangeError);
  });

  it('can be set from another process through POST /sim/config', async () => {
    const res = await fetch(`${sim.origin}/sim/config`, { method: 'POST', body: JSON.stringify({ faults: { error500: 1 } }) });
    expect(res.status).toBe(200);
    expect((await chat()).status).toBe(500);
  });

  it('POST /sim/config refuses (400, nothing changed) what it would ignore: misspelt kinds and keys, a latency as text', async () => {
    const post = (body: string) => fetch(`${sim.origin}/sim/config`, { method: 'POST', body });
    for (const body of ['{"faults":{"eror500":1}}', '{"latency":500}', '{"latencyMs":"500"}', '{"latencyMs":-1}', '{"faults":"error500"}', 'null', '[]', '{"faults":{"error500":1},"latencyMs":"x"}']) {
      const res = await post(body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(((await res.json()) as { error: { message: string } }).error.message).not.toMatch(/Cannot read/);
    }
    expect(((await (await post('{}')).json()) as { faults: unknown; latencyMs: number })).toEqual({ faults: {}, latencyMs: 0 });
    expect(() => sim.setFaults({ eror500: 1 } as never)).toThrow(/unknown fault kind eror500/);
  });
});

describe('pickFault', () => {
  it('walks the cumulative rates in a fixed order', () => {
    const rates = { error500: 0.25, rate429: 0.25, truncated: 0.5 };
    expect(pickFault(rates, 0.1)).toBe('error500');
    expect(pickFault(rates, 0.3)).toBe('rate429');
    expect(pickFault(rates, 0.9)).toBe('truncated');
    expect(pickFault({}, 0.5)).toBeNull();
    expect(pickFault({ hang: 1 }, 0.999)).toBe('hang');
  });

  it('a seeded simulator draws the same faults in the same order', async () => {
    const run = async (): Promise<number[]> => {
      const s = await startSimulator({ seed: 42, faults: { error500: 0.5 } });
      try {
        const out: number[] = [];
        for (let i = 0; i < 12; i++) out.push((await chat(s)).status);
        return out;
      } finally {
        await s.close();
      }
    };
    const a = await run();
    expect(await run()).toEqual(a);
    expect(a).toContain(500);
    expect(a).toContain(200);
  });

  it('faultsAfter answers the first n chat completions normally (a server that dies mid-run)', async () => {
    const s = await startSimulator({ faults: { error500: 1 }, faultsAfter: 3 });
    try {
      const out: number[] = [];
      for (let i = 0; i < 5; i++) out.push((await chat(s)).status);
      expect(out).toEqual([200, 200, 200, 500, 500]);
      s.resetStats(); // counts from the start, not from the last reset
      expect((await chat(s)).status).toBe(500);
    } finally {
      await s.close();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/core/errors.js';
import { CircuitOpenError, CompletionError, createModelClient } from '../../src/infra/model/index.js';
import { startSimulator } from '../../src/sim/server.js';
import { caught, deadUrl, options, REQ, sim, useSimulator } from './harness.js';

useSimulator();

describe('preflight', () => {
  it('passes and lists the served models', async () => {
    const client = createModelClient(options());
    expect(await client.preflight('sim-model')).toEqual({ models: ['sim-model'], root: 'sim-model' });
  });

  it('server down: UnavailableError, exit 3, naming the URL and the cause', async () => {
    const url = await deadUrl();
    const e = await caught(createModelClient(options({ baseUrls: [url] })).preflight('sim-model'));
    expect(e).toBeInstanceOf(UnavailableError);
    const err = e as UnavailableError;
    expect(err.exitCode).toBe(3);
    expect(err.message).toContain(url);
    expect(err.message).toMatch(/connection refused/);
    expect(err.hint).toMatch(/start the server|base_url/i);
  });

  it('model not served: lists the served models and the fix', async () => {
    const e = (await caught(createModelClient(options()).preflight('llama-3'))) as UnavailableError;
    expect(e).toBeInstanceOf(UnavailableError);
    expect(e.message).toContain('"llama-3"');
    expect(e.why).toContain('sim-model');
    expect(e.hint).toMatch(/sim-model wherever "llama-3" is set \(server\.model, server\.models, server\.judge_model, defaults\.model or environments\[\]\.model in \.promptrc\.yaml, a version's model\.model, or --model or id@version:model on the command line\) — the name vLLM was started with via --served-model-name/);
  });
});

describe('complete', () => {
  it('returns the output, tokens, latency and replica', async () => {
    const r = await createModelClient(options()).complete(REQ);
    expect(r).toMatchObject({ output: 'Our store opens at 9am on weekdays.', finishReason: 'stop', replica: sim.url, attempts: 1, tokensOut: 8 });
    expect(r.tokensIn).toBeGreaterThan(0);
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('retries a 500 and then succeeds', async () => {
    sim.setFaults({ error500: 1 });
    const opts = options({
      sleep: async () => sim.setFaults({}), // the server recovers during the backoff
    });
    const r = await createModelClient(opts).complete(REQ);
    expect(r.attempts).toBe(2);
    expect(sim.stats().outcomes).toMatchObject({ error500: 1, ok: 1 });
  });

  it('uses exponential backoff with full jitter between retries', async () => {
    sim.setFaults({ error500: 1 });
    const opts = options({ retries: { max_attempts: 4, base_delay_ms: 100, max_delay_ms: 300 } });
    const e = (await caught(createModelClient(opts).complete(REQ))) as CompletionError;
    expect(e).toBeInstanceOf(CompletionError);
    expect(e).toMatchObject({ transient: true, status: 500, attempts: 4 });
    expect(e.message).toMatch(/injected an internal server error/);
    expect(opts.sleeps).toEqual([50, 100, 150]); // random 0.5 * min(300, 100 * 2^n)
  });

  it('429 honours Retry-After, even above max_delay_ms', async () => {
    sim.setFaults({ rate429: 1 });
    const opts = options({ retries: { max_attempts: 2, base_delay_ms: 100, max_delay_ms: 1_000 } });
    const e = (await caught(createModelClient(opts).complete(REQ))) as CompletionError;
    expect(e).toMatchObject({ transient: true, status: 429, attempts: 2 });
    expect(opts.sleeps).toEqual([7_000]);
  });

  it('does not retry a 400', async () => {
    const opts = options();
    const e = (await caught(createModelClient(opts).complete({ ...REQ, temperature: 5 }))) as CompletionError;
    expect(e).toBeInstanceOf(CompletionError);
    expect(e).toMatchObject({ transient: false, status: 400, attempts: 1 });
    expect(e.message).toMatch(/temperature/);
    expect(opts.sleeps).toEqual([]);
    expect(sim.stats().chatCompletions).toBe(1);
  });

  it('retries a truncated body and a reset connection', async () => {
    for (const fault of ['truncated', 'reset'] as const) {
      sim.setFaults({ [fault]: 1 });
      const r = await createModelClient(options({ sleep: async () => sim.setFaults({}) })).complete(REQ);
      expect(r.attempts, fault).toBe(2);
    }
  });

  it('times out on a hung server, retries, then fails as transient', async () => {
    sim.setFaults({ hang: 1 });
    // Room for each attempt to reach the in-process simulator before it times out on a loaded machine
    // (at 150 ms, a CI run beside another suite timed an attempt out before the simulator saw it, and
    // that request reached it during the next test).
    const opts = options({ timeoutMs: 1000, retries: { max_attempts: 2, base_delay_ms: 1, max_delay_ms: 1 } });
    const e = (await caught(createModelClient(opts).complete(REQ))) as CompletionError;
    expect(e).toMatchObject({ transient: true, transport: true, attempts: 2 });
    expect(e.message).toMatch(/timeout/);
    expect(sim.stats().outcomes.hang).toBe(2);
  });

  it('opens the circuit after N transport failures and stops sending', async () => {
    sim.setFaults({ reset: 1 });
    const client = createModelClient(options({ breakerThreshold: 3, retries: { max_attempts: 2, base_delay_ms: 1, max_delay_ms: 1 } }));
    for (let i = 0; i < 3; i++) {
      expect(client.circuitOpen).toBe(false);
      expect(await caught(client.complete(REQ))).toBeInstanceOf(CompletionError);
    }
    expect(client.circuitOpen).toBe(true);
    expect(sim.stats().chatCompletions).toBe(6);
    const e = await caught(client.complete(REQ));
    expect(e).toBeInstanceOf(CircuitOpenError);
    expect((e as CircuitOpenError).exitCode).toBe(3);
    expect(sim.stats().chatCompletions).toBe(6); // nothing more was sent
  });

  it('a success resets the breaker count', async () => {
    const client = createModelClient(options({ breakerThreshold: 2, retries: { max_attempts: 1, base_delay_ms: 1, max_delay_ms: 1 } }));
    sim.setFaults({ reset: 1 });
    await caught(client.complete(REQ));
    sim.setFaults({});
    await client.complete(REQ);
    sim.setFaults({ reset: 1 });
    await caught(client.complete(REQ));
    expect(client.circuitOpen).toBe(false);
  });

  it('counts requests that end in 5xx after their retries, and stops sending', async () => {
    // A key-checking proxy in front of a dead vLLM answers 5xx to everything: the server is down.
    sim.setFaults({ error500: 1 });
    const client = createModelClient(options({ breakerThreshold: 3, retries: { max_attempts: 2, base_delay_ms: 1, max_delay_ms: 1 } }));
    for (let i = 0; i < 3; i++) {
      expect(client.circuitOpen).toBe(false);
      expect(await caught(client.complete(REQ))).toMatchObject({ status: 500, attempts: 2 });
    }
    expect(client.circuitOpen).toBe(true);
    const e = (await caught(client.complete(REQ))) as CircuitOpenError;
    expect(e).toBeInstanceOf(CircuitOpenError);
    expect(e.exitCode).toBe(3);
    expect(e.message).toContain(sim.url);
    expect(e.message).toMatch(/injected an internal server error/);
    expect(sim.stats().chatCompletions).toBe(6); // nothing more was sent
  });

  it('a 5xx that a retry recovers resets the count; a 400 does not count; a 429 after every retry counts like a 5xx', async () => {
    let onSleep = (): void => {};
    const client = createModelClient(options({ breakerThreshold: 2, retries: { max_attempts: 2, base_delay_ms: 1, max_delay_ms: 1 }, sleep: async () => onSleep() }));
    sim.setFaults({ error500: 1 });
    await caught(client.complete(REQ)); // 1 in a row
    onSleep = () => sim.setFaults({}); // the server recovers during the backoff
    expect((await client.complete(REQ)).attempts).toBe(2); // 0 in a row
    onSleep = () => {};
    sim.setFaults({ error500: 1 });
    await caught(client.complete(REQ)); // 1 in a row
    expect(client.circuitOpen).toBe(false);
    sim.setFaults({});
    expect(await caught(client.complete({ ...REQ, temperature: 5 }))).toMatchObject({ status: 400 });
    expect(client.circuitOpen).toBe(false); // the 400 neither counted nor reset
    sim.setFaults({ rate429: 1 });
    expect(await caught(client.complete(REQ))).toMatchObject({ status: 429 }); // 2 in a row
    expect(client.circuitOpen).toBe(true);
  });

  it('spreads requests over two replicas', async () => {
    const other = await startSimulator();
    try {
      const client = createModelClient(options({ baseUrls: [sim.url, other.url] }));
      const sequential = [];
      for (let i = 0; i < 4; i++) sequential.push((await client.complete(REQ)).replica);
      expect(sequential).toEqual([sim.url, other.url, sim.url, other.url]);
      const concurrent = await Promise.all(Array.from({ length: 8 }, () => client.complete(REQ)));
      expect(new Set(concurrent.map((r) => r.replica))).toEqual(new Set([sim.url, other.url]));
      expect(sim.stats().outcomes.ok).toBe(6);
      expect(other.stats().outcomes.ok).toBe(6);
      expect(await client.preflight('sim-model')).toEqual({ models: ['sim-model'], root: 'sim-model' });
    } finally {
      await other.close();
    }
  });

  it('stops when the caller aborts', async () => {
    sim.setFaults({ hang: 1 });
    const ac = new AbortController();
    const p = createModelClient(options()).complete(REQ, ac.signal);
    while (sim.stats().outcomes.hang === 0) await new Promise((r) => setTimeout(r, 5));
    ac.abort(new Error('run cancelled'));
    await expect(p).rejects.toThrow('run cancelled');
  });
});

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/core/errors.js';
import { createModelClient } from '../../src/infra/model/index.js';
import { mixedWeights } from '../../src/infra/model/preflight-replicas.js';
import { startSimulator, type Simulator } from '../../src/sim/server.js';
import { caught, deadUrl, options, REQ, sim, useSimulator } from './harness.js';

/**
 * Several replicas: one that is down at the start, or dies during a run, is left out and its
 * requests are retried on another; a cool-down later, one probe request tests it again. The clock
 * is a variable the tests move, so no test waits for a cool-down.
 */

useSimulator();

const COOLDOWN = 1_000;
const twoAttempts = { max_attempts: 2, base_delay_ms: 1, max_delay_ms: 1 };

async function withSecond<T>(fn: (other: Simulator) => Promise<T>): Promise<T> {
  const other = await startSimulator();
  try {
    return await fn(other);
  } finally {
    await other.close();
  }
}

describe('preflight over replicas', () => {
  it('passes while one replica serves the model, naming each excluded replica once', async () => {
    const dead = await deadUrl();
    const client = createModelClient(options({ baseUrls: [dead, sim.url] }));
    const first = await client.preflight('sim-model');
    expect(first.models).toEqual(['sim-model']);
    expect(first.warnings).toHaveLength(1);
    expect(first.warnings![0]).toContain(dead);
    expect(first.warnings![0]).toMatch(/excluded.*connection refused/);
    expect((await client.preflight('sim-model')).warnings).toBeUndefined(); // a second model: not named again
  });

  it('all replicas down: exit 3 naming every one', async () => {
    const [a, b] = [await deadUrl(), await deadUrl()];
    const e = (await caught(createModelClient(options({ baseUrls: [a, b] })).preflight('sim-model'))) as UnavailableError;
    expect(e).toBeInstanceOf(UnavailableError);
    expect(e.exitCode).toBe(3);
    expect(e.message).toContain(a);
    expect(e.message).toContain(b);
  });

  it('replicas serving different weights under one name (a rolling upgrade): exit 3 naming each replica and its root', async () => {
    const [v1, v2] = [await startSimulator({ modelSpecs: [{ id: 'sim-model', root: 'org/sim-7b-v1' }] }), await startSimulator({ modelSpecs: [{ id: 'sim-model', root: 'org/sim-7b-v2' }] })];
    try {
      const e = (await caught(createModelClient(options({ baseUrls: [v1.url, v2.url] })).preflight('sim-model'))) as UnavailableError;
      expect(e).toBeInstanceOf(UnavailableError);
      expect(e.exitCode).toBe(3);
      expect(e.message).toBe(`The replicas in server.base_url serve different weights under "sim-model": ${v1.url} serves root org/sim-7b-v1; ${v2.url} serves root org/sim-7b-v2.`);
      expect(e.hint).toContain('Finish the rollout');
      // The same weights on every replica: one root for the run, as before.
      expect(await createModelClient(options({ baseUrls: [v1.url, v1.url] })).preflight('sim-model')).toEqual({ models: ['sim-model'], root: 'org/sim-7b-v1' });
    } finally {
      await Promise.all([v1.close(), v2.close()]);
    }
  });

  it('names replicas without the credentials their URL carries', () => {
    const d = mixedWeights('m', [
      { baseUrl: 'http://user:secret@10.0.0.1:8000/v1', as: { root: 'org/a' } },
      { baseUrl: 'http://10.0.0.2:8000/v1', as: {} },
    ]);
    expect(d?.message).toBe('The replicas in server.base_url serve different weights under "m": http://10.0.0.1:8000/v1 serves root org/a; http://10.0.0.2:8000/v1 serves no root.');
    expect(mixedWeights('m', [{ baseUrl: 'http://a/v1', as: { root: 'm' } }, { baseUrl: 'http://b/v1', as: { root: 'm' } }])).toBeUndefined();
  });

  it('a replica excluded at preflight gets no requests', async () => {
    const dead = await deadUrl();
    const client = createModelClient(options({ baseUrls: [dead, sim.url], retries: { max_attempts: 1, base_delay_ms: 1, max_delay_ms: 1 }, clock: { now: () => 0, date: () => new Date(0) } }));
    await client.preflight('sim-model');
    // With one attempt and no retry, any request sent to the dead replica would fail.
    const results = await Promise.all(Array.from({ length: 10 }, () => client.complete(REQ)));
    expect(results.every((r) => r.replica === sim.url)).toBe(true);
  });

  it('a proxy answering 502 in front of a dead replica is excluded too', async () => {
    const proxy = createServer((req, res) => {
      req.resume();
      res.writeHead(502, { 'content-type': 'text/plain' }).end('Bad Gateway');
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/v1`;
    try {
      const { warnings } = await createModelClient(options({ baseUrls: [url, sim.url] })).preflight('sim-model');
      expect(warnings).toEqual([expect.stringMatching(/excluded.*502/)]);
      expect(warnings![0]).toContain(url);
    } finally {
      await new Promise((r) => proxy.close(r));
    }
  });
});

describe('replicas during a run', () => {
  it('a dead replica is ejected after its first failure and retries go to the other', async () => {
    const dead = await deadUrl();
    const client = createModelClient(options({ baseUrls: [dead, sim.url], retries: twoAttempts, clock: { now: () => 0, date: () => new Date(0) }, replicaCooldownMs: COOLDOWN }));
    // Concurrent: the dead replica fails at once, so by load alone it would draw every retry.
    const results = await Promise.all(Array.from({ length: 20 }, () => client.complete(REQ)));
    expect(results.every((r) => r.replica === sim.url)).toBe(true);
    expect(sim.stats().outcomes.ok).toBe(20);
    // Sequential, after the first failures: nothing more goes to the dead replica.
    for (let i = 0; i < 6; i++) expect(await client.complete(REQ)).toMatchObject({ replica: sim.url, attempts: 1 });
  });

  it('a replica that starts answering 500 is left out for the cool-down, then probed once', async () => {
    await withSecond(async (other) => {
      let now = 0;
      const client = createModelClient(options({ baseUrls: [other.url, sim.url], retries: twoAttempts, clock: { now: () => now, date: () => new Date(now) }, replicaCooldownMs: COOLDOWN }));
      other.setFaults({ error500: 1 });
      for (let i = 0; i < 8; i++) expect((await client.complete(REQ)).replica).toBe(sim.url);
      expect(other.stats().outcomes.error500).toBe(1); // once, then ejected

      now += COOLDOWN; // the cool-down is over: one probe, still failing, retried on the healthy one
      const probed = await Promise.all(Array.from({ length: 4 }, () => client.complete(REQ)));
      expect(probed.every((r) => r.replica === sim.url)).toBe(true);
      expect(other.stats().outcomes.error500).toBe(2);

      now += COOLDOWN; // it recovered: the probe succeeds and it takes traffic again
      other.setFaults({});
      const seen = new Set<string>();
      for (let i = 0; i < 4; i++) seen.add((await client.complete(REQ)).replica);
      expect(seen).toEqual(new Set([other.url, sim.url]));
    });
  });

  it('a probe that finds its replica still down costs the request no attempt', async () => {
    const dead = await deadUrl();
    let now = 0;
    // One attempt, no retries: only a free probe lets every request through.
    const client = createModelClient(options({ baseUrls: [dead, sim.url], retries: { max_attempts: 1, base_delay_ms: 1, max_delay_ms: 1 }, clock: { now: () => now, date: () => new Date(now) }, replicaCooldownMs: COOLDOWN }));
    await client.preflight('sim-model');
    for (let i = 0; i < 3; i++) {
      now += COOLDOWN; // every request finds the dead replica due for a probe
      const seen = [];
      for (let k = 0; k < 2; k++) seen.push(await client.complete(REQ));
      expect(seen.map((r) => [r.replica, r.attempts])).toEqual([[sim.url, 1], [sim.url, 1]]);
    }
  });

  it('a replica answering 429 waits out its Retry-After alone: retries go to the other at once, first attempts too until the wait is over', async () => {
    await withSecond(async (other) => {
      let now = 0;
      const opts = options({ baseUrls: [other.url, sim.url], clock: { now: () => now, date: () => new Date(now) }, replicaCooldownMs: COOLDOWN });
      const client = createModelClient(opts);
      other.setFaults({ rate429: 1 }); // Retry-After: 7 s
      const concurrent = await Promise.all(Array.from({ length: 10 }, () => client.complete(REQ)));
      expect(concurrent.every((r) => r.replica === sim.url)).toBe(true);
      const throttled = other.stats().outcomes.rate429;
      for (let i = 0; i < 6; i++) expect(await client.complete(REQ)).toMatchObject({ replica: sim.url, attempts: 1 });
      expect(other.stats().outcomes.rate429).toBe(throttled);
      // No request waited: the pause was the throttled replica's.
      expect(opts.sleeps).toEqual([]);

      now += 7_000; // its wait is over: one probe, and it serves again
      other.setFaults({});
      const seen = new Set<string>();
      for (let i = 0; i < 4; i++) seen.add((await client.complete(REQ)).replica);
      expect(seen).toEqual(new Set([other.url, sim.url]));
    });
  });

  it('with a single replica, a retry still goes back to it', async () => {
    sim.setFaults({ error500: 1 });
    const client = createModelClient(options({ retries: twoAttempts, clock: { now: () => 0, date: () => new Date(0) }, sleep: async () => sim.setFaults({}) }));
    expect(await client.complete(REQ)).toMatchObject({ replica: sim.url, attempts: 2 });
    expect(await client.complete(REQ)).toMatchObject({ replica: sim.url, attempts: 1 });
  });
});

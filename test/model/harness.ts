import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { ModelClientOptions } from '../../src/infra/model/index.js';
import { startSimulator, type Simulator } from '../../src/sim/server.js';

/** What the model-client tests share: one simulator per file, a plain request, and client options. */

export const SYSTEM = 'You are the support assistant for Acme Tools. Our store opens at 9am on weekdays.';
export const REQ = {
  model: 'sim-model',
  messages: [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: 'When does the store open?' },
  ],
  temperature: 0,
};

/** The file's simulator (a live binding, set before the tests run). */
export let sim: Simulator;

/** Starts the simulator for the calling test file and resets its faults and counters after each test. */
export function useSimulator(): void {
  beforeAll(async () => {
    sim = await startSimulator({ retryAfterSeconds: 7 });
  });
  afterAll(() => sim.close());
  afterEach(() => {
    sim.setFaults({});
    sim.resetStats();
  });
}

/** Options with a recording no-op sleep, so retries cost no wall time. */
export function options(over: Partial<ModelClientOptions> = {}): ModelClientOptions & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    baseUrls: [sim.url],
    timeoutMs: 5_000,
    retries: { max_attempts: 3, base_delay_ms: 100, max_delay_ms: 1_000 },
    breakerThreshold: 5,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    sleeps,
    ...over,
  };
}

/** A port nothing listens on: bind, read the port, close. */
export async function deadUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}/v1`;
}

export async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

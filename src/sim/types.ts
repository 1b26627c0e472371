/** Public shapes of the vLLM simulator. */
import type { FaultRates } from './faults.js';
import type { NoiseOptions } from './noise.js';
import type { ModelSpec } from './models.js';

export type { FaultRates } from './faults.js';
export type { NoiseOptions } from './noise.js';
export type { ModelSpec } from './models.js';

export interface SimOptions {
  /** Interface to bind; tests always use the default 127.0.0.1. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Served model names (vLLM --served-model-name); default ['sim-model']. */
  models?: string[];
  /** Roots, LoRA adapters and weaknesses of served models (models.ts); adapters are served too. */
  modelSpecs?: ModelSpec[];
  /** Delay before every chat completion answer. */
  latencyMs?: number;
  faults?: FaultRates;
  /** Answer this many chat completions normally before faults apply (a server that dies mid-run); default 0. */
  faultsAfter?: number;
  /** Value of the Retry-After header on 429 faults; default 1. */
  retryAfterSeconds?: number;
  /** Seeds fault draws and unseeded sampling; default 0. */
  seed?: number;
  /** false => POST /tokenize answers 404, like a server without the endpoint; default true. */
  tokenize?: boolean;
  /** When set, /v1/* requires `Authorization: Bearer <apiKey>` (like vLLM --api-key). */
  apiKey?: string;
  /** Context window reported by /v1/models and enforced on requests; default 8192. */
  maxModelLen?: number;
  /** vLLM --enable-auto-tool-choice --tool-call-parser NAME: set, requests with tools get tool calls (tools.ts); unset, "auto" tool choice is refused with vLLM's 400. */
  toolCallParser?: string;
  /** Seeded noise mode (noise.ts): noisy verdicts, latency jitter and a busy phase. Absent: off. */
  noise?: NoiseOptions;
}

export interface ChatOutcomes {
  ok: number;
  error500: number;
  rate429: number;
  hang: number;
  reset: number;
  truncated: number;
  garbage: number;
  noUsage: number;
  contentParts: number;
  contentObject: number;
  /** 4xx answers: bad body, unknown model, missing API key. */
  rejected: number;
}

export interface SimStats {
  /** Requests received per path (unknown paths are counted under "other"). */
  requests: Record<string, number>;
  /** POST /v1/chat/completions requests received. */
  chatCompletions: number;
  outcomes: ChatOutcomes;
  /** Prompt tokens prefilled by answered chat completions (once per request, whatever its `n`). */
  promptTokens: number;
  /** Choices answered (a request with `n: 5` answers 5). */
  choices: number;
}

/** What Simulator.timing() reports. */
export interface ChatTiming {
  firstChatArrivedAt?: number;
  lastAnswerSentAt?: number;
}

export interface Simulator {
  /** Base URL for OpenAI clients: http://127.0.0.1:PORT/v1 */
  url: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  port: number;
  stats(): SimStats;
  /**
   * When (performance.now() of this process) the first chat completion arrived and the last
   * successful answer was sent, since start or resetStats(). Benchmarks in the same process use
   * it to measure a client's fixed cost from the server side.
   */
  timing(): ChatTiming;
  resetStats(): void;
  setFaults(f: FaultRates): void;
  setLatency(ms: number): void;
  /** Changes the key /v1/* requires (undefined: none), e.g. to revoke a key in the middle of a run. */
  setApiKey(key: string | undefined): void;
  /** Noise mode only: start (true) or end (false) a busy phase that slows every answer. */
  setBusy(busy: boolean): void;
  /** Stop listening and destroy every open socket, hung ones included. */
  close(): Promise<void>;
}

export function emptyStats(): SimStats {
  return {
    requests: {},
    chatCompletions: 0,
    promptTokens: 0,
    choices: 0,
    outcomes: { ok: 0, error500: 0, rate429: 0, hang: 0, reset: 0, truncated: 0, garbage: 0, noUsage: 0, contentParts: 0, contentObject: 0, rejected: 0 },
  };
}

/** Public shapes of the model client (the vLLM OpenAI-compatible API through the openai SDK). */
import type { Clock } from '../clock.js';

export interface RetryPolicy {
  max_attempts: number;
  base_delay_ms: number;
  max_delay_ms: number;
}

export interface ModelClientOptions {
  /** Each ends in /v1 (vLLM's OpenAI-compatible API). Several = replicas, load-balanced. */
  baseUrls: string[];
  /** From the env var the config names; never put in any message, error or log. */
  apiKey?: string;
  /** Name of that env var (server.api_key_env), for hints when the server refuses the key. */
  apiKeyEnv?: string;
  timeoutMs: number;
  retries: RetryPolicy;
  /**
   * Consecutive requests that failed for good (after retries) because the server could not serve
   * (a transport failure or 5xx, or a 429 or an unreadable body that outlasted every retry) that
   * open the circuit.
   */
  breakerThreshold: number;
  /** How long a replica that failed (transport or 5xx) gets no traffic; default 5 s. */
  replicaCooldownMs?: number;
  /** Injectable for tests; the default pause ends, timer and all, when the request's signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * Replica cool-downs and request latency, in ms, the date a Retry-After names, and with `after`
   * the pause before a retry (default: the system clock). A request's timeout and the preflight's
   * deadlines stay on real time: they bound how long a server may take to answer.
   */
  clock?: Pick<Clock, 'now' | 'date'> & Partial<Pick<Clock, 'after'>>;
  /** Jitter source in [0, 1). */
  random?: () => number;
}

export interface ChatMessage {
  role: string;
  content: string;
}

/** A tool call as sent back in the assistant turn that made it (OpenAI's wire shape). */
export interface WireToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** Messages of a conversation with tools: the assistant turn that called them, and each tool's result. */
export type RequestMessage = ChatMessage | { role: 'assistant'; content: string | null; tool_calls: WireToolCall[] } | { role: 'tool'; tool_call_id: string; content: string };

export interface CompletionRequest {
  model: string;
  messages: RequestMessage[];
  temperature?: number;
  max_tokens?: number;
  top_p?: number;
  seed?: number;
  stop?: string | string[];
  presence_penalty?: number;
  frequency_penalty?: number;
  response_format?: unknown;
  /** vLLM's structured outputs (json / regex / choice / grammar). */
  structured_outputs?: unknown;
  tools?: unknown[];
  tool_choice?: unknown;
  /** vLLM sampling parameters, sent at the top level of the body as the openai clients' extra_body does. */
  extra_body?: Record<string, unknown>;
  /** Several samples from one prefill (n-sampling); the answer's `choices` then holds each. */
  n?: number;
}

export interface CompletionResult {
  output: string;
  /** Duration of the attempt that succeeded (retries and backoff excluded). */
  latencyMs: number;
  tokensIn: number;
  tokensOut: number;
  finishReason: string | null;
  /** Base URL of the replica that answered. */
  replica: string;
  /** 1 when the first attempt succeeded. */
  attempts: number;
  /** The tool calls of the answer, when it made any. */
  toolCalls?: WireToolCall[];
  /** With `n` > 1: every choice, by index (`output` is choice 0's). */
  choices?: ChoiceResult[];
  /** The answer carried no completion token count (`usage`): tokensOut is 0 for want of one. */
  tokensUnreported?: true;
}

export interface ChoiceResult {
  output: string;
  /** The server counts completion tokens for all choices together: this choice's share, by length. */
  tokensOut: number;
  finishReason: string | null;
}

export type TokenizeInput = { messages: ChatMessage[] } | { prompt: string };

export interface ModelClient {
  /**
   * GET <origin>/health then <base>/models on every replica. Replicas that fail are left out of the
   * run, each named once in `warnings`; throws UnavailableError (exit 3) when none is usable.
   * Aborted by `signal`, it stops at once and throws the abort's reason (as `complete` does).
   */
  preflight(model: string, signal?: AbortSignal): Promise<{ models: string[]; warnings?: string[]; root?: string; parent?: string; parentRoot?: string }>;
  complete(req: CompletionRequest, signal?: AbortSignal): Promise<CompletionResult>;
  /** Exact prompt tokens from vLLM's /tokenize; undefined when the server has no /tokenize. */
  /** Aborted by `signal`, it stops at once and throws the abort's reason. */
  tokenize(model: string, input: TokenizeInput, signal?: AbortSignal): Promise<number | undefined>;
  readonly circuitOpen: boolean;
  /**
   * Requests in a row that failed, after their retries, in a way that says the server cannot serve
   * the run (connection failures, 5xx, 429, unreadable bodies): what the circuit breaker counts.
   */
  readonly downStreak: number;
}

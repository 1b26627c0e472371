import { sha256Hex } from '../canonical.js';
import { requestKeyJson } from '../sent-schemas.js';
import type { Expectation } from '../schemas/evalset.js';
import type { ChatMessage } from '../schemas/prompt.js';

/**
 * n-sampling: a case with `repeat: k` is one request with `n: k` (one prefill for k samples)
 * instead of k requests with seeds base + i. A run is planned in one request mode, recorded in its
 * summary and part of its inputs key, so a resumed or cached run never mixes the two: its samples
 * are cached under keys that name the mode, n and the index. A case with one sample is one request
 * in either mode, and keeps the key it always had.
 */

export type RequestMode = 'seed' | 'n';

/** What decides whether a case's samples can share one request. */
export interface NCase {
  repeat: number;
  expectations: readonly Expectation[];
  conversation?: unknown;
  toolResults?: unknown;
}

/**
 * Whether a case judges each sample's own completion tokens (`max-tokens`): the server counts the
 * tokens of all choices of an n answer together, so a choice's count would be an estimate, and a
 * verdict on an estimate differs from the one-request-per-sample verdict the README promises.
 */
export function judgesOwnTokens(c: Pick<NCase, 'expectations'>): boolean {
  return c.expectations.some((e) => e['max-tokens'] !== undefined);
}

/** What of the run's request settings decides whether its samples can share a request. */
export interface NParams {
  tools?: unknown;
  temperature: number;
}

/**
 * Whether one request with `n` answers all of a case's samples in an n-mode run: only when the run
 * samples (temperature > 0: vLLM refuses `n` > 1 with greedy sampling, "n must be 1 when using
 * greedy sampling", and its greedy answers would be one answer n times), each sample is one plain
 * request (turns, tool results and tool calls are per sample, exchange.ts) and no check needs a
 * sample's own token count.
 */
export function sharesRequest(c: NCase, params: NParams): boolean {
  return c.repeat > 1 && params.temperature > 0 && !c.conversation && !c.toolResults && !params.tools && !judgesOwnTokens(c);
}

/** Whether a run of these cases is worth planning in n mode: some case's samples share a request. */
export function usesN(cases: readonly NCase[], params: NParams): boolean {
  return cases.some((c) => sharesRequest(c, params));
}

/** The one request of a case's samples in n mode: the run's settings with its base seed when sampling. */
export function nRequestParams<P extends { temperature: number; seed?: number }>(params: P): P {
  return params.temperature > 0 ? { ...params, seed: params.seed ?? 0 } : params;
}

/** The cache key of sample `index` of an n-mode request for `n` samples. */
export function nSampleKey(messages: ChatMessage[], params: object, n: number, index: number): string {
  return sha256Hex(requestKeyJson({ messages, params, sample: index, mode: 'n', n }));
}

/**
 * Prompt tokens an n-mode run did not prefill again: for each case, every sample answered by the
 * server after the first cost no prompt tokens of its own (cached answers cost none either way).
 */
export function promptTokensSaved(samples: ReadonlyArray<{ caseId: string; cached: boolean; tokensIn: number; verdict: string }>): number {
  const seen = new Set<string>();
  let saved = 0;
  for (const s of samples) {
    if (s.cached || s.verdict === 'error') continue;
    if (seen.has(s.caseId)) saved += s.tokensIn;
    else seen.add(s.caseId);
  }
  return saved;
}

import type { ModelClient } from '../model/index.js';

/**
 * Whether the server answers `n` choices from one request: asked once per model and run, with a
 * one-token request, before any n-mode sample is sent. A server that refuses `n` or answers one
 * choice gets one request per sample instead (the run is planned again in seed mode, never mixed).
 * Asked at temperature 1, as n mode is used only for sampled runs (n-sampling.ts): vLLM refuses
 * `n` > 1 at temperature 0 whatever it serves ("n must be 1 when using greedy sampling").
 */
export async function serverTakesN(client: ModelClient, model: string, signal?: AbortSignal): Promise<boolean> {
  try {
    const r = await client.complete({ model, messages: [{ role: 'user', content: 'Say OK.' }], max_tokens: 1, temperature: 1, n: 2 }, signal);
    return r.choices?.length === 2;
  } catch (e) {
    // Stopped by the caller: no answer about `n`, so none is made up.
    if (signal?.aborted) throw e;
    return false;
  }
}

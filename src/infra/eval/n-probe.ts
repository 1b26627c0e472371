import type { ModelClient } from '../model/index.js';

/**
 * Whether the server answers `n` choices from one request: asked once per model and run, with a
 * one-token request, before any n-mode sample is sent. A server that refuses `n` or answers one
 * choice gets one request per sample instead (the run is planned again in seed mode, never mixed).
 */
export async function serverTakesN(client: ModelClient, model: string, signal?: AbortSignal): Promise<boolean> {
  try {
    const r = await client.complete({ model, messages: [{ role: 'user', content: 'Say OK.' }], max_tokens: 1, temperature: 0, n: 2 }, signal);
    return r.choices?.length === 2;
  } catch (e) {
    // Stopped by the caller: no answer about `n`, so none is made up.
    if (signal?.aborted) throw e;
    return false;
  }
}

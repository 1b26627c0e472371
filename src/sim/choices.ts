/**
 * `n` on chat completions: several choices from one request, as vLLM answers it. The prompt is
 * prefilled once, so usage counts its tokens once and the completions' tokens of every choice.
 * Choice i is answered as a separate request with seed + i would be (without a seed each choice
 * draws from the simulator's generator), so n choices equal n seeded requests sample for sample.
 * The one-choice bodies come from chat.ts and are merged here, so whatever a choice carries there
 * (content, tool calls) it carries in an n-choice answer too.
 */
import { ChatRequestError, completionBody, streamBody, type ChatRequest, type Completion } from './chat.js';

export const MAX_N = 128;

/** Below it, vLLM samples greedily (vllm/sampling_params.py _SAMPLING_EPS). */
const SAMPLING_EPS = 1e-5;

/**
 * The request's `n` (default 1); throws ChatRequestError like vLLM on a bad value, and on `n` > 1
 * at temperature 0, which vLLM refuses (sampling_params.py _verify_greedy_sampling): greedy
 * decoding would give one answer n times. Without a temperature vLLM samples (1.0), as here.
 */
export function readN(body: unknown): number {
  const { n, temperature } = (body ?? {}) as { n?: unknown; temperature?: unknown };
  if (n == null) return 1;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_N) throw new ChatRequestError(`n must be an integer in [1, ${MAX_N}], got ${JSON.stringify(n)}.`);
  if (n > 1 && typeof temperature === 'number' && temperature < SAMPLING_EPS) throw new ChatRequestError(`n must be 1 when using greedy sampling, got ${n}.`);
  return n;
}

/** The request each choice is answered as. */
export function choiceRequest(chat: ChatRequest, index: number): ChatRequest {
  return index === 0 || chat.seed === undefined ? chat : { ...chat, seed: chat.seed + index };
}

/** Usage of one request with these choices: the prompt once, every choice's completion. */
export function sharedUsage(choices: readonly Completion[]): Completion['usage'] {
  const prompt = choices[0]!.usage.prompt_tokens;
  const completion = choices.reduce((n, c) => n + c.usage.completion_tokens, 0);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, prompt_tokens_details: null };
}

/** The JSON body of an n-choice answer. */
export function choicesBody(model: string, choices: readonly Completion[]): string {
  const bodies = choices.map((c) => JSON.parse(completionBody(model, c)) as { choices: Array<Record<string, unknown>> });
  const first = bodies[0]! as Record<string, unknown>;
  return JSON.stringify({ ...first, choices: bodies.map((b, i) => ({ ...b.choices[0], index: i })), usage: sharedUsage(choices) });
}

/** The SSE text of an n-choice answer: each choice's chunks under its index, then usage, then [DONE]. */
export function choicesStream(model: string, choices: readonly Completion[], includeUsage: boolean): string {
  let out = '';
  let head: Record<string, unknown> | undefined;
  choices.forEach((c, i) => {
    for (const event of streamBody(model, c, false).split('\n\n')) {
      if (!event.startsWith('data: ') || event === 'data: [DONE]') continue;
      const chunk = JSON.parse(event.slice(6)) as { choices: Array<Record<string, unknown>> };
      head ??= { ...chunk, choices: [] };
      out += `data: ${JSON.stringify({ ...chunk, id: choices[0]!.id, choices: chunk.choices.map((ch) => ({ ...ch, index: i })) })}\n\n`;
    }
  });
  if (includeUsage) out += `data: ${JSON.stringify({ ...head, id: choices[0]!.id, usage: sharedUsage(choices) })}\n\n`;
  return out + 'data: [DONE]\n\n';
}

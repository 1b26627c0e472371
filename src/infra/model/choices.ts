import { contentText } from './answer-fields.js';
import type { ChoiceResult } from './types.js';

/**
 * The choices of an n-sampling answer. vLLM's usage counts the completion tokens of all choices
 * together, so each choice gets a share proportional to its length (the shares add up to the total).
 */
export function choicesOf(choices: unknown, completionTokens: number): ChoiceResult[] {
  const list = (Array.isArray(choices) ? choices : []) as Array<{ index?: number; message?: { content?: unknown }; finish_reason?: string | null }>;
  const ordered = [...list].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  const texts = ordered.map((c) => contentText(c.message?.content));
  const chars = texts.reduce((n, t) => n + t.length, 0);
  let left = completionTokens;
  return ordered.map((c, i) => {
    const share = i === ordered.length - 1 ? left : chars ? Math.round((completionTokens * texts[i]!.length) / chars) : Math.floor(completionTokens / ordered.length);
    left -= share;
    return { output: texts[i]!, tokensOut: Math.max(0, share), finishReason: c.finish_reason ?? null };
  });
}

/**
 * A chat completion on the wire: the request body the SDK sends for a CompletionRequest, and the
 * CompletionResult read from the SDK's answer.
 */
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { atRecordedResolution } from '../../core/latency-verdict.js';
import { contentText, tokenCount } from './answer-fields.js';
import { choicesOf } from './choices.js';
import { InvalidResponseError } from './retry-policy.js';
import { serverText } from './server-text.js';
import type { CompletionRequest, CompletionResult, WireToolCall } from './types.js';

/** The request fields sent only when the caller set them: vLLM applies its own defaults (generation_config) to the rest. */
const SET_FIELDS = ['temperature', 'max_tokens', 'top_p', 'seed', 'stop', 'presence_penalty', 'frequency_penalty', 'response_format', 'structured_outputs', 'tools', 'tool_choice', 'n'] as const;

export function toBody(req: CompletionRequest): ChatCompletionCreateParamsNonStreaming {
  // extra_body first: lint keeps first-class fields out of it, and they win regardless.
  const body: Record<string, unknown> = req.extra_body ? { ...req.extra_body, model: req.model, messages: req.messages } : { model: req.model, messages: req.messages };
  for (const k of SET_FIELDS) if (req[k] !== undefined) body[k] = req[k];
  return body as unknown as ChatCompletionCreateParamsNonStreaming;
}

/** The answer to `body` from `replica` as one attempt's result; throws InvalidResponseError when it holds no choice or a content of another shape. */
export function toResult(res: ChatCompletion, body: ChatCompletionCreateParamsNonStreaming, replica: string, latencyMs: number): CompletionResult {
  const choice = Array.isArray(res?.choices) ? res.choices[0] : undefined;
  if (!choice?.message) throw new InvalidResponseError('no choices in the completion');
  const toolCalls = wireToolCalls(choice.message.tool_calls);
  // A count that is not a whole number of 0 or more (a proxy's -3) is no count: not reported.
  const tokensOut = tokenCount(res.usage?.completion_tokens);
  return {
    ...(toolCalls.length ? { toolCalls } : {}),
    output: contentText(choice.message.content),
    latencyMs: atRecordedResolution(latencyMs),
    tokensIn: tokenCount(res.usage?.prompt_tokens) ?? 0,
    tokensOut: tokensOut ?? 0,
    finishReason: choice.finish_reason ?? null,
    replica,
    attempts: 1,
    ...(body.n && body.n > 1 ? { choices: choicesOf(res.choices, tokensOut ?? 0) } : {}),
    ...(tokensOut === undefined ? { tokensUnreported: true as const } : {}),
  };
}

/** The SDK's tool calls, function calls only (the kind chat completions define), in wire shape; their text well-formed as content is (`serverText`). */
function wireToolCalls(calls: unknown): WireToolCall[] {
  if (!Array.isArray(calls)) return [];
  return calls.flatMap((c: { id?: unknown; type?: unknown; function?: { name?: unknown; arguments?: unknown } }) =>
    c?.type === 'function' && typeof c.function?.name === 'string'
      ? [{ id: serverText(String(c.id ?? '')), type: 'function' as const, function: { name: serverText(c.function.name), arguments: serverText(typeof c.function.arguments === 'string' ? c.function.arguments : JSON.stringify(c.function.arguments ?? {})) } }]
      : [],
  );
}

/**
 * POST /v1/chat/completions: request validation and response shapes (plain JSON and SSE), as
 * vLLM's OpenAI-compatible server produces them. What the answer says is decided in behaviour.ts.
 */
import type { ServerResponse } from 'node:http';
import { reply, type ChatParams } from './behaviour.js';
import { logprobsOf, readLogprobs, type ChoiceLogprobs, type LogprobsAsk } from './logprobs.js';
import type { Noise } from './noise.js';
import { parseSurface, shape, type Surface } from './surface.js';
import type { SimToolCall } from './tools.js';
import { countChatTokens, countTokens, tokenPieces, type ChatTurn } from './tokenizer.js';

export interface ChatRequest extends ChatParams {
  model: string;
  stream: boolean;
  includeUsage: boolean;
  promptTokens: number;
  surface: Surface;
  /** Set when the request asks for logprobs (logprobs.ts). */
  logprobs?: LogprobsAsk;
}

export class ChatRequestError extends Error {}

/** Validate a parsed body; throws ChatRequestError with a vLLM-like message on bad input. */
export function parseChatRequest(body: unknown): ChatRequest {
  if (!isObject(body)) throw new ChatRequestError('The request body must be a JSON object.');
  // vLLM's check runs before its field validation and reads both fields with Python truthiness,
  // so `stream_options: {}` or null passes; the message carries the parameter as vLLM appends it.
  if (pyTruthy(body.stream_options) && !pyTruthy(body.stream)) {
    throw new ChatRequestError('Stream options can only be defined when `stream=True`. (parameter=stream_options)');
  }
  const { model, messages } = body;
  if (typeof model !== 'string' || !model) throw new ChatRequestError('`model` must be a non-empty string.');
  if (!Array.isArray(messages) || messages.length === 0) throw new ChatRequestError('`messages` must be a non-empty array.');
  const turns: ChatTurn[] = messages.map((m, i) => toTurn(m, i));
  const temperature = optionalNumber(body, 'temperature', 0, 2);
  // vLLM takes max_completion_tokens over the deprecated max_tokens when both are sent.
  const maxTokens = optionalInt(body, 'max_completion_tokens') ?? optionalInt(body, 'max_tokens');
  const seed = optionalInt(body, 'seed', true);
  const stop = parseStop(body.stop);
  const rf = body.response_format;
  if (rf != null && !isObject(rf)) throw new ChatRequestError('`response_format` must be an object.');
  const streamOptions = body.stream_options;
  const surface = parseSurface(body, turns);
  if (typeof surface === 'string') throw new ChatRequestError(surface);
  const logprobs = readLogprobs(body);
  if (typeof logprobs === 'string') throw new ChatRequestError(logprobs);
  return {
    ...(logprobs ? { logprobs } : {}),
    surface,
    model,
    messages: turns,
    temperature,
    maxTokens,
    seed,
    stop,
    includeStopStr: body.include_stop_str_in_output === true,
    responseFormat: rf ?? undefined,
    stream: body.stream === true,
    includeUsage: isObject(streamOptions) && streamOptions.include_usage === true,
    promptTokens: countChatTokens(turns),
  };
}

function toTurn(m: unknown, i: number): ChatTurn {
  if (!isObject(m) || typeof m.role !== 'string') throw new ChatRequestError(`messages[${i}] must have a string \`role\`.`);
  const c = m.content;
  if (typeof c === 'string') return { role: m.role, content: c };
  if (c == null) return { role: m.role, content: '' };
  if (Array.isArray(c)) {
    // OpenAI content parts: only text parts matter to the simulator.
    const text = c.map((p) => (isObject(p) && p.type === 'text' && typeof p.text === 'string' ? p.text : '')).join('');
    return { role: m.role, content: text };
  }
  throw new ChatRequestError(`messages[${i}].content must be a string or an array of content parts.`);
}

function optionalNumber(body: Record<string, unknown>, key: string, min: number, max: number): number | undefined {
  const v = body[key];
  if (v == null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new ChatRequestError(`${key} must be in [${min}, ${max}], got ${JSON.stringify(v)}.`);
  }
  return v;
}

function optionalInt(body: Record<string, unknown>, key: string, allowNegative = false): number | undefined {
  const v = body[key];
  if (v == null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || (!allowNegative && v < 1)) {
    throw new ChatRequestError(`${key} must be ${allowNegative ? 'an integer' : 'at least 1'}, got ${JSON.stringify(v)}.`);
  }
  return v;
}

function parseStop(v: unknown): string[] | undefined {
  if (v == null) return undefined;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
  throw new ChatRequestError('`stop` must be a string or an array of strings.');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Python's truth value of a JSON value, as vLLM's validators test fields. */
function pyTruthy(v: unknown): boolean {
  if (v == null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  return !isObject(v) || Object.keys(v).length > 0;
}

/** vLLM's message when prompt + max_tokens exceed the context window. */
export function contextError(req: ChatRequest, maxModelLen: number): string | null {
  const total = req.promptTokens + (req.maxTokens ?? 0);
  if (req.promptTokens < maxModelLen && total <= maxModelLen) return null;
  return (
    `This model's maximum context length is ${maxModelLen} tokens. However, you requested ${total} tokens ` +
    `(${req.promptTokens} in the messages, ${req.maxTokens ?? 0} in the completion). ` +
    'Please reduce the length of the messages or completion.'
  );
}

export interface Completion {
  id: string;
  created: number;
  text: string;
  finishReason: string;
  /** vLLM's `stop_reason`: the stop string that ended the answer, else null. */
  stopReason: string | null;
  logprobs?: ChoiceLogprobs;
  toolCalls?: SimToolCall[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number; prompt_tokens_details: null };
}

export function complete(req: ChatRequest, id: string, random: () => number, noise?: Noise): Completion {
  const r = reply(req, random, noise);
  const shaped = shape(req.surface, r.text, id, r.finishReason === 'length');
  // vLLM counts every generated token: a stop string that ended the answer is left out of the text, not of usage.
  const stopTokens = shaped.toolCalls ? 0 : r.stopTokens ?? 0;
  const completionTokens = countTokens(shaped.text) + stopTokens + (shaped.toolCalls ?? []).reduce((n, c) => n + countTokens(`${c.name}${c.arguments}`), 0);
  return {
    id,
    created: Math.floor(Date.now() / 1000),
    text: shaped.text,
    finishReason: shaped.toolCalls ? 'tool_calls' : r.finishReason,
    stopReason: shaped.toolCalls ? null : r.stopReason ?? null,
    ...(req.logprobs ? { logprobs: logprobsOf(shaped.text, req.logprobs) } : {}),
    ...(shaped.toolCalls ? { toolCalls: shaped.toolCalls } : {}),
    usage: {
      prompt_tokens: req.promptTokens,
      completion_tokens: completionTokens,
      total_tokens: req.promptTokens + completionTokens,
      prompt_tokens_details: null,
    },
  };
}

export function completionBody(model: string, c: Completion): string {
  return JSON.stringify({
    id: c.id,
    object: 'chat.completion',
    created: c.created,
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: c.toolCalls ? null : c.text,
          reasoning_content: null,
          tool_calls: (c.toolCalls ?? []).map((t) => ({ id: t.id, type: 'function', function: { name: t.name, arguments: t.arguments } })),
        },
        logprobs: c.logprobs ?? null,
        finish_reason: c.finishReason,
        stop_reason: c.stopReason,
      },
    ],
    usage: c.usage,
    prompt_logprobs: null,
  });
}

/**
 * The whole SSE stream as text: a role chunk, one chunk per token, the finish chunk, usage, [DONE].
 * Tool calls stream as vLLM's parsers send them: per call a chunk with its index, id, type and name,
 * then one with its arguments; clients (the openai SDK's stream helpers) rebuild each call from
 * these deltas, so a finish reason "tool_calls" without them reads as no call at all.
 */
export function streamBody(model: string, c: Completion, includeUsage: boolean): string {
  const head = { id: c.id, object: 'chat.completion.chunk', created: c.created, model };
  // Only the finish chunk carries stop_reason: vLLM leaves the unset field out of the others.
  const chunk = (delta: Record<string, unknown>, finish: string | null, logprobs: ChoiceLogprobs | null = null): string =>
    `data: ${JSON.stringify({ ...head, choices: [{ index: 0, delta, logprobs, finish_reason: finish, ...(finish ? { stop_reason: c.stopReason } : {}) }] })}\n\n`;
  let out = chunk({ role: 'assistant', content: '' }, null);
  // logprobs.ts cuts the text into the same pieces, so piece i goes with entry i.
  tokenPieces(c.text).forEach((piece, i) => {
    out += chunk({ content: piece }, null, c.logprobs ? { content: c.logprobs.content.slice(i, i + 1) } : null);
  });
  (c.toolCalls ?? []).forEach((t, index) => {
    out += chunk({ tool_calls: [{ index, id: t.id, type: 'function', function: { name: t.name } }] }, null);
    out += chunk({ tool_calls: [{ index, function: { arguments: t.arguments } }] }, null);
  });
  out += chunk({}, c.finishReason);
  if (includeUsage) out += `data: ${JSON.stringify({ ...head, choices: [], usage: c.usage })}\n\n`;
  return out + 'data: [DONE]\n\n';
}

export function sendStream(res: ServerResponse, text: string, headers?: Record<string, string>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers });
  res.end(text);
}

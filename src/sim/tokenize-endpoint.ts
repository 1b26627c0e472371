/** POST /tokenize, as vLLM answers it: the token ids of a `prompt` or of chat `messages`. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseChatRequest } from './chat.js';
import { readJsonBody, sendError, sendJson, sendModelNotFound } from './http.js';
import type { SimContext } from './state.js';
import { chatTokenIds, tokenIds, type ChatTurn } from './tokenizer.js';

export async function handleTokenize(req: IncomingMessage, res: ServerResponse, ctx: Pick<SimContext, 'modelById' | 'maxModelLen'>): Promise<void> {
  const body = await readJsonBody(req, res);
  if (body === undefined) return;
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof b.model === 'string' && !ctx.modelById.has(b.model)) return sendModelNotFound(res, b.model);
  let tokens: number[];
  if (typeof b.prompt === 'string') {
    tokens = tokenIds(b.prompt);
  } else if (Array.isArray(b.messages)) {
    try {
      tokens = chatTokenIds(parseChatRequest({ model: 'x', messages: b.messages }).messages as ChatTurn[]);
    } catch (e) {
      return sendError(res, 400, 'BadRequestError', e instanceof Error ? e.message : 'bad messages');
    }
  } else {
    return sendError(res, 400, 'BadRequestError', 'Provide either `prompt` (a string) or `messages`.');
  }
  sendJson(res, 200, { count: tokens.length, max_model_len: ctx.maxModelLen, tokens, token_strs: null });
}

/**
 * POST /v1/chat/completions as the simulator serves it: a seeded fault draw, the configured (or
 * noise-planned) latency, vLLM's refusals, then the answer chat.ts and choices.ts write, each
 * outcome counted in the stats.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ChatRequestError, type ChatRequest, complete, completionBody, contextError, parseChatRequest, sendStream, streamBody } from './chat.js';
import { choiceRequest, choicesBody, choicesStream, readN } from './choices.js';
import { pickFault, type FaultKind } from './faults.js';
import { readJsonBody, sendError, sendModelNotFound, sendRaw } from './http.js';
import { readDirective } from './noise.js';
import { createPrng } from './prng.js';
import type { SimContext } from './state.js';
import { toolsRefused } from './surface.js';
import type { SimOptions } from './types.js';

export type ChatHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export function createChatHandler(ctx: SimContext, opts: SimOptions): ChatHandler {
  const { book, settings, noise, modelById, maxModelLen } = ctx;
  const retryAfter = String(opts.retryAfterSeconds ?? 1);
  const random = createPrng(opts.seed ?? 0);
  const faultsAfter = opts.faultsAfter ?? 0;
  /** Chat completions received since start (unlike stats, never reset). */
  let chatSeen = 0;
  let nextId = 0;

  /** Faults that strike before any answer is made: no answer, a reset, a 500 or a 429. True when one did. */
  async function faultedBeforeAnswer(fault: FaultKind | null, req: IncomingMessage, res: ServerResponse, waitOut: () => Promise<void>): Promise<boolean> {
    if (fault === 'hang') {
      book.stats.outcomes.hang++;
      return true; // No answer at all; close() or the client's timeout ends the socket.
    }
    if (fault === 'reset') {
      book.stats.outcomes.reset++;
      const socket = req.socket as Socket & { resetAndDestroy?: () => void };
      if (socket.resetAndDestroy) socket.resetAndDestroy();
      else socket.destroy();
      return true;
    }
    if (fault !== 'error500' && fault !== 'rate429') return false;
    await waitOut();
    if (res.destroyed) return true;
    if (fault === 'error500') {
      book.stats.outcomes.error500++;
      sendError(res, 500, 'InternalServerError', 'The simulator injected an internal server error.');
    } else {
      book.stats.outcomes.rate429++;
      sendError(res, 429, 'RateLimitError', 'Too many requests: the simulator injected a rate limit.', { 'retry-after': retryAfter });
    }
    return true;
  }

  /** The request as vLLM would take it, or undefined after answering its refusal (a 400 or 404, after the latency). */
  async function acceptedRequest(body: unknown, res: ServerResponse, waitOut: () => Promise<void>): Promise<{ chat: ChatRequest; n: number } | undefined> {
    const refuse = async (send: () => void) => {
      book.stats.outcomes.rejected++;
      await waitOut();
      send();
      return undefined;
    };
    let chat: ChatRequest;
    let n: number;
    try {
      chat = parseChatRequest(body);
      n = readN(body);
    } catch (e) {
      if (!(e instanceof ChatRequestError)) {
        book.stats.outcomes.rejected++;
        throw e;
      }
      return refuse(() => sendError(res, 400, 'BadRequestError', e.message));
    }
    const toolsOff = toolsRefused(chat.surface, opts.toolCallParser !== undefined);
    if (toolsOff) return refuse(() => sendError(res, 400, 'BadRequestError', toolsOff));
    if (!modelById.has(chat.model)) return refuse(() => sendModelNotFound(res, chat.model));
    const tooLong = contextError(chat, maxModelLen);
    if (tooLong) return refuse(() => sendError(res, 400, 'BadRequestError', tooLong));
    return { chat, n };
  }

  return async function handleChat(req, res) {
    book.stats.chatCompletions++;
    // The configured latency is the time from a request's arrival to its answer, as with a real
    // server, whose latency includes its own work: computing the answer happens inside it.
    const arrived = performance.now();
    book.timing.firstChatArrivedAt ??= arrived;
    // Noise mode plans this answer's own delay once the request is read; until then the configured one.
    let plannedMs: number | undefined;
    const waitOut = async () => {
      const left = (plannedMs ?? settings.latencyMs) - (performance.now() - arrived);
      if (left > 0) await new Promise((r) => setTimeout(r, left));
    };
    const body = await readJsonBody(req, res);
    if (body === undefined) return void book.stats.outcomes.rejected++;
    // The draw is made either way, so faultsAfter does not shift the seeded sequence.
    const draw = random();
    const index = chatSeen++;
    const fault = index >= faultsAfter ? pickFault(settings.faults, draw) : null;
    if (await faultedBeforeAnswer(fault, req, res, waitOut)) return;
    const accepted = await acceptedRequest(body, res, waitOut);
    if (!accepted) return;
    const { n } = accepted;
    let { chat } = accepted;
    let headers: Record<string, string> | undefined;
    if (noise) {
      const system = chat.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n');
      const planned = noise.delay(settings.latencyMs, readDirective(system).directive, index);
      plannedMs = planned.ms;
      // The plan travels with the answer, so a test checks the busy phase without measuring time.
      headers = { 'x-sim-delay-ms': String(Math.round(planned.ms)), 'x-sim-busy': planned.busy ? '1' : '0' };
    }
    const served = modelById.get(chat.model)!;
    chat = { ...chat, modelTrait: { root: served.root, weakness: served.weakness } };
    const id = `chatcmpl-${(nextId++).toString(16)}`;
    const choices = Array.from({ length: n }, (_, i) => complete(choiceRequest(chat, i), id, random, noise));
    const c = choices[0]!;
    const answer = (): string =>
      n === 1
        ? chat.stream ? streamBody(chat.model, c, chat.includeUsage) : completionBody(chat.model, c)
        : chat.stream ? choicesStream(chat.model, choices, chat.includeUsage) : choicesBody(chat.model, choices);
    await waitOut();
    if (res.destroyed) return;
    if (fault === 'truncated') {
      book.stats.outcomes.truncated++;
      const full = answer();
      const cut = full.slice(0, Math.floor(full.length / 2));
      if (chat.stream) return sendStream(res, cut, headers); // No [DONE]: the stream just stops.
      return sendRaw(res, 200, cut, headers);
    }
    if (fault === 'garbage') {
      book.stats.outcomes.garbage++;
      return sendRaw(res, 200, '<html><body><h1>502 Bad Gateway</h1></body></html>');
    }
    if (fault === 'noUsage') {
      book.stats.outcomes.noUsage++;
      const body = chat.stream ? answer().replace(/^data: \{[^\n]*"choices":\[\],"usage"[^\n]*\n\n/m, '') : JSON.stringify({ ...JSON.parse(answer()), usage: undefined });
      return chat.stream ? sendStream(res, body, headers) : sendRaw(res, 200, body, headers);
    }
    if ((fault === 'contentParts' || fault === 'contentObject') && !chat.stream) {
      book.stats.outcomes[fault]++;
      const body = JSON.parse(answer()) as { choices: Array<{ message: { content: unknown } }> };
      for (const ch of body.choices) ch.message.content = fault === 'contentParts' ? [{ type: 'text', text: ch.message.content }] : { text: ch.message.content };
      return sendRaw(res, 200, JSON.stringify(body), headers);
    }
    book.stats.outcomes.ok++;
    // Prefill happens once per request, whatever n is: what n-sampling saves.
    book.stats.promptTokens += chat.promptTokens;
    book.stats.choices += n;
    if (chat.stream) sendStream(res, answer(), headers);
    else sendRaw(res, 200, answer(), headers);
    book.timing.lastAnswerSentAt = performance.now();
  };
}

/**
 * A vLLM-compatible simulator on node:http: /health, /v1/models, /v1/chat/completions (plain and
 * SSE), /tokenize, plus /sim/stats for tests in another process. It is a protocol test double:
 * answers follow the deterministic rules in behaviour.ts, and faults (500, 429, hang, reset,
 * truncated or garbage body) are injected on chat completions at seeded rates, and an optional
 * seeded noise mode (noise.ts) makes verdicts and latency noisy. The hot path does no logging
 * and keeps connections alive, because benchmarks push 100,000 requests through it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ChatRequestError, complete, completionBody, contextError, parseChatRequest, sendStream, streamBody } from './chat.js';
import { pickFault, validateFaultRates, type FaultRates } from './faults.js';
import { BodyTooLargeError, readBody, sendError, sendJson, sendMethodNotAllowed, sendNotFound, sendRaw, vllmError } from './http.js';
import { toolsRefused } from './surface.js';
import { createNoise, readDirective } from './noise.js';
import { createPrng } from './prng.js';
import { chatTokenIds, tokenIds, type ChatTurn } from './tokenizer.js';
import { choiceRequest, choicesBody, choicesStream, readN } from './choices.js';
import { modelCard, servedModels } from './models.js';
import { emptyStats, type SimOptions, type Simulator } from './types.js';

export type { SimOptions, SimStats, Simulator, FaultRates, NoiseOptions } from './types.js';

const KNOWN_PATHS = new Set(['/health', '/v1/models', '/v1/chat/completions', '/tokenize', '/sim/stats', '/sim/config', '/sim/noise']);

export async function startSimulator(opts: SimOptions = {}): Promise<Simulator> {
  const host = opts.host ?? '127.0.0.1';
  const models = servedModels(opts.models, opts.modelSpecs);
  const modelById = new Map(models.map((m) => [m.id, m]));
  const modelSet = new Set(modelById.keys());
  const maxModelLen = opts.maxModelLen ?? 8192;
  const retryAfter = String(opts.retryAfterSeconds ?? 1);
  const tokenizeEnabled = opts.tokenize !== false;
  let expectedAuth = opts.apiKey === undefined ? undefined : `Bearer ${opts.apiKey}`;
  const random = createPrng(opts.seed ?? 0);
  const createdAt = Math.floor(Date.now() / 1000);
  let faults = validateFaultRates(opts.faults ?? {});
  const noise = opts.noise ? createNoise(opts.noise) : undefined;
  const faultsAfter = opts.faultsAfter ?? 0;
  /** Chat completions received since start (unlike stats, never reset). */
  let chatSeen = 0;
  let latencyMs = opts.latencyMs ?? 0;
  let stats = emptyStats();
  let timing: { firstChatArrivedAt?: number; lastAnswerSentAt?: number } = {};
  let nextId = 0;

  const notFoundModel = (res: ServerResponse, model: string): void =>
    sendError(res, 404, 'NotFoundError', `The model \`${model}\` does not exist.`);

  async function handleChat(req: IncomingMessage, res: ServerResponse): Promise<void> {
    stats.chatCompletions++;
    // The configured latency is the time from a request's arrival to its answer, as with a real
    // server, whose latency includes its own work: computing the answer happens inside it.
    const arrived = performance.now();
    timing.firstChatArrivedAt ??= arrived;
    // Noise mode plans this answer's own delay once the request is read; until then the configured one.
    let plannedMs: number | undefined;
    const waitOut = async () => {
      const left = (plannedMs ?? latencyMs) - (performance.now() - arrived);
      if (left > 0) await new Promise((r) => setTimeout(r, left));
    };
    const body = await parseBody(req, res);
    if (body === undefined) return void stats.outcomes.rejected++;
    // The draw is made either way, so faultsAfter does not shift the seeded sequence.
    const draw = random();
    const index = chatSeen++;
    const fault = index >= faultsAfter ? pickFault(faults, draw) : null;
    if (fault === 'hang') {
      stats.outcomes.hang++;
      return; // No answer at all; close() or the client's timeout ends the socket.
    }
    if (fault === 'reset') {
      stats.outcomes.reset++;
      const socket = req.socket as Socket & { resetAndDestroy?: () => void };
      if (socket.resetAndDestroy) socket.resetAndDestroy();
      else socket.destroy();
      return;
    }
    if (fault === 'error500' || fault === 'rate429') {
      await waitOut();
      if (res.destroyed) return;
      if (fault === 'error500') {
        stats.outcomes.error500++;
        return sendError(res, 500, 'InternalServerError', 'The simulator injected an internal server error.');
      }
      stats.outcomes.rate429++;
      return sendError(res, 429, 'RateLimitError', 'Too many requests: the simulator injected a rate limit.', {
        'retry-after': retryAfter,
      });
    }
    let chat;
    let n: number;
    try {
      chat = parseChatRequest(body);
      n = readN(body);
    } catch (e) {
      stats.outcomes.rejected++;
      if (!(e instanceof ChatRequestError)) throw e;
      await waitOut();
      return sendError(res, 400, 'BadRequestError', e.message);
    }
    const toolsOff = toolsRefused(chat.surface, opts.toolCallParser !== undefined);
    if (toolsOff) {
      stats.outcomes.rejected++;
      await waitOut();
      // The OpenAI error shape, as recent vLLM versions answer: clients read the message from `error`.
      return sendJson(res, 400, { error: vllmError(400, 'BadRequestError', toolsOff) });
    }
    if (!modelSet.has(chat.model)) {
      stats.outcomes.rejected++;
      await waitOut();
      return notFoundModel(res, chat.model);
    }
    const tooLong = contextError(chat, maxModelLen);
    if (tooLong) {
      stats.outcomes.rejected++;
      await waitOut();
      return sendError(res, 400, 'BadRequestError', tooLong);
    }
    let headers: Record<string, string> | undefined;
    if (noise) {
      const system = chat.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n');
      const planned = noise.delay(latencyMs, readDirective(system).directive, index);
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
      stats.outcomes.truncated++;
      const full = answer();
      const cut = full.slice(0, Math.floor(full.length / 2));
      if (chat.stream) return sendStream(res, cut, headers); // No [DONE]: the stream just stops.
      return sendRaw(res, 200, cut, headers);
    }
    if (fault === 'garbage') {
      stats.outcomes.garbage++;
      return sendRaw(res, 200, '<html><body><h1>502 Bad Gateway</h1></body></html>');
    }
    stats.outcomes.ok++;
    // Prefill happens once per request, whatever n is: what n-sampling saves.
    stats.promptTokens += chat.promptTokens;
    stats.choices += n;
    if (chat.stream) sendStream(res, answer(), headers);
    else sendRaw(res, 200, answer(), headers);
    timing.lastAnswerSentAt = performance.now();
  }

  /** Parsed JSON body, or undefined after answering 400/413 itself. */
  async function parseBody(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
    let text: string;
    try {
      text = await readBody(req);
    } catch (e) {
      if (e instanceof BodyTooLargeError) sendError(res, 413, 'BadRequestError', e.message);
      return undefined;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      sendError(res, 400, 'BadRequestError', 'The request body is not valid JSON.');
      return undefined;
    }
  }

  async function handleTokenize(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await parseBody(req, res);
    if (body === undefined) return;
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (typeof b.model === 'string' && !modelSet.has(b.model)) return notFoundModel(res, b.model);
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
    sendJson(res, 200, { count: tokens.length, max_model_len: maxModelLen, tokens, token_strs: null });
  }

  function modelList(): unknown {
    return {
      object: 'list',
      data: models.map((m) => modelCard(m, createdAt, maxModelLen)),
    };
  }

  async function handleConfig(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = (await parseBody(req, res)) as { faults?: FaultRates; latencyMs?: number } | undefined;
    if (body === undefined) return;
    try {
      if (body.faults) faults = validateFaultRates(body.faults);
      if (typeof body.latencyMs === 'number') latencyMs = Math.max(0, body.latencyMs);
    } catch (e) {
      return sendError(res, 400, 'BadRequestError', e instanceof Error ? e.message : String(e));
    }
    sendJson(res, 200, { faults, latencyMs });
  }

  /** GET: the noise settings and busy switch; POST {busy}: flip the switch (another process's way to start a busy phase). */
  async function handleNoise(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'POST') return sendMethodNotAllowed(res);
    const body = req.method === 'POST' ? ((await parseBody(req, res)) as { busy?: unknown } | undefined) : {};
    if (body === undefined) return;
    if (!noise) return sendError(res, 400, 'BadRequestError', 'Noise mode is off: start the simulator with noise options (promptctl-sim --noise-seed N).');
    if (body.busy !== undefined) {
      if (typeof body.busy !== 'boolean') return sendError(res, 400, 'BadRequestError', '`busy` must be true or false.');
      noise.setBusy(body.busy);
    }
    sendJson(res, 200, noise.settings());
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const key = KNOWN_PATHS.has(path) ? path : 'other';
    stats.requests[key] = (stats.requests[key] ?? 0) + 1;
    const method = req.method ?? 'GET';
    if (expectedAuth !== undefined && path.startsWith('/v1/') && req.headers.authorization !== expectedAuth) {
      if (path === '/v1/chat/completions') {
        stats.chatCompletions++;
        stats.outcomes.rejected++;
      }
      req.resume();
      return sendError(res, 401, 'AuthenticationError', 'Unauthorized: a valid API key is required.');
    }
    switch (path) {
      case '/v1/chat/completions':
        return method === 'POST' ? handleChat(req, res) : sendMethodNotAllowed(res);
      case '/health':
        if (method !== 'GET') return sendMethodNotAllowed(res);
        res.writeHead(200, { 'content-length': 0 });
        return void res.end();
      case '/v1/models':
        return method === 'GET' ? sendJson(res, 200, modelList()) : sendMethodNotAllowed(res);
      case '/tokenize':
        if (!tokenizeEnabled) return sendNotFound(res);
        return method === 'POST' ? handleTokenize(req, res) : sendMethodNotAllowed(res);
      case '/sim/stats':
        if (method === 'DELETE') stats = emptyStats();
        return sendJson(res, 200, stats);
      case '/sim/config':
        return method === 'POST' ? handleConfig(req, res) : sendMethodNotAllowed(res);
      case '/sim/noise':
        return handleNoise(req, res);
      default:
        req.resume();
        return sendNotFound(res);
    }
  }

  const server = createServer({ keepAlive: true, keepAliveTimeout: 65_000 }, (req, res) => {
    route(req, res).catch((e: unknown) => {
      sendError(res, 500, 'InternalServerError', `simulator bug: ${e instanceof Error ? e.message : String(e)}`);
    });
  });
  // Keep-alive sockets must outlive a client's idle gaps; 65 s is above undici's 4 s default.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const origin = `http://${shownHost}:${port}`;

  return {
    url: `${origin}/v1`,
    origin,
    port,
    stats: () => structuredClone(stats),
    timing: () => ({ ...timing }),
    resetStats: () => {
      stats = emptyStats();
      timing = {};
    },
    setFaults: (f) => {
      faults = validateFaultRates(f);
    },
    setLatency: (ms) => {
      latencyMs = Math.max(0, ms);
    },
    setApiKey: (key) => {
      expectedAuth = key === undefined ? undefined : `Bearer ${key}`;
    },
    setBusy: (on) => {
      if (!noise) throw new Error('setBusy needs noise mode: start the simulator with the `noise` option');
      noise.setBusy(on);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hung and keep-alive sockets would hold close() open forever.
        server.closeAllConnections();
      }),
  };
}

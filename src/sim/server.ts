/**
 * A vLLM-compatible simulator on node:http: /health, /v1/models, /v1/chat/completions (plain and
 * SSE), /tokenize, plus /sim/stats, /sim/config and /sim/noise for tests in another process. It is
 * a protocol test double: answers follow the deterministic rules in behaviour.ts, and faults (500,
 * 429, hang, reset, truncated or garbage body) are injected on chat completions at seeded rates,
 * and an optional seeded noise mode (noise.ts) makes verdicts and latency noisy. The hot path does
 * no logging and keeps connections alive, because benchmarks push 100,000 requests through it.
 * This file routes; the endpoints are chat-endpoint.ts, tokenize-endpoint.ts and
 * control-endpoints.ts, and what they share is state.ts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createChatHandler } from './chat-endpoint.js';
import { handleConfig, handleNoise, handleStats } from './control-endpoints.js';
import { sendError, sendJson, sendMethodNotAllowed, sendNotFound, sendUnauthorized } from './http.js';
import { modelList, servedModels } from './models.js';
import { createNoise } from './noise.js';
import { Bookkeeping, LiveSettings, type SimContext } from './state.js';
import { handleTokenize } from './tokenize-endpoint.js';
import type { SimOptions, Simulator } from './types.js';

export type { SimOptions, SimStats, Simulator, FaultRates, NoiseOptions } from './types.js';

export async function startSimulator(opts: SimOptions = {}): Promise<Simulator> {
  const host = opts.host ?? '127.0.0.1';
  const models = servedModels(opts.models, opts.modelSpecs);
  const tokenizeEnabled = opts.tokenize !== false;
  const createdAt = Math.floor(Date.now() / 1000);
  const ctx: SimContext = {
    modelById: new Map(models.map((m) => [m.id, m])),
    maxModelLen: opts.maxModelLen ?? 8192,
    settings: new LiveSettings(opts),
    noise: opts.noise ? createNoise(opts.noise) : undefined,
    book: new Bookkeeping(),
  };
  const { settings, book, noise } = ctx;
  const handleChat = createChatHandler(ctx, opts);

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    book.countRequest(path);
    const method = req.method ?? 'GET';
    if (settings.expectedAuth !== undefined && path.startsWith('/v1/') && req.headers.authorization !== settings.expectedAuth) {
      if (path === '/v1/chat/completions') {
        book.stats.chatCompletions++;
        book.stats.outcomes.rejected++;
      }
      req.resume();
      return sendUnauthorized(res);
    }
    switch (path) {
      case '/v1/chat/completions':
        return method === 'POST' ? handleChat(req, res) : sendMethodNotAllowed(res);
      case '/health':
        if (method !== 'GET') return sendMethodNotAllowed(res);
        res.writeHead(200, { 'content-length': 0 });
        return void res.end();
      case '/v1/models':
        return method === 'GET' ? sendJson(res, 200, modelList(models, createdAt, ctx.maxModelLen)) : sendMethodNotAllowed(res);
      case '/tokenize':
        if (!tokenizeEnabled) return sendNotFound(res);
        return method === 'POST' ? handleTokenize(req, res, ctx) : sendMethodNotAllowed(res);
      case '/sim/stats':
        return handleStats(req, res, book);
      case '/sim/config':
        return method === 'POST' ? handleConfig(req, res, settings) : sendMethodNotAllowed(res);
      case '/sim/noise':
        return handleNoise(req, res, noise);
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
    stats: () => structuredClone(book.stats),
    timing: () => ({ ...book.timing }),
    resetStats: () => book.reset(),
    setFaults: (f) => settings.setFaults(f),
    setLatency: (ms) => settings.setLatency(ms),
    setApiKey: (key) => settings.setApiKey(key),
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

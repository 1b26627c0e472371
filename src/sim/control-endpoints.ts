/**
 * The simulator's own endpoints under /sim/, for tests in another process (a test in the same
 * process calls the Simulator's methods): the counts, the fault rates and latency, and noise
 * mode's busy switch.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultRates } from './faults.js';
import { readJsonBody, sendError, sendJson, sendMethodNotAllowed } from './http.js';
import type { Noise } from './noise.js';
import type { Bookkeeping, LiveSettings } from './state.js';

/** Any method: the counts; DELETE starts them again first. */
export function handleStats(req: IncomingMessage, res: ServerResponse, book: Bookkeeping): void {
  if (req.method === 'DELETE') book.resetCounts();
  sendJson(res, 200, book.stats);
}

/**
 * POST {faults?, latencyMs?}: change them, and answer what they now are. Anything else is a 400
 * that changes nothing: a key or value this ignored (`latency`, `"latencyMs": "100"`) answered
 * 200 and left the test running without the latency or faults it asked for.
 */
export async function handleConfig(req: IncomingMessage, res: ServerResponse, settings: LiveSettings): Promise<void> {
  const body = await readJsonBody(req, res);
  if (body === undefined) return;
  const refused = configRefusal(body);
  if (refused) return sendError(res, 400, 'BadRequestError', refused);
  const { faults, latencyMs } = body as { faults?: FaultRates; latencyMs?: number };
  try {
    // A refused request changes nothing: setFaults checks the rates before it sets them, and
    // configRefusal has already checked latencyMs, which setLatency cannot refuse.
    if (faults !== undefined) settings.setFaults(faults);
    if (latencyMs !== undefined) settings.setLatency(latencyMs);
  } catch (e) {
    return sendError(res, 400, 'BadRequestError', e instanceof Error ? e.message : String(e));
  }
  sendJson(res, 200, { faults: settings.faults, latencyMs: settings.latencyMs });
}

function configRefusal(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'The body must be a JSON object: {"faults"?: {...}, "latencyMs"?: number}.';
  const unknown = Object.keys(body).filter((k) => k !== 'faults' && k !== 'latencyMs');
  if (unknown.length) return `Unknown setting ${unknown.map((k) => JSON.stringify(k)).join(', ')}: the settings are "faults" and "latencyMs".`;
  const ms = (body as { latencyMs?: unknown }).latencyMs;
  if (ms !== undefined && !(typeof ms === 'number' && Number.isFinite(ms) && ms >= 0)) return `latencyMs must be a number >= 0, got ${JSON.stringify(ms)}.`;
  return null;
}

/** GET: the noise settings and busy switch; POST {busy}: flip the switch (another process's way to start a busy phase). */
export async function handleNoise(req: IncomingMessage, res: ServerResponse, noise: Noise | undefined): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'POST') return sendMethodNotAllowed(res);
  const body = req.method === 'POST' ? ((await readJsonBody(req, res)) as { busy?: unknown } | undefined) : {};
  if (body === undefined) return;
  if (!noise) return sendError(res, 400, 'BadRequestError', 'Noise mode is off: start the simulator with noise options (promptctl-sim --noise-seed N).');
  if (body.busy !== undefined) {
    if (typeof body.busy !== 'boolean') return sendError(res, 400, 'BadRequestError', '`busy` must be true or false.');
    noise.setBusy(body.busy);
  }
  sendJson(res, 200, noise.settings());
}

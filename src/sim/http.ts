/** Small node:http helpers for the simulator: bodies in, JSON and vLLM-style errors out. */
import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_BODY_BYTES = 16 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Parsed JSON body, or undefined after answering 400/413 itself. */
export async function readJsonBody(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
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

export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  sendRaw(res, status, JSON.stringify(body), headers);
}

export function sendRaw(res: ServerResponse, status: number, text: string, headers?: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * vLLM's error body (its ErrorResponse): OpenAI's nested {"error":{message,type,param,code}}, as
 * every refusal of current vLLM answers. Older vLLM sent these fields flat with "object":"error";
 * promptctl reads both (infra/model/vllm-fetch.ts), the simulator speaks only the current one.
 */
function vllmError(status: number, type: string, message: string): Record<string, unknown> {
  return { error: { message, type, param: null, code: status } };
}

export function sendError(res: ServerResponse, status: number, type: string, message: string, headers?: Record<string, string>): void {
  sendJson(res, status, vllmError(status, type, message), headers);
}

/** vLLM's answer for a model it does not serve. */
export function sendModelNotFound(res: ServerResponse, model: string): void {
  sendError(res, 404, 'NotFoundError', `The model \`${model}\` does not exist.`);
}

/** vLLM's API-key check (its AuthenticationMiddleware) answers a bare string, not an ErrorResponse. */
export function sendUnauthorized(res: ServerResponse): void {
  sendJson(res, 401, { error: 'Unauthorized' });
}

/** FastAPI's answer for a route that does not exist. */
export function sendNotFound(res: ServerResponse): void {
  sendJson(res, 404, { detail: 'Not Found' });
}

export function sendMethodNotAllowed(res: ServerResponse): void {
  sendJson(res, 405, { detail: 'Method Not Allowed' });
}

import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A 127.0.0.1 proxy in front of the simulator that can hold chat completions: while held, each one
 * waits (counted) until `release()`, so a test can keep an eval in the middle of its run for as
 * long as it needs, without any timing. Everything else passes straight through. It keeps the
 * chat completions' bodies, for a test to see what an eval sent.
 */

export interface HeldProxy {
  /** Base URL for the project's server.base_url (…/v1). */
  url: string;
  /** Chat completions received since start (held or not). */
  chats(): number;
  /** The bodies of those chat completions, parsed, in the order they arrived. */
  chatBodies(): unknown[];
  /** Their request headers (names in lower case), in the same order. */
  chatHeaders(): IncomingMessage['headers'][];
  /** Chat completions waiting to be released. */
  waiting(): number;
  hold(): void;
  release(): void;
  /** Sends what arrives from now on to another server (an operator's rollout behind one address). */
  retarget(origin: string): void;
  close(): Promise<void>;
}

export async function startHeldProxy(simOrigin: string): Promise<HeldProxy> {
  let target = new URL(simOrigin);
  let held = false;
  let chats = 0;
  const bodies: unknown[] = [];
  const headers: IncomingMessage['headers'][] = [];
  let queue: Array<() => void> = [];
  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const upstream = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    upstream.end(body);
  };
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const body = Buffer.concat(parts);
      if (req.url?.endsWith('/chat/completions')) {
        chats++;
        bodies.push(JSON.parse(body.toString('utf8')) as unknown);
        headers.push({ ...req.headers });
        if (held) return void queue.push(() => forward(req, res, body));
      }
      forward(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const release = () => {
    held = false;
    for (const go of queue.splice(0)) go();
  };
  return {
    url: `http://127.0.0.1:${port}/v1`,
    chats: () => chats,
    chatBodies: () => [...bodies],
    chatHeaders: () => [...headers],
    waiting: () => queue.length,
    hold: () => void (held = true),
    release,
    retarget: (origin) => void (target = new URL(origin)),
    async close() {
      release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A 127.0.0.1 HTTP gateway in front of the simulator that drops `n` from chat completion requests
 * and passes everything else through, as some API gateways do: the server then answers one choice
 * to a request for several. A protocol test double, as the simulator is.
 */
export interface NoNGateway {
  /** The gateway's `/v1` base URL. */
  url: string;
  close(): Promise<void>;
}

export async function startNoNGateway(upstream: { port: number }): Promise<NoNGateway> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.url?.startsWith('/v1/chat/completions') && body.length) {
        const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
        delete parsed.n;
        body = Buffer.from(JSON.stringify(parsed));
      }
      const forward = request({ host: '127.0.0.1', port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, 'content-length': String(body.length) } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', (e) => {
        res.writeHead(502);
        res.end(String(e));
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

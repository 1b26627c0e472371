import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of PostgreSQL that passes each connection's server answers on
 * up to its `afterReady`-th ReadyForQuery ('Z') and then none (a hung server, or a proxy that stopped
 * forwarding; what the client sends still goes through). `asked()` resolves once a client has sent
 * something after its answers stopped, i.e. it now waits for an answer that will never come, so a
 * test acts while the client waits, with no timing.
 */

export interface AnswerFreezer {
  port: number;
  asked(): Promise<void>;
  close(): Promise<void>;
}

export async function startAnswerFreezer(upstream: { host: string; port: number }, afterReady = 1): Promise<AnswerFreezer> {
  const sockets = new Set<Socket>();
  let waiting: () => void = () => {};
  const asked = new Promise<void>((resolve) => (waiting = resolve));
  const server: Server = createServer((client) => {
    const to = createConnection(upstream);
    for (const s of [client, to]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        to.destroy();
      });
    }
    let frozen = false;
    let ready = 0;
    let pending = Buffer.alloc(0);
    client.on('data', (d: Buffer) => {
      to.write(d);
      if (frozen) waiting();
    });
    // Server messages: a type byte and a length that counts itself (the protocol's backend framing).
    to.on('data', (d: Buffer) => {
      if (frozen) return;
      pending = Buffer.concat([pending, d]);
      let at = 0;
      while (pending.length - at >= 5) {
        const end = at + 1 + pending.readUInt32BE(at + 1);
        if (end > pending.length) break;
        client.write(pending.subarray(at, end));
        const type = pending[at];
        at = end;
        if (type === 0x5a && ++ready >= afterReady) {
          frozen = true;
          return;
        }
      }
      pending = pending.subarray(at);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    asked: () => asked,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

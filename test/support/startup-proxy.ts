import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A 127.0.0.1 TCP proxy in front of the test run's PostgreSQL that does to the `options` startup
 * parameter what PgBouncer does, and nothing else: `refuse` answers it as PgBouncer does by
 * default (FATAL 08P01 "unsupported startup parameter: options"), `drop` leaves it out of the
 * startup packet (ignore_startup_parameters = options) and passes every byte after it through. The
 * server session is a real one: its search path is then the role's or the database's. A protocol
 * test double, as the simulator is for the model server; not a pooler (no pooling, no TLS).
 */

export interface StartupProxy {
  host: string;
  port: number;
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;

/** The startup packet's parameters (after its length and protocol version), as name/value pairs. */
function parameters(packet: Buffer): Array<[string, string]> {
  const fields = packet.subarray(8).toString('utf8').split('\0');
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < fields.length && fields[i] !== ''; i += 2) pairs.push([fields[i]!, fields[i + 1]!]);
  return pairs;
}

function startupPacket(protocol: number, pairs: ReadonlyArray<[string, string]>): Buffer {
  const body = Buffer.from(`${pairs.map(([k, v]) => `${k}\0${v}\0`).join('')}\0`, 'utf8');
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + body.length, 0);
  head.writeInt32BE(protocol, 4);
  return Buffer.concat([head, body]);
}

/** PgBouncer's refusal, as an ErrorResponse. */
function refusal(): Buffer {
  const fields = Buffer.from('SFATAL\0VFATAL\0C08P01\0Munsupported startup parameter: options\0\0', 'utf8');
  const head = Buffer.alloc(5);
  head.write('E', 0);
  head.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([head, fields]);
}

export async function startStartupProxy(upstream: { host: string; port: number }, mode: 'refuse' | 'drop'): Promise<StartupProxy> {
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const server = createServer((client) => {
    track(client);
    let pending = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 8 && pending.length >= pending.readInt32BE(0)) {
        const length = pending.readInt32BE(0);
        const packet = pending.subarray(0, length);
        pending = pending.subarray(length);
        const protocol = packet.readInt32BE(4);
        if (protocol === SSL_REQUEST) {
          client.write('N');
          continue;
        }
        client.off('data', onData);
        const pairs = parameters(packet);
        if (mode === 'refuse' && pairs.some(([k]) => k === 'options')) return void client.end(refusal());
        const server = connect(upstream.port, upstream.host);
        track(server);
        server.write(startupPacket(protocol, pairs.filter(([k]) => k !== 'options')));
        if (pending.length) server.write(pending);
        client.pipe(server);
        server.pipe(client);
        server.on('close', () => client.destroy());
        client.on('close', () => server.destroy());
        return;
      }
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 between promptctl and PostgreSQL that, when armed, cuts the connection
 * right after the client sends COMMIT of a transaction that inserted an audit event. It reads the
 * frontend protocol: after the untyped startup message, every message is a type byte and a
 * length; COMMIT is a simple Query ('Q') whose text is COMMIT (pg sends parameterless queries that
 * way), and the event insert is a Parse ('P') message naming `INSERT INTO events`.
 *
 * `forward` passes the COMMIT on before cutting, so the server commits and the client never hears
 * of it; `drop` cuts without it, so the server rolls back. Either way the client sees a lost
 * connection after sending COMMIT. `reply` passes the COMMIT on and relays the server's answer up
 * to its ReadyForQuery, then cuts: the client knows it committed, and only what it sends after
 * COMMIT meets the lost connection. Each `arm` cuts once; `cuts` counts them. Armed with
 * `anyCommit`, it cuts at the next COMMIT of a write transaction whatever it did.
 */

export type CutMode = 'forward' | 'drop' | 'reply';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

export class CommitCutter {
  private server!: Server;
  private mode: CutMode | null = null;
  private readonly sockets = new Set<Socket>();
  cuts = 0;
  port = 0;

  constructor(private readonly upstreamPort: number) {}

  async listen(): Promise<this> {
    this.server = createServer((client) => this.relay(client));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  /** `anyCommit`: cut at the next COMMIT even of a transaction that inserted no event (a read-only snapshot's excepted). */
  arm(mode: CutMode, { anyCommit = false }: { anyCommit?: boolean } = {}): void {
    this.mode = mode;
    this.anyCommit = anyCommit;
  }

  private anyCommit = false;

  private holdNext?: (release: () => void) => void;

  /**
   * Holds the next such COMMIT at the proxy, unsent, cutting nothing: resolves (with the function
   * that sends it on) once the client has sent it, so a test can act while the client waits for its
   * answer, with no timing.
   */
  holdNextCommit(): Promise<() => void> {
    return new Promise((resolve) => (this.holdNext = resolve));
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket): void {
    const upstream = connect(this.upstreamPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      // The relay writes each protocol message on its own; with Nagle's algorithm each small write
      // after the first waited for the peer's delayed ACK (about 40 ms a query).
      s.setNoDelay(true);
      this.sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => this.sockets.delete(s));
    }
    upstream.pipe(client);
    client.on('close', () => upstream.destroyed || upstream.end());
    let buf = Buffer.alloc(0);
    let started = false;
    let insertedEvent = false;
    // A read-only snapshot (inReadSnapshot) loses nothing with its COMMIT: `anyCommit` cuts write transactions.
    let readOnly = false;
    let cut = false;
    let held = false;
    client.on('data', (chunk: Buffer) => {
      if (cut) return;
      buf = Buffer.concat([buf, chunk]);
      pump();
    });
    const pump = () => {
      while (!held) {
        if (!started) {
          if (buf.length < 8) return;
          const len = buf.readInt32BE(0);
          if (buf.length < len) return;
          const code = buf.readInt32BE(4);
          if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) started = true;
          upstream.write(buf.subarray(0, len));
          buf = buf.subarray(len);
          continue;
        }
        if (buf.length < 5) return;
        const total = 1 + buf.readInt32BE(1);
        if (buf.length < total) return;
        const msg = buf.subarray(0, total);
        buf = buf.subarray(total);
        const type = String.fromCharCode(msg[0]!);
        const text = msg.subarray(5).toString('utf8');
        if (type === 'P' && /INSERT INTO events\b/.test(text)) insertedEvent = true;
        if (type === 'Q' && /^BEGIN\b/i.test(text.trim())) {
          insertedEvent = false;
          readOnly = /\bREAD ONLY\b/i.test(text);
        }
        if (type === 'Q' && insertedEvent && this.holdNext && text.replace(/\0+$/, '').trim().toUpperCase() === 'COMMIT') {
          const holding = this.holdNext;
          this.holdNext = undefined;
          held = true;
          holding(() => {
            held = false;
            upstream.write(msg);
            pump();
          });
          return;
        }
        if (type === 'Q' && (insertedEvent || (this.anyCommit && !readOnly)) && this.mode && text.replace(/\0+$/, '').trim().toUpperCase() === 'COMMIT') {
          const mode = this.mode;
          this.mode = null;
          cut = true;
          upstream.unpipe(client);
          this.cuts++;
          // unpipe paused the upstream: it flows again into the cut's own handling.
          if (mode === 'reply') {
            this.relayAnswerThenCut(upstream, client);
            upstream.write(msg);
          }
          upstream.resume();
          if (mode === 'reply') return;
          // end() flushes what was written first, so a forwarded COMMIT reaches the server.
          if (mode === 'forward') upstream.end(msg);
          else upstream.end();
          client.destroy();
          return;
        }
        upstream.write(msg);
      }
    };
  }

  /**
   * Relays the server's messages to the client up to and including the next ReadyForQuery ('Z'),
   * then closes both sides. pg waits for ReadyForQuery before it sends its next query, so the
   * answers before COMMIT's were all relayed already: the stream starts at a message boundary here.
   */
  private relayAnswerThenCut(upstream: Socket, client: Socket): void {
    let buf = Buffer.alloc(0);
    upstream.on('data', (chunk: Buffer) => {
      if (client.destroyed) return;
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 5) {
        const total = 1 + buf.readInt32BE(1);
        if (buf.length < total) return;
        const type = String.fromCharCode(buf[0]!);
        client.write(buf.subarray(0, total));
        buf = buf.subarray(total);
        if (type === 'Z') {
          client.end();
          upstream.end();
          return;
        }
      }
    });
  }
}

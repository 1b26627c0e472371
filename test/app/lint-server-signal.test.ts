import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/app/index.js';
import { InterruptedError } from '../../src/core/errors.js';
import { cleanupTempDirs, makeSimProject } from '../support/project.js';

/**
 * `lint --server` stops when its signal does (Ctrl-C in the CLI): exit 130, not a wait for the
 * server's timeout that ends as "cannot reach the server" (exit 3). The server here accepts the
 * connection and never answers, as a hung proxy does; the signal is aborted once it has the
 * connection, so nothing depends on timing.
 */

afterAll(() => cleanupTempDirs());

describe('lint --server and a stop signal', () => {
  it('a server that never answers: aborted once connected, lint is interrupted with the signal', async () => {
    const sockets: Socket[] = [];
    const controller = new AbortController();
    const server = createServer((socket) => {
      sockets.push(socket);
      controller.abort('SIGINT');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      // A long timeout: the old code waited it out (here 20 s) before failing as the server's fault.
      const dir = makeSimProject(`http://127.0.0.1:${port}/v1`, { timeout_ms: 20_000 });
      const error = await lint({ cwd: dir, env: {}, server: true, signal: controller.signal }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InterruptedError);
      expect(error).toMatchObject({ exitCode: 130, signal: 'SIGINT', message: 'interrupted while counting tokens on the server' });
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

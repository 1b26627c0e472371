import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/index.js';
import { UnavailableError } from '../../src/core/errors.js';
import { connectTimeoutMs } from '../../src/infra/registry/postgres/timeouts.js';
import { settingMs } from '../../src/infra/registry/postgres/turns.js';

/**
 * A host that accepts the TCP connection and never answers (a hung server, a proxy that stopped
 * forwarding): connecting is bounded, and the failure is exit 3 with a hint, so the library's stale
 * fallback can serve. Before, pg waited for ever: `getActive` never settled, nor did `status`.
 * No timing is asserted: the outcome is.
 */

let server: Server;
const sockets: Socket[] = [];
let port = 0;
beforeAll(async () => {
  server = createServer((s) => void sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => server.close(resolve));
});

describe('a PostgreSQL registry that never answers', () => {
  it('is an UnavailableError naming the registry (never its password) after connect_timeout', async () => {
    const reader = openRegistry({ url: `postgres://app:s3cret-pw@127.0.0.1:${port}/prompts?connect_timeout=2` });
    try {
      const err = await reader.getActive('support-answer', 'production').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(UnavailableError);
      const e = err as UnavailableError;
      expect(e.message).toBe(`no answer from the PostgreSQL registry at postgres://app@127.0.0.1:${port}/prompts?connect_timeout=2 while connecting`);
      expect(e.hint).toMatch(/connect_timeout=<seconds>/);
      expect(`${e.message}${e.why}${e.hint}${e.stack}`).not.toContain('s3cret-pw');
    } finally {
      await reader.close();
    }
  });

  it.each([
    ['postgres://h/db', 10_000],
    ['postgres://h/db?connect_timeout=5', 5_000],
    ['postgres://h/db?connect_timeout=1', 2_000],
    ['postgres://h/db?connect_timeout=0', 10_000],
    ['postgres://h/db?connect_timeout=soon', 10_000],
  ])('%s waits %i ms at most to connect', (url, ms) => {
    expect(connectTimeoutMs(url)).toBe(ms);
  });

  it.each([
    ['30s', 30_000],
    ['5min', 300_000],
    ['1500ms', 1_500],
    ['1h', 3_600_000],
    ['250', 250],
    ['soon', undefined],
  ])("lock_timeout shown as %s is %s ms (the lock wait's own answer timeout is taken from it)", (shown, ms) => {
    expect(settingMs(shown)).toBe(ms);
  });
});

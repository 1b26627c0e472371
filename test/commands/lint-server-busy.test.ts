import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { makeSimProject } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * `lint --server` against a server whose /tokenize is busy: one 503 was exit 3 with a hint to check
 * the model name or fix model.model. A busy moment is now retried; a server still busy after the
 * retries is exit 3 saying so, and a refused key names the key.
 */

const sim = simulatorForFile();
let proxies: Server[] = [];
afterEach(async () => {
  await Promise.all(proxies.map((p) => new Promise((resolve) => p.close(resolve))));
  proxies = [];
});

/** The simulator, but /tokenize answers `status` for its first `failures` requests. */
async function busyTokenize(failures: number, status = 503): Promise<string> {
  const upstream = new URL(sim.url);
  let asked = 0;
  const proxy = createServer((req, res) => {
    if (req.url === '/tokenize' && asked++ < failures) {
      req.resume();
      res.writeHead(status, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ object: 'error', message: status === 401 ? 'Unauthorized' : 'Service Unavailable', code: status }));
    }
    const out = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(out);
  });
  proxies.push(proxy);
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/v1`;
}

const RETRIES = { retries: { max_attempts: 2, base_delay_ms: 1, max_delay_ms: 1 } };

describe('lint --server on a busy /tokenize', () => {
  it('a busy moment is retried: the counts come back', async () => {
    const cwd = makeSimProject(await busyTokenize(1), RETRIES, 'promptctl-lint-busy-');
    const r = await runCliInProcess(['lint', '--server'], { cwd });
    expect(r.code, r.output).toBe(0);
  });

  it('still busy after the retries: exit 3 saying so, not blaming the model', async () => {
    const cwd = makeSimProject(await busyTokenize(99), RETRIES, 'promptctl-lint-busy-');
    const r = await runCliInProcess(['lint', '--server'], { cwd });
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).toContain('hint: the server was busy or down through 2 attempts: run the same command again once it answers, or `promptctl lint` without --server estimates meanwhile.');
    expect(r.stderr).not.toContain('fix model.model');
  });

  it('a refused key names the key', async () => {
    const cwd = makeSimProject(await busyTokenize(99, 401), RETRIES, 'promptctl-lint-busy-');
    const r = await runCliInProcess(['lint', '--server'], { cwd });
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).not.toContain('fix model.model');
    expect(r.stderr).toMatch(/^hint: .*api_key_env|^hint: export /m);
  });

  // It pointed at `promptctl config --effective` for where the model comes from, which shows gates only.
  it('a refused count names the setting that names the model, at its line', async () => {
    const cwd = makeSimProject(await busyTokenize(99, 400), RETRIES, 'promptctl-lint-busy-');
    const r = await runCliInProcess(['lint', '--server'], { cwd });
    expect(r.code, r.output).toBe(3);
    const line = readFileSync(path.join(cwd, '.promptrc.yaml'), 'utf8').split('\n').findIndex((l) => /^ {2}model: /.test(l)) + 1;
    expect(r.stderr).toMatch(new RegExp(`^hint: check that the server serves [\\w./-]+, or fix the setting naming it \\(\\.promptrc\\.yaml:${line}:3 server\\.model\\); \`promptctl lint\` without --server estimates instead\\.$`, 'm'));
    expect(r.stderr).not.toContain('config --effective');
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CircuitOpenError } from '../../src/infra/model/index.js';
import { createModelClient } from '../../src/infra/model/index.js';
import { runCliInProcess } from '../support/cli.js';
import { makeSimProject } from '../support/project.js';
import { caught, options, REQ, sim, useSimulator } from './harness.js';

/**
 * A proxy that passes /health and /v1/models but redirects POST /v1/chat/completions (a sign-in
 * proxy sending API calls to its login page). Before, every case errored with "302 status code (no
 * body)" and no hint, and eval exited 1 as if the gate had failed. Now the first redirect stops the
 * run (exit 3) in the words the preflight uses for a redirect of /health, naming where it goes.
 */

useSimulator();
let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => {
    if (!server) return resolve(undefined);
    server.close(resolve);
    server.closeAllConnections();
  });
  server = undefined;
});

/** The chat requests the proxy redirected. */
let redirected = 0;

async function signInProxy(location: string): Promise<string> {
  redirected = 0;
  server = createServer((req, res) => {
    if (req.method === 'POST') {
      redirected++;
      req.resume();
      return void res.writeHead(302, { location }).end();
    }
    void fetch(`${new URL(sim.url).origin}${req.url}`).then(async (up) => res.writeHead(up.status, { 'content-type': 'application/json' }).end(await up.text()));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

const WHY = 'promptctl follows no redirect: a request sent to another address than the one configured could carry its API key elsewhere, and every chat request would be redirected alike.';

describe('a chat request answered with a redirect', () => {
  it('stops the run at once, naming where the server redirects', async () => {
    const url = await signInProxy('https://sso.example.com/login?next=%2Fv1%2Fchat%2Fcompletions');
    const client = createModelClient(options({ baseUrls: [url] }));
    await client.preflight('sim-model');
    const e = (await caught(client.complete(REQ))) as CircuitOpenError;
    expect(e).toBeInstanceOf(CircuitOpenError);
    expect(e.exitCode).toBe(3);
    const hint = 'set server.base_url in .promptrc.yaml to the address it redirects to (https://sso.example.com/v1, if that is the same server), or to one that reaches the server without a redirect (not through a sign-in page).';
    expect(e.message).toBe(`Stopped sending requests: the server at ${url} redirects (POST /chat/completions answered 302, to https://sso.example.com/login?next=%2Fv1%2Fchat%2Fcompletions). ${WHY} What to do: ${hint}`);
    expect(e.hint).toBe(hint);
    // No retry, and nothing more is sent.
    expect(await caught(client.complete(REQ))).toBe(e);
    expect(redirected).toBe(1);
  });

  it('resolves a relative Location against the request', async () => {
    const url = await signInProxy('/sso/login');
    const e = (await caught(createModelClient(options({ baseUrls: [url] })).complete(REQ))) as CircuitOpenError;
    expect(e.message).toContain(`redirects (POST /chat/completions answered 302, to ${new URL(url).origin}/sso/login).`);
  });

  it('eval exits 3 (server unusable), not 1 (gate failed)', async () => {
    const url = await signInProxy('https://sso.example.com/login');
    const cwd = makeSimProject(url, { concurrency: 1 }, 'promptctl-chat-redirect-');
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'golden', '--no-cache'], { cwd });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`the server at ${url} redirects (POST /chat/completions answered 302, to https://sso.example.com/login).`);
    expect(r.output).not.toContain('302 status code (no body)');
    expect(redirected).toBe(1);
  });
});

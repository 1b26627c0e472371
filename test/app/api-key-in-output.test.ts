import { describe, expect, it } from 'vitest';
import { runEval } from '../../src/app/index.js';
import { withoutApiKey } from '../../src/infra/model/errors.js';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { starredKeyValues } from '../../src/core/secret-text.js';
import { runCliInProcess } from '../support/cli.js';
import { makeSimProject, readProjectFile, registryPath, withRegistry, writeProjectFile } from '../support/project.js';
import { SCRIPT_ENV, simulatorForFile } from '../support/simulator.js';

/**
 * Secrets never reach output, reports or the registry. A server that echoes the API key in an
 * answer (a debug proxy repeating the Authorization header, a model asked for it) had the key
 * recorded as the sample's output, cached, and printed in every report; error texts were already
 * starred. The simulator answers from its system message: one sentence of it holds the key's text.
 */

const sim = simulatorForFile();

/** A proxy to `target` (the simulator's /v1 URL) that adds the request's Authorization header to every chat answer. */
async function echoingProxy(target: string): Promise<{ url: string; close: () => Promise<void> }> {
  const origin = new URL(target).origin;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (req.headers.authorization) headers.authorization = req.headers.authorization;
      void fetch(`${origin}${req.url}`, { method: req.method, headers, ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}) }).then(async (up) => {
        let text = await up.text();
        if (req.url?.endsWith('/chat/completions') && up.ok) {
          const body = JSON.parse(text) as { choices: Array<{ message: { content: string } }> };
          for (const c of body.choices) c.message.content += ` Authorization: ${req.headers.authorization ?? ''}`;
          text = JSON.stringify(body);
        }
        res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' }).end(text);
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1`, close: () => new Promise((r) => {
    server.close(() => r());
    server.closeAllConnections();
  }) };
}
const KEY = 'sk-test-SECRET-4242';

describe('an answer that holds the API key', () => {
  it('is recorded, cached and reported with the key starred', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-key-in-output-');
    const file = 'prompts/support-answer/1.1.0.yaml';
    writeProjectFile(cwd, file, readProjectFile(cwd, file).replace('      - Standard shipping takes 3 to 5 business days.', `      - Standard shipping takes 3 to 5 business days.\n      - The gateway access code is ${KEY} for partners.`));
    writeProjectFile(cwd, 'evalsets/support-answer/code.yaml', 'prompt: support-answer\nversions: "1.1.0"\nkind: golden\nthreshold: 0\ncases:\n  - id: access-code\n    vars: { question: "What is the gateway access code for partners?" }\n    expect:\n      - icontains: "access code"\n');
    const result = await runEval({ cwd, env: { ...SCRIPT_ENV, VLLM_API_KEY: KEY }, refs: ['support-answer@1.1.0'], suite: ['code'] });
    const output = result.report.runs[0]!.cases[0]!.samples[0]!.output;
    expect(output).toContain('The gateway access code is [REDACTED] for partners');
    expect(JSON.stringify(result.report)).not.toContain(KEY);
    const stored = withRegistry(cwd, (db) => [...(db.prepare('SELECT output FROM samples').all() as Array<{ output: string }>), ...(db.prepare('SELECT output FROM response_cache').all() as Array<{ output: string }>)]);
    expect(stored.length).toBeGreaterThan(1);
    for (const row of stored) expect(String(row.output)).not.toContain(KEY);
  });

  // A key without a digit was starred in errors but not in answers (the answer's rule wanted
  // letters and digits): `eval --json` printed `Bearer correct-horse-battery-staple` and the
  // registry kept it. A proxy in front of the simulator echoes the header into every answer, as a
  // debug proxy does; the key is nowhere else (not in the prompt), so the registry's files can be
  // searched whole.
  it.each(['correct-horse-battery-staple', 'sk-abcdef1234567890SECRETKEY'])('%s echoed as a bearer token reaches neither eval --json nor the registry', async (key) => {
    const proxy = await echoingProxy(sim.url);
    try {
      const cwd = makeSimProject(proxy.url, {}, 'promptctl-key-echo-');
      writeProjectFile(cwd, 'evalsets/support-answer/code.yaml', 'prompt: support-answer\nversions: "1.1.0"\nkind: golden\nthreshold: 0\ncases:\n  - id: header\n    vars: { question: "How long does shipping take?" }\n    expect:\n      - contains: "Authorization: Bearer [REDACTED]"\n');
      const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'code', '--no-cache', '--json'], { cwd, env: { VLLM_API_KEY: key } });
      expect(r.output).not.toContain(key);
      const report = JSON.parse(r.stdout) as { runs: Array<{ cases: Array<{ samples: Array<{ output: string; verdict: string }> }> }> };
      const sample = report.runs[0]!.cases[0]!.samples[0]!;
      expect(sample.output).toMatch(/ Authorization: Bearer \[REDACTED\]$/);
      // The verdict is the starred text's: what was scored is what is stored.
      expect(sample.verdict).toBe('pass');
      const folder = path.dirname(registryPath(cwd));
      for (const f of readdirSync(folder).filter((name) => name.startsWith('registry.db'))) expect(readFileSync(path.join(folder, f)).includes(Buffer.from(key))).toBe(false);
      const stored = withRegistry(cwd, (db) => db.prepare('SELECT output FROM samples').all() as Array<{ output: string }>);
      expect(stored.map((row) => String(row.output))).toEqual([sample.output]);
    } finally {
      await proxy.close();
    }
  });

  it.each<[string, string | undefined, string[]]>([
    ['no key', undefined, []],
    ['vLLM\'s placeholder', 'EMPTY', []],
    ['a word', 'none', []],
    ['a short number', '1234567', []],
    ['a documented placeholder', 'sk-no-key-required', []],
    ['a key of words', 'correct-horse-battery-staple', ['correct-horse-battery-staple']],
    ['eight characters', 'abcdefgh', ['abcdefgh']],
    ['a key with spaces around it', ' sk-abcdef123456 ', [' sk-abcdef123456 ', 'sk-abcdef123456']],
  ])('starredKeyValues: %s', (_, key, values) => {
    expect(starredKeyValues(key)).toEqual(values);
  });

  it.each([
    ['no key', undefined, 'code sk-test-SECRET-4242', 'code sk-test-SECRET-4242'],
    ['a key the output does not hold', KEY, 'nothing here', 'nothing here'],
    ['the key in the text', KEY, `code ${KEY}.`, 'code [REDACTED].'],
    ['a placeholder key, a word of the answer', 'none', 'Category: none', 'Category: none'],
    ['a placeholder key of digits, a number of the answer', '1234', 'limit 1234', 'limit 1234'],
    ['a key without a digit', 'correct-horse-battery-staple', 'Bearer correct-horse-battery-staple', 'Bearer [REDACTED]'],
    ['another bearer token the answer shows', KEY, 'Authorization: Bearer abc.def', 'Authorization: Bearer abc.def'],
  ])('withoutApiKey: %s', (_, key, output, starred) => {
    const result = { output, latencyMs: 1, tokensIn: 1, tokensOut: 1, finishReason: 'stop', replica: 'r', attempts: 1, toolCalls: [{ id: 'c', type: 'function' as const, function: { name: 'f', arguments: JSON.stringify({ token: output }) } }], choices: [{ output, tokensOut: 1, finishReason: 'stop' }] };
    const out = withoutApiKey(result, key);
    expect(out.output).toBe(starred);
    expect(out.choices![0]!.output).toBe(starred);
    expect(JSON.parse(out.toolCalls![0]!.function.arguments)).toEqual({ token: starred });
    if (starred === output) expect(out).toBe(result);
  });
});

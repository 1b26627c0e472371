import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeJudge } from '../../src/infra/eval/judge.js';
import { createModelClient } from '../../src/infra/model/index.js';
import { runCliInProcess } from '../support/cli.js';
import { makeSimProject, withRegistry, writeProjectFile } from '../support/project.js';
import type { ModelClientOptions } from '../../src/infra/model/index.js';
import { caught, REQ } from './harness.js';

/**
 * A server's JSON may escape a lone UTF-16 surrogate (`"a\ud800b"`): JSON.parse hands it on as is,
 * and every place then read it its own way (the terminal drew one U+FFFD, SQLite stored it and read
 * back three, JUnit's XML dropped it). promptctl makes server text well-formed where it reads it:
 * the one text is scored, cached, stored and shown. The server below answers raw JSON text, so the
 * escape reaches the client exactly as a server would send it.
 */

/** `a\ud800b` as JSON text: a backslash escape, which JSON.stringify of a string would never write. */
const LONE = '"a\\ud800b"';
const SHOWN = 'a\ufffdb';

let status = 200;
let raw = '';
let server: Server;
let url = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const json = (code: number, body: string) => {
        res.writeHead(code, { 'content-type': 'application/json' });
        res.end(body);
      };
      if (req.url?.startsWith('/health')) return json(200, '{}');
      if (req.url?.startsWith('/v1/models')) return json(200, JSON.stringify({ object: 'list', data: [{ id: 'sim-model', object: 'model', root: 'sim-model', owned_by: 'test' }] }));
      // No /tokenize while answers are good (counts are not what this file tests); its error otherwise.
      if (req.url?.startsWith('/tokenize') && status === 200) return json(404, '{}');
      return json(status, raw);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise((r) => server.close(r)));

/** A chat completion whose message is `message` (raw JSON text), with `choices` more of them. */
function completion(message: string, more: string[] = []): string {
  const choice = (m: string, i: number) => `{"index":${i},"message":${m},"finish_reason":"stop"}`;
  return `{"id":"x","object":"chat.completion","created":1,"model":"sim-model","choices":[${[message, ...more].map(choice).join(',')}],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}`;
}

const wellFormed = (s: string) => s.isWellFormed();
/** One attempt per request (an error body is final or not, the text is what counts), no waiting. */
const options = (): ModelClientOptions => ({ baseUrls: [url], timeoutMs: 5_000, retries: { max_attempts: 1, base_delay_ms: 1, max_delay_ms: 1 }, breakerThreshold: 5, sleep: async () => {}, random: () => 0.5 });

describe('an answer holding a lone surrogate is read as well-formed text', () => {
  it.each<[string, string, string]>([
    ['content', `{"role":"assistant","content":${LONE}}`, SHOWN],
    ['a lone low surrogate', '{"role":"assistant","content":"\\udc00x"}', '\ufffdx'],
    ['a pair out of order', '{"role":"assistant","content":"\\udc00\\ud800"}', '\ufffd\ufffd'],
    ['a pair, escaped: one character, kept', '{"role":"assistant","content":"\\ud83d\\ude42"}', '\u{1f642}'],
    ['content parts', `{"role":"assistant","content":[{"type":"text","text":${LONE}}]}`, SHOWN],
    ['a pair split over two parts: one character', '{"role":"assistant","content":[{"type":"text","text":"\\ud83d"},{"type":"text","text":"\\ude42"}]}', '\u{1f642}'],
  ])('%s', async (_name, message, output) => {
    status = 200;
    raw = completion(message);
    const r = await createModelClient(options()).complete(REQ);
    expect(r.output).toBe(output);
  });

  it("a tool call's name and arguments, and every choice of an n-sampling answer", async () => {
    status = 200;
    const call = '{"role":"assistant","content":null,"tool_calls":[{"id":"c\\ud800","type":"function","function":{"name":"f\\udfff","arguments":"{\\"q\\":\\"x\\ud800\\"}"}}]}';
    raw = completion(call, [`{"role":"assistant","content":${LONE}}`]);
    const r = await createModelClient(options()).complete({ ...REQ, n: 2 });
    expect(r.toolCalls).toEqual([{ id: 'c\ufffd', type: 'function', function: { name: 'f\ufffd', arguments: '{"q":"x\ufffd"}' } }]);
    expect(r.choices?.map((c) => c.output)).toEqual(['', SHOWN]);
  });

  it("a judge's reason, which JSON in the answer's text may escape", async () => {
    status = 200;
    // The content is JSON text holding the escape: the judge's parse, not the wire's, makes the surrogate.
    raw = completion(`{"role":"assistant","content":${JSON.stringify('{"score":0.5,"reason":"half \\ud800 right"}')}}`);
    const judged = await makeJudge(createModelClient(options()), 'sim-model')({ rubric: 'r', min_score: 0.5 }, 'out');
    expect(judged).toEqual({ score: 0.5, reason: 'half \ufffd right' });
  });

  it.each([
    ['a chat completion', (c: ReturnType<typeof createModelClient>) => c.complete(REQ), `Chat completion failed on URL: 400 bad ${SHOWN}`],
    ['a token count', (c: ReturnType<typeof createModelClient>) => c.tokenize('sim-model', { prompt: 'Hello' }), `Token count failed on ORIGIN/tokenize: bad ${SHOWN}`],
  ])("%s's error body", async (_name, call, message) => {
    status = 400;
    raw = `{"error":{"message":"bad ${LONE.slice(1, -1)}","type":"BadRequestError","code":400}}`;
    const e = await caught(call(createModelClient(options())));
    expect((e as Error).message).toBe(message.replace('URL', url).replace('ORIGIN', url.replace(/\/v1$/, '')));
  });
});

describe('an eval whose answer holds a lone surrogate', () => {
  it('shows, scores and stores one text: live line, --json, the registry, Markdown and JUnit agree', async () => {
    status = 200;
    raw = completion(`{"role":"assistant","content":${LONE}}`);
    const cwd = makeSimProject(url, {}, 'promptctl-well-formed-');
    writeProjectFile(cwd, 'evalsets/support-answer/edge.yaml', 'prompt: support-answer\nversions: ">=1.0.0"\nkind: golden\nthreshold: 0.5\ncases:\n  - id: lone\n    vars: { question: "q" }\n    expect: [ { equals: "ab" } ]\n');
    const r = await runCliInProcess(['eval', 'support-answer@1.0.0', '--suite', 'edge', '--json', '--junit', 'r.xml', '--summary', 'r.md'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`expected "ab", got "${SHOWN}"`);
    const sample = JSON.parse(r.stdout).runs[0].cases[0].samples[0];
    expect([sample.output, sample.reasons[0].actual]).toEqual([SHOWN, SHOWN]);
    expect(withRegistry(cwd, (db) => [db.prepare('SELECT output FROM samples').get(), db.prepare('SELECT output FROM response_cache').get()])).toEqual([{ output: SHOWN }, { output: SHOWN }]);
    const xml = readFileSync(path.join(cwd, 'r.xml'), 'utf8');
    expect(xml.match(/^\s*(actual|output): [^<\n]*/gm)?.map((l) => l.trim())).toEqual([`actual: ${SHOWN}`, `output: ${SHOWN}`]);
    expect(readFileSync(path.join(cwd, 'r.md'), 'utf8')).toContain(SHOWN);
    expect([r.stdout, r.stderr, xml].every(wellFormed)).toBe(true);
  });
});

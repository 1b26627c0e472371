import { describe, expect, it } from 'vitest';
import { runEval } from '../../src/app/index.js';
import { withoutApiKey } from '../../src/infra/model/errors.js';
import { makeSimProject, readProjectFile, withRegistry, writeProjectFile } from '../support/project.js';
import { SCRIPT_ENV, simulatorForFile } from '../support/simulator.js';

/**
 * Secrets never reach output, reports or the registry. A server that echoes the API key in an
 * answer (a debug proxy repeating the Authorization header, a model asked for it) had the key
 * recorded as the sample's output, cached, and printed in every report; error texts were already
 * starred. The simulator answers from its system message: one sentence of it holds the key's text.
 */

const sim = simulatorForFile();
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

  it.each([
    ['no key', undefined, 'code sk-test-SECRET-4242', 'code sk-test-SECRET-4242'],
    ['a key the output does not hold', KEY, 'nothing here', 'nothing here'],
    ['the key in the text', KEY, `code ${KEY}.`, 'code [REDACTED].'],
    ['a placeholder key, a word of the answer', 'none', 'Category: none', 'Category: none'],
    ['a placeholder key of digits, a number of the answer', '1234', 'limit 1234', 'limit 1234'],
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

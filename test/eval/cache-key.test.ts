import { describe, expect, it } from 'vitest';
import { runEval } from '../../src/app/index.js';
import { nSampleKey } from '../../src/core/eval/n-sampling.js';
import { planRun, type PlanInput } from '../../src/core/eval/plan.js';
import type { RequestParams } from '../../src/core/eval/request-params.js';
import { samplesOf } from '../../src/core/eval/samples.js';
import { EvalSet } from '../../src/core/schemas/evalset.js';
import { makeSimProject, readProjectFile, writeProjectFile } from '../support/project.js';
import { SCRIPT_ENV, simulatorForFile } from '../support/simulator.js';
import { supportVersion } from '../support/support-version.js';

/**
 * The response cache key names everything a request asks: a sample answered from the cache under a
 * key that left out a setting would be the answer to another request (mutation hunt: with
 * `temperature` or `max_tokens` out of the key, editing either served every sample from the cache).
 * Each row changes one thing and the key must change with it.
 */

const version = supportVersion('You are the support assistant.');

type Case = Record<string, unknown>;
const baseCase: Case = { id: 'c', vars: { question: 'Refunds?' }, expect: [{ icontains: 'days' }] };
const baseParams: RequestParams = { model: 'm', temperature: 0.5, max_tokens: 200 };

function plan(params: RequestParams, c: Case, more: Partial<PlanInput> = {}) {
  const data = EvalSet.parse({ prompt: 'support', kind: 'golden', cases: [c] });
  const { run, problems } = planRun({ version, suite: { name: 'golden', file: 'g.yaml', hash: 'g', data, generated: [] }, params, judges: { rubric: 'm' }, ...more }, () => ({ line: 1, col: 1 }));
  expect(problems).toEqual([]);
  return run!;
}

/** The cache key of every sample, in order. */
const keysOf = (params: RequestParams, c: Case, more: Partial<PlanInput> = {}) => [...samplesOf(plan(params, c, more))].map((s) => s.cacheKey);

const withConversation = (text: string): Case => ({ ...baseCase, messages: [{ role: 'user', content: 'First.' }, { role: 'assistant' }, { role: 'user', content: text }] });

describe('the response cache key', () => {
  const rows: Array<[string, RequestParams, Case, RequestParams, Case]> = [
    ['temperature', baseParams, baseCase, { ...baseParams, temperature: 0.9 }, baseCase],
    ['max_tokens at temperature 0', { ...baseParams, temperature: 0 }, baseCase, { ...baseParams, temperature: 0, max_tokens: 199 }, baseCase],
    ['max_tokens', baseParams, baseCase, { ...baseParams, max_tokens: 20 }, baseCase],
    ['model', baseParams, baseCase, { ...baseParams, model: 'other' }, baseCase],
    ['top_p', baseParams, baseCase, { ...baseParams, top_p: 0.9 }, baseCase],
    ['seed', baseParams, baseCase, { ...baseParams, seed: 7 }, baseCase],
    ['stop', baseParams, baseCase, { ...baseParams, stop: ['\n'] }, baseCase],
    ['presence_penalty', baseParams, baseCase, { ...baseParams, presence_penalty: 0.5 }, baseCase],
    ['frequency_penalty', baseParams, baseCase, { ...baseParams, frequency_penalty: 0.5 }, baseCase],
    ['extra_body', { ...baseParams, extra_body: { top_k: 5 } }, baseCase, { ...baseParams, extra_body: { top_k: 10 } }, baseCase],
    ['the messages', baseParams, baseCase, baseParams, { ...baseCase, vars: { question: 'Shipping?' } }],
    ['the conversation', baseParams, withConversation('Second?'), baseParams, withConversation('Third?')],
    ['the tool results', baseParams, { ...baseCase, tool_results: { lookup: { days: 30 } } }, baseParams, { ...baseCase, tool_results: { lookup: { days: 14 } } }],
    // A tool result reaches the model as its JSON text in the case's key order (exchange.ts).
    ['the key order of a tool result', baseParams, { ...baseCase, tool_results: { lookup: { days: 30, sky: 'clear' } } }, baseParams, { ...baseCase, tool_results: { lookup: { sky: 'clear', days: 30 } } }],
    ['the key order inside a tool result', baseParams, { ...baseCase, tool_results: { lookup: { policy: { days: 30, kind: 'refund' } } } }, baseParams, { ...baseCase, tool_results: { lookup: { policy: { kind: 'refund', days: 30 } } } }],
  ];

  it.each(rows)('changes with %s', (_, paramsA, caseA, paramsB, caseB) => {
    const a = keysOf(paramsA, caseA);
    const b = keysOf(paramsB, caseB);
    expect(a).toHaveLength(1);
    expect(b[0]).not.toBe(a[0]);
    // And stays the same for the same request.
    expect(keysOf(paramsA, caseA)).toEqual(a);
  });

  it('keeps its key when only the order of the tool names changes (each call is answered by its name)', () => {
    const a = keysOf(baseParams, { ...baseCase, tool_results: { lookup: { days: 30 }, weather: 'sunny' } });
    expect(keysOf(baseParams, { ...baseCase, tool_results: { weather: 'sunny', lookup: { days: 30 } } })).toEqual(a);
  });

  it.each([0, 0.7])('gives each repeat of a case its own key (temperature %s)', (temperature) => {
    const keys = keysOf({ ...baseParams, temperature }, { ...baseCase, repeat: 3 });
    expect(new Set(keys).size).toBe(3);
  });

  describe('in n mode (one request for all samples of a case)', () => {
    const nKeys = (params: RequestParams) => {
      const run = plan(params, { ...baseCase, repeat: 3 }, { requestMode: 'n' });
      expect(run.requestMode).toBe('n');
      const samples = [...samplesOf(run)];
      expect(samples.every((s) => s.group?.n === 3)).toBe(true);
      return samples.map((s) => s.cacheKey);
    };

    it.each<[string, RequestParams]>([
      ['temperature', { ...baseParams, temperature: 0.9 }],
      ['max_tokens', { ...baseParams, max_tokens: 20 }],
      ['extra_body', { ...baseParams, extra_body: { top_k: 5 } }],
    ])('changes with %s', (_, other) => {
      const a = nKeys(baseParams);
      const b = nKeys(other);
      expect(new Set(a).size).toBe(3);
      for (let i = 0; i < 3; i++) expect(b[i]).not.toBe(a[i]);
    });

    it('nSampleKey names the request settings', () => {
      const m = [{ role: 'user' as const, content: 'hi' }];
      expect(nSampleKey(m, { temperature: 0.5, max_tokens: 200 }, 3, 0)).not.toBe(nSampleKey(m, { temperature: 0.9, max_tokens: 200 }, 3, 0));
      expect(nSampleKey(m, { temperature: 0.5, max_tokens: 200 }, 3, 0)).not.toBe(nSampleKey(m, { temperature: 0.5, max_tokens: 20 }, 3, 0));
    });
  });
});

describe('an eval after editing a draft setting', () => {
  const sim = simulatorForFile();
  const FILE = 'prompts/support-answer/1.1.0.yaml';

  it.each([
    ['temperature', 0.5, 0.9],
    ['max_tokens', 200, 20],
  ])('asks the server again when %s changes, and serves none of the answers from the cache', async (setting, first, second) => {
    const cwd = makeSimProject(sim.url);
    const edit = (to: number) => {
      const text = readProjectFile(cwd, FILE);
      const edited = text.replace(new RegExp(`^  ${setting}: .*$`, 'm'), `  ${setting}: ${to}`);
      expect(edited).toContain(`  ${setting}: ${to}\n`);
      writeProjectFile(cwd, FILE, edited);
    };
    const opts = { cwd, env: SCRIPT_ENV, refs: ['support-answer@1.1.0'], suite: ['golden'] };
    edit(first);
    const before = await runEval(opts);
    const cases = before.report.runs[0]!.cases.length;
    expect(cases).toBeGreaterThan(0);
    // The same again: every sample from the cache, nothing sent (the cache does work here).
    sim.resetStats();
    const again = await runEval(opts);
    expect(sim.stats().chatCompletions).toBe(0);
    expect(again.report.runs[0]!.cases.every((c) => c.samples.every((s) => s.cached))).toBe(true);
    // One setting edited: every sample asked again.
    edit(second);
    sim.resetStats();
    const after = await runEval(opts);
    expect(sim.stats().chatCompletions).toBe(cases);
    const samples = after.report.runs[0]!.cases.flatMap((c) => c.samples);
    expect(samples).toHaveLength(cases);
    expect(samples.filter((s) => s.cached)).toEqual([]);
  });
});

describe('a run graded by a judge', () => {
  const refusal: Case = { ...baseCase, expect: [{ refusal: true }] };
  const patterns = { judges: { rubric: 'm' } };
  const judged = { judges: { rubric: 'j', safety: 'j' } };

  it('records its grading and has its own inputs key per grading, the answers keeping their cache key', () => {
    const a = plan(baseParams, refusal, patterns);
    const b = plan(baseParams, refusal, judged);
    expect(a.grading).toEqual({ safety: null });
    expect(b.grading).toEqual({ safety: 'j' });
    expect(b.inputsKey).not.toBe(a.inputsKey);
    expect(keysOf(baseParams, refusal, judged)).toEqual(keysOf(baseParams, refusal, patterns));
  });

  it('a suite that uses no judge is untouched by a judge change', () => {
    const a = plan(baseParams, baseCase, patterns);
    expect(a.grading).toBeUndefined();
    expect(plan(baseParams, baseCase, judged).inputsKey).toBe(a.inputsKey);
  });
});

import { describe, expect, it } from 'vitest';
import { nRequestParams, nSampleKey, promptTokensSaved, sharesRequest, usesN } from '../../src/core/eval/n-sampling.js';
import { choicesOf } from '../../src/infra/model/choices.js';

describe('n-sampling rules', () => {
  it('plans n mode only where a case takes several samples, with the base seed when sampling', () => {
    const c = (repeat: number, more: object = {}) => ({ repeat, expectations: [{ contains: 'a' }], ...more });
    const sampled = { temperature: 0.8 };
    expect(usesN([c(1), c(1)], sampled)).toBe(false);
    expect(usesN([c(1), c(3)], sampled)).toBe(true);
    // Cases whose samples cannot share a request do not make a run an n-mode run.
    expect(usesN([c(3, { conversation: [] }), c(3, { toolResults: {} })], sampled)).toBe(false);
    expect(usesN([c(3)], { ...sampled, tools: [] })).toBe(false);
    expect(nRequestParams({ model: 'm', temperature: 0.8, max_tokens: 9 })).toEqual({ model: 'm', temperature: 0.8, max_tokens: 9, seed: 0 });
  });

  // vLLM refuses n > 1 with greedy sampling ("n must be 1 when using greedy sampling"), and its samples would be one answer.
  it('never plans n mode at temperature 0', () => {
    const c = { repeat: 5, expectations: [{ contains: 'a' }] };
    expect(sharesRequest(c, { temperature: 0 })).toBe(false);
    expect(usesN([c], { temperature: 0 })).toBe(false);
    expect(usesN([c], { temperature: 0.01 })).toBe(true);
  });

  it('never shares a request between the samples of a case that judges its own tokens (max-tokens)', () => {
    const c = (expectations: object[]) => ({ repeat: 5, expectations }) as Parameters<typeof sharesRequest>[0];
    expect(sharesRequest(c([{ contains: 'a' }]), { temperature: 1 })).toBe(true);
    expect(sharesRequest(c([{ contains: 'a' }, { 'max-tokens': 17 }]), { temperature: 1 })).toBe(false);
    expect(usesN([c([{ 'max-tokens': 17 }])], { temperature: 1 })).toBe(false);
  });

  it('keys each sample by mode, n and index', () => {
    const m = [{ role: 'user' as const, content: 'hi' }];
    const keys = new Set([nSampleKey(m, {}, 3, 0), nSampleKey(m, {}, 3, 1), nSampleKey(m, {}, 4, 0)]);
    expect(keys.size).toBe(3);
  });

  it('counts the prompt tokens not prefilled again: every answered sample of a case after the first', () => {
    const s = (caseId: string, tokensIn: number, cached = false, verdict = 'pass') => ({ caseId, tokensIn, cached, verdict });
    expect(promptTokensSaved([s('a', 10), s('a', 10), s('a', 10), s('b', 7), s('b', 7, true), s('b', 7, false, 'error')])).toBe(20);
  });

  it('shares the completion tokens of all choices by length, adding up to the total', () => {
    const out = choicesOf([{ index: 1, message: { content: 'abcdef' }, finish_reason: 'stop' }, { index: 0, message: { content: 'ab' }, finish_reason: 'length' }], 9);
    expect(out.map((c) => c.output)).toEqual(['ab', 'abcdef']);
    expect(out.map((c) => c.tokensOut)).toEqual([2, 7]);
    expect(out[0]!.finishReason).toBe('length');
  });
});

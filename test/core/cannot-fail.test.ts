import { describe, expect, it } from 'vitest';
import { cannotFailWarnings } from '../../src/core/lint/cannot-fail.js';
import type { LintablePrompt } from '../../src/core/lint/prompt-rules.js';
import { lintSuite } from '../../src/core/lint/suite-rules.js';
import { EvalSet } from '../../src/core/schemas/evalset.js';
import { PromptVersion } from '../../src/core/schemas/prompt.js';

/**
 * `threshold: 0` and `min_pass_rate: 0` make verdicts that cannot say "failed" (eval printed FAIL
 * lines, then `PASSED 4 FAILED 0` and a tested mark). Legal, for a smoke suite, but lint warns.
 */

const suite = (extra: Record<string, unknown>, cases: Array<Record<string, unknown>> = [{ id: 'a' }, { id: 'b' }]) =>
  EvalSet.parse({ prompt: 'p', kind: 'golden', ...extra, cases: cases.map((c) => ({ vars: {}, expect: [{ contains: 'x' }], ...c })) });

describe('cannotFailWarnings', () => {
  it.each<{ name: string; extra: Record<string, unknown>; cases?: Array<Record<string, unknown>>; want: string[] }>([
    { name: 'defaults', extra: {}, want: [] },
    { name: 'small but not zero', extra: { threshold: 0.01, min_pass_rate: 0.01 }, cases: [{ id: 'a', min_pass_rate: 0.5 }], want: [] },
    { name: 'threshold 0', extra: { threshold: 0 }, want: ['threshold: threshold 0 passes the suite whatever its cases do, so it can never fail: remove it (the default, 1, needs every case to pass) or set the share of cases that must pass, such as 0.9'] },
    { name: 'min_pass_rate 0', extra: { min_pass_rate: 0 }, want: ["min_pass_rate: min_pass_rate 0 passes every case whatever its samples do, so no case can fail: remove it (the default, 1, needs every sample to pass) or set the share of a case's samples that must pass, such as 0.8"] },
    { name: 'min_pass_rate 0 with a case of its own', extra: { min_pass_rate: 0 }, cases: [{ id: 'a', min_pass_rate: 1 }, { id: 'b' }], want: ["min_pass_rate: min_pass_rate 0 passes every case but the 1 that set their own whatever its samples do, so those can fail: remove it (the default, 1, needs every sample to pass) or set the share of a case's samples that must pass, such as 0.8"] },
    { name: 'a case with min_pass_rate 0', extra: {}, cases: [{ id: 'a' }, { id: 'b', min_pass_rate: 0 }], want: ['cases.1.min_pass_rate: case "b": min_pass_rate 0 passes the case whatever its samples do, so it can never fail: remove it or set the share of its samples that must pass, such as 0.8'] },
  ])('$name', ({ extra, cases, want }) => {
    expect(cannotFailWarnings(suite(extra, cases)).map((w) => `${w.path.join('.')}: ${w.message}`)).toEqual(want);
  });
});

describe('lintSuite', () => {
  it('warns (suite/cannot-fail) at the field', () => {
    const v: LintablePrompt = { id: 'p', version: '1.0.0', file: 'prompts/p/1.0.0.yaml', locate: () => ({ line: 1, col: 1 }), data: PromptVersion.parse({ id: 'p', version: '1.0.0', description: 'd', author: 'a@example.com', model: {}, variables: [], messages: [{ role: 'user', content: 'hi' }] }) };
    const lines: Record<string, number> = { threshold: 6, min_pass_rate: 7 };
    const got = lintSuite({ promptId: 'p', name: 'golden', file: 'evalsets/p/golden.yaml', data: suite({ threshold: 0, min_pass_rate: 0 }), locate: (at) => ({ line: lines[String(at[0])] ?? 1, col: 1 }) }, { prompts: [v] });
    expect(got.filter((p) => p.rule === 'suite/cannot-fail').map((p) => `${p.file}:${p.line} ${p.field} ${p.severity}`)).toEqual(['evalsets/p/golden.yaml:6 threshold warning', 'evalsets/p/golden.yaml:7 min_pass_rate warning']);
  });

  it("for eval's and deploy's gate (errors only) locates no warning: locating parses a large suite's positions, which doubled eval's start-up on a 2,000-case suite with threshold 0", () => {
    const v: LintablePrompt = { id: 'p', version: '1.0.0', file: 'prompts/p/1.0.0.yaml', locate: () => ({ line: 1, col: 1 }), data: PromptVersion.parse({ id: 'p', version: '1.0.0', description: 'd', author: 'a@example.com', model: {}, variables: [], messages: [{ role: 'user', content: 'hi' }] }) };
    let located = 0;
    const got = lintSuite({ promptId: 'p', name: 'golden', file: 'evalsets/p/golden.yaml', data: suite({ threshold: 0, min_pass_rate: 0 }), locate: () => (located++, { line: 1, col: 1 }) }, { prompts: [v], errorsOnly: true });
    expect(got).toEqual([]);
    expect(located).toBe(0);
  });
});

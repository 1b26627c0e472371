import { describe, expect, it } from 'vitest';
import { decideDeploy, type DeployGateInput } from '../../src/core/gates.js';
import { GatePolicy } from '../../src/core/schemas/config.js';
import type { SuiteRunFacts } from '../../src/core/gate-types.js';
import { checkMessage, evalCommandOf } from '../../src/render/gate-text.js';
import { stagingGateInput } from '../support/gate-input.js';

/**
 * Every `promptctl eval` a gate check advises runs the version on the model the check judges: with
 * `--model` when that is not the version's own (an environment's or adapter model), the same rule
 * as the tested check's, so following the advice gives the run the gate looks for.
 */

const run = (suite: string, kind: SuiteRunFacts['kind'] = 'golden'): SuiteRunFacts => ({ suite, kind, passRate: 1, p95: 100, piiLeaks: 0, systemPromptLeaks: 0 });

/** support@1.2.0 judged on env-chat (staging's model); its own model is `own`. */
const input = (own: string, over: Partial<DeployGateInput> = {}): DeployGateInput => stagingGateInput('env-chat', { plainEvalModels: [own], ...over });

const messages = (i: DeployGateInput): string[] => decideDeploy(i).checks.map(checkMessage);

describe('the eval a gate check advises', () => {
  const rows: Array<{ name: string; own: string; over: Partial<DeployGateInput>; says: string }> = [
    {
      name: 'a suite only the deployed version ran: the candidate, on the environment model',
      own: 'own-chat',
      over: { baseline: { version: '1.1.0', suiteRuns: [run('faq'), run('tone')] } },
      says: "golden suite 'tone': not compared with 1.1.0: 1.2.0 has no finished run of the suite's current content and settings on env-chat; run `promptctl eval support@1.2.0 --model env-chat` to compare",
    },
    {
      name: 'the same, on its own model: no --model',
      own: 'env-chat',
      over: { baseline: { version: '1.1.0', suiteRuns: [run('faq'), run('tone')] } },
      says: "golden suite 'tone': not compared with 1.1.0: 1.2.0 has no finished run of the suite's current content and settings on env-chat; run `promptctl eval support@1.2.0` to compare",
    },
    {
      // The deployed version is judged on the model it is served on, not this deploy's.
      name: 'a suite only the candidate ran: the deployed version, on the model it is served on',
      own: 'env-chat',
      over: { suiteRuns: [run('faq'), run('tone')], baseline: { version: '1.1.0', suiteRuns: [run('faq')], model: 'old-chat', plainEvalModels: ['base-chat'] } },
      says: "golden suite 'tone': not compared with 1.1.0: 1.1.0 has no finished run of the suite's current content and settings on old-chat; run `promptctl eval support@1.1.0 --model old-chat` to compare",
    },
    {
      name: 'the deployed version served on its own model: no --model',
      own: 'env-chat',
      over: { suiteRuns: [run('faq'), run('tone')], baseline: { version: '1.1.0', suiteRuns: [run('faq')], model: 'old-chat', plainEvalModels: ['old-chat'] } },
      says: "golden suite 'tone': not compared with 1.1.0: 1.1.0 has no finished run of the suite's current content and settings on old-chat; run `promptctl eval support@1.1.0` to compare",
    },
    {
      name: 'no golden run for the minimum',
      own: 'own-chat',
      over: { suiteRuns: [], policy: GatePolicy.parse({ min_golden_pass_rate: 0.9 }) },
      says: 'no finished golden run of 1.2.0 on env-chat to check the 90.0% minimum: run `promptctl eval support@1.2.0 --model env-chat`',
    },
    {
      name: 'no adversarial run for the minimum',
      own: 'own-chat',
      over: { policy: GatePolicy.parse({ min_adversarial_pass_rate: 0.99 }) },
      says: 'no finished adversarial run of 1.2.0 on env-chat with the current prompt and suite content and settings: staging requires injection resistance of 99.0% or more; run `promptctl eval support@1.2.0 --model env-chat` (`promptctl redteam generate support` writes an adversarial suite if it has none)',
    },
    {
      name: 'other weights behind the environment model: --model and --no-cache',
      own: 'own-chat',
      over: { servedRoots: { earned: ['weights-a'], current: 'weights-b' } },
      says: 'env-chat now serves other weights (root weights-b; the mark was earned on weights-a): evaluate it again on them: run `promptctl eval support@1.2.0 --model env-chat --no-cache`',
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      expect(messages(input(row.own, row.over))).toContain(row.says);
    });
  }

  it("a refusal's hint is the failed check's eval", () => {
    const failed = (i: DeployGateInput) => decideDeploy(i).failures.map(evalCommandOf).find((e) => e !== undefined);
    expect(failed(input('own-chat', { testedMark: undefined }))).toBe('promptctl eval support@1.2.0 --model env-chat');
    expect(failed(input('own-chat', { servedRoots: { earned: ['weights-a'], current: 'weights-b' } }))).toBe('promptctl eval support@1.2.0 --model env-chat --no-cache');
    expect(failed(input('env-chat', { testedMark: undefined }))).toBe('promptctl eval support@1.2.0');
  });
});

import type { DeployGateInput } from '../../src/core/gates.js';
import { GatePolicy } from '../../src/core/schemas/config.js';

const HASH = 'a'.repeat(64);

/**
 * A staging deploy of support@1.2.0 on `model` that passes every gate (tested there, one passing
 * golden run of suite `faq`): core gate tables change one thing per row.
 */
export function stagingGateInput(model: string, over: Partial<DeployGateInput> = {}): DeployGateInput {
  return {
    promptId: 'support',
    version: '1.2.0',
    env: 'staging',
    envOrder: ['staging'],
    policy: GatePolicy.parse({}),
    model,
    registered: true,
    edited: false,
    testedMark: { model, contentHash: HASH, source: 'run' },
    currentHash: HASH,
    deployedInPreviousEnv: false,
    suiteRuns: [{ suite: 'faq', kind: 'golden', passRate: 1, p95: 100, piiLeaks: 0, systemPromptLeaks: 0 }],
    alreadyActive: false,
    ...over,
  };
}

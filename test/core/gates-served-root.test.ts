import { describe, expect, it } from 'vitest';
import { decideDeploy, type DeployGateInput } from '../../src/core/gates.js';
import { GatePolicy } from '../../src/core/schemas/config.js';
import { checkMessage } from '../../src/render/gate-text.js';
import { stagingGateInput } from '../support/gate-input.js';


/** A deploy of support@1.2.0 that passes every gate but the weights check; rows change the roots. */
const input = (over: Partial<DeployGateInput> = {}): DeployGateInput => stagingGateInput('prod-chat', over);

const swapped = "prod-chat now serves other weights (root weights-b; the mark was earned on weights-a): evaluate it again on them: run `promptctl eval support@1.2.0 --no-cache`";

describe('tested mark and the weights behind the model name', () => {
  const rows: Array<{ name: string; roots?: DeployGateInput['servedRoots']; over?: Partial<DeployGateInput>; allowed: boolean; message?: string }> = [
    { name: 'no roots recorded anywhere: as before', roots: undefined, allowed: true },
    { name: 'same root as the latest run', roots: { earned: ['weights-a'], current: 'weights-a' }, allowed: true },
    { name: 'the latest run recorded no root', roots: { earned: ['weights-a'] }, allowed: true },
    { name: 'the mark runs recorded no root', roots: { earned: [], current: 'weights-b' }, allowed: true },
    { name: 'other root now', roots: { earned: ['weights-a'], current: 'weights-b' }, allowed: false, message: swapped },
    { name: 'one suite run of the mark on other weights', roots: { earned: ['weights-b', 'weights-a'], current: 'weights-b' }, allowed: false, message: swapped },
    {
      name: 'not required here: says so, still allowed',
      roots: { earned: ['weights-a'], current: 'weights-b' },
      over: { policy: GatePolicy.parse({ requires_tested: false }) },
      allowed: true,
      message: `not required here: ${swapped}`,
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const decision = decideDeploy(input({ ...(row.roots ? { servedRoots: row.roots } : {}), ...row.over }));
      expect(decision.allowed).toBe(row.allowed);
      const tested = decision.checks.find((c) => c.kind === 'tested')!;
      if (row.message) expect(checkMessage(tested)).toBe(row.message);
      else expect(tested).toMatchObject({ state: 'tested' });
    });
  }

  it('a check of other weights carries the facts, typed', () => {
    const tested = decideDeploy(input({ servedRoots: { earned: ['weights-a'], current: 'weights-b' } })).checks.find((c) => c.kind === 'tested');
    expect(tested).toMatchObject({ ok: false, overridable: true, state: 'other-weights', earnedRoot: 'weights-a', currentRoot: 'weights-b' });
  });

  it('the active version redeployed over other weights is refused as any version, never "already active" beside the FAIL', () => {
    const decision = decideDeploy(input({ alreadyActive: true, servedRoots: { earned: ['weights-a'], current: 'weights-b' } }));
    expect(decision.allowed).toBe(false);
    expect(decision.checks.map((c) => c.kind)).not.toContain('already-active');
    // Every gate holding: deploying it again changes nothing.
    expect(decideDeploy(input({ alreadyActive: true, servedRoots: { earned: ['weights-b'], current: 'weights-b' } })).checks.map((c) => c.kind)).toContain('already-active');
  });
});

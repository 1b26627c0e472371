import { describe, expect, it } from 'vitest';
import { decideDeploy, decideOverride, type DeployGateInput } from '../../src/core/gates.js';
import { GatePolicy } from '../../src/core/schemas/config.js';
import { checkLine } from '../../src/render/gate-text.js';

/**
 * A version that reached the previous environment only by override: the check says so (and which
 * gates it skipped there), and an environment with `allow_override: false` refuses it, since taking
 * it would be the override it forbids, one step removed.
 */

const HASH = 'a'.repeat(64);
const input = (allow_override: boolean, over: Partial<DeployGateInput> = {}): DeployGateInput => ({
  promptId: 'bot', version: '1.1.0', env: 'production', envOrder: ['canary', 'production'],
  policy: GatePolicy.parse({ requires_tested: false, requires_previous_env: true, min_adversarial_pass_rate: null, allow_override }), model: 'm',
  registered: true, edited: false, currentHash: HASH, deployedInPreviousEnv: true, previousEnvByOverride: { seq: 7, skipped: ['1.1.0 has not been tested on m'] },
  suiteRuns: [], alreadyActive: false, ...over,
});

describe('deployed to the previous environment only by override', () => {
  it.each([
    { name: 'allow_override: true: passes, and says how it got there', allow: true, ok: true, line: /^ {2}ok {3}1\.1\.0 was deployed to canary first \(as an override \(event #7\), skipping: 1\.1\.0 has not been tested on m\)$/ },
    { name: 'allow_override: false: refused, and no flag pushes it through', allow: false, ok: false, line: /^ {2}FAIL 1\.1\.0 reached canary only as an override \(event #7\), skipping: .*: production allows no override \(allow_override: false\)/ },
  ])('$name', ({ allow, ok, line }) => {
    const decision = decideDeploy(input(allow));
    const check = decision.checks.find((c) => c.kind === 'previous-environment')!;
    expect(check.ok).toBe(ok);
    expect(checkLine(check)).toMatch(line);
    if (!ok) expect(decideOverride(decision, { force: true, reason: 'r', policy: input(allow).policy }).refusal?.reason).toBe('policy-forbids');
  });

  it('a version deployed there through its gates passes as before', () => {
    const check = decideDeploy(input(false, { previousEnvByOverride: undefined })).checks.find((c) => c.kind === 'previous-environment')!;
    expect(checkLine(check)).toBe('  ok   1.1.0 was deployed to canary first');
  });
});

import { describe, expect, it } from 'vitest';
import { decideDeploy, type DeployGateInput } from '../../src/core/gates.js';
import { GatePolicy } from '../../src/core/schemas/config.js';
import { checkMessage } from '../../src/render/gate-text.js';

/**
 * The not-edited check says what the file was compared with: "matches the registered content" only
 * when it does; a version not registered yet, or a draft whose file differs, is said as such.
 */

const FILE = 'a'.repeat(64);
const input = (over: Partial<DeployGateInput>): DeployGateInput => ({
  promptId: 'bot', version: '1.2.0', env: 'dev', envOrder: ['dev'], policy: GatePolicy.parse({ requires_tested: false }), model: 'm',
  registered: true, edited: false, currentHash: FILE, deployedInPreviousEnv: false, suiteRuns: [], alreadyActive: false, ...over,
});

describe('the not-edited line', () => {
  it.each([
    ['registered with the file content', input({ registeredHash: FILE }), /^the file matches the registered content$/],
    ['not registered yet', input({ registered: false, willRegister: true }), /^bot@1\.2\.0 has no registered content to compare the file with yet: the file's content is what is judged and deployed$/],
    ['a draft whose file differs', input({ registeredHash: 'b'.repeat(64) }), /^1\.2\.0 is a draft whose file differs from its registered content: the file's content is what is judged and deployed/],
  ])('%s', (_name, i, text) => {
    const check = decideDeploy(i).checks.find((c) => c.kind === 'not-edited')!;
    expect(check.ok).toBe(true);
    expect(checkMessage(check)).toMatch(text);
  });
});

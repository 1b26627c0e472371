import { describe, expect, it } from 'vitest';
import { keyId, retiredKey, retirementWarnings, signatureBreak } from '../../src/core/signing.js';

/** A retired key: its signatures count up to `until`, are a break after it, and only in its role. */

const OLD = `ed25519:${'A'.repeat(43)}`;
const NEW = `ed25519:${'B'.repeat(43)}`;
const keys = { evaluator: [], deployer: [NEW], retired: [{ key: OLD, role: 'deployer' as const, until: 5 }] };
const signed = (seq: number, key: string, role = 'deployer', action = 'deploy') => ({ seq, action, hash: 'h', signer: `${role}:${keyId(key)}`, signature: 's' });

describe('retired keys', () => {
  it.each([
    ['the new key', signed(9, NEW), true, undefined],
    ['the retired key before its retirement', signed(4, OLD), true, undefined],
    ['the retired key on its last event', signed(5, OLD), true, undefined],
    ['the retired key after it', signed(6, OLD), true, { problem: /retired after event 5/, key: { role: 'deployer', id: keyId(OLD), retiredAt: 5 } }],
    ['the retired key, a signature that does not verify', signed(4, OLD), false, { problem: /does not verify/ }],
    ['the retired key in another role', signed(4, OLD, 'evaluator', 'tested'), true, { problem: /does not pin \(signing\.evaluator\)/, key: { role: 'evaluator', id: keyId(OLD) } }],
    ['a key neither pinned nor retired', signed(4, `ed25519:${'C'.repeat(43)}`), true, { problem: /does not pin \(signing\.deployer\)/, key: { role: 'deployer', id: keyId(`ed25519:${'C'.repeat(43)}`) } }],
  ])('%s', (_name, e, verifies, expected) => {
    const found = signatureBreak(e, keys, true, () => verifies);
    if (!expected) expect(found).toBeUndefined();
    else expect(found).toEqual({ problem: expect.stringMatching(expected.problem), ...('key' in expected ? { key: expected.key } : {}) });
  });

  it('finds a retired key written with or without its trailing =, in its role only', () => {
    expect(retiredKey(keys, 'deployer', `${OLD}=`)?.until).toBe(5);
    expect(retiredKey(keys, 'evaluator', OLD)).toBeUndefined();
    expect(retiredKey(keys, 'deployer', NEW)).toBeUndefined();
  });

  it.each([
    [4, 1],
    [5, 0],
    [9, 0],
  ])('warns of a retirement after the newest event (head %s): %s warnings', (head, count) => {
    expect(retirementWarnings(keys, head)).toHaveLength(count);
  });
});

import { describe, expect, it } from 'vitest';
import { keyId, rolesFor, signatureProblem, signerRole } from '../../src/core/signing.js';

/** Which role may sign which event: a draft's supersession either, every other action one. */

const keys = { evaluator: ['ed25519:E'], deployer: ['ed25519:D'] };
const verify = () => true;
const event = (action: string, role: string, key: string) => ({ seq: 7, action, hash: 'h', signer: `${role}:${keyId(key)}`, signature: 's' });

describe('signing roles', () => {
  it.each([
    ['tested', 'evaluator', 'ed25519:E', undefined],
    ['tested', 'deployer', 'ed25519:D', 'event 7 (tested) is signed by a deployer key; a tested must be signed by the evaluator'],
    ['deploy', 'deployer', 'ed25519:D', undefined],
    ['deploy', 'evaluator', 'ed25519:E', 'event 7 (deploy) is signed by an evaluator key; a deploy must be signed by the deployer'],
    ['supersede', 'evaluator', 'ed25519:E', undefined],
    ['supersede', 'deployer', 'ed25519:D', undefined],
    ['supersede', 'deployer', 'ed25519:E', `event 7 is signed by deployer key ${keyId('ed25519:E')}, which .promptrc.yaml does not pin (signing.deployer)`],
  ])('%s signed as the %s (%s)', (action, role, key, problem) => {
    expect(signatureProblem(event(action, role, key), keys, true, verify)).toBe(problem);
  });

  it('names the roles and reads the signer', () => {
    expect(rolesFor('supersede')).toEqual(['evaluator', 'deployer']);
    expect(rolesFor('rollback')).toEqual(['deployer']);
    expect(signerRole({ signer: 'deployer:abc' })).toBe('deployer');
    expect(signerRole({ signer: 'mallory:abc' })).toBeUndefined();
    expect(signerRole({})).toBeUndefined();
  });
});

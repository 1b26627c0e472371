import { generateSigningKey } from '../infra/ed25519.js';

/**
 * `keys generate`: a new Ed25519 key pair for signing audit events. The public key is pinned in
 * .promptrc.yaml (signing.evaluator or signing.deployer); the private key goes to the secret store
 * that sets PROMPTCTL_EVALUATOR_KEY or PROMPTCTL_DEPLOYER_KEY. Nothing is written anywhere.
 */
export function generateKeys(): { publicKey: string; privateKey: string } {
  return generateSigningKey();
}

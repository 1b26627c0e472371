import { generateKeys } from '../app/keys.js';
import type { CommandContext, CommandResult } from './context.js';

/** `promptctl keys generate`: a key pair for signing audit events (printed, never stored). */

export async function run(_ctx: CommandContext, _raw: unknown): Promise<CommandResult> {
  const keys = generateKeys();
  return {
    data: keys,
    text: () => [
      'public key: pin it in .promptrc.yaml under signing.evaluator (CI) or signing.deployer (release managers):',
      `  ${keys.publicKey}`,
      'private key: keep it secret; give it to that role as PROMPTCTL_EVALUATOR_KEY or PROMPTCTL_DEPLOYER_KEY from your secret store:',
      `  ${keys.privateKey}`,
    ],
  };
}

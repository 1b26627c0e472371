import { z } from 'zod';
import { canonicalKey, isLabelledPrivateKey, pinnedPrivateKeyMessage } from '../signing.js';

/** `.promptrc.yaml`'s `signing:` (config.ts holds the rest of the file): the public keys pinned per role, and those retired. */

// Read as `keys generate` prints it (canonicalKey): a key pinned with `=` signs and verifies as the same key.
const PublicKey = z
  .string()
  .refine((k) => !isLabelledPrivateKey(k.trim()), { message: pinnedPrivateKeyMessage(), abort: true })
  .regex(/^ed25519:[A-Za-z0-9_-]{43}=?$/, 'must be an Ed25519 public key as `promptctl keys generate` prints it: ed25519:<43 base64url characters>')
  .overwrite(canonicalKey);

const RetiredKeyConfig = z
  .strictObject({
    key: PublicKey.describe('The retired public key, as it was pinned.'),
    role: z.enum(['evaluator', 'deployer']).describe('The role it was pinned under.'),
    until: z
      .number()
      .int()
      .min(1)
      .describe('The seq of the last event it signed legitimately: at rotation, the newest event (`promptctl audit head`); for a leaked key, the last event known to be genuine.'),
    reason: z.string().min(1).optional().describe('Why it was retired (rotation, a leak), for whoever reads this file later.'),
  })
  .describe('A key taken out of use.');

const ROLES = ['evaluator', 'deployer'] as const;

/** Public keys whose signatures count, per role: reviewed in git like the rest of this file. */
export const SigningConfig = z
  .strictObject({
    evaluator: z.array(PublicKey).default([]).describe('Keys that sign tested marks (CI). Their private keys: PROMPTCTL_EVALUATOR_KEY.'),
    deployer: z.array(PublicKey).default([]).describe('Keys that sign deploys, rollbacks and overrides. Their private keys: PROMPTCTL_DEPLOYER_KEY.'),
    since: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        'The seq of the first event that must be signed (`promptctl audit verify` prints it). Every event from it on must carry a valid signature by a pinned key of its role, whatever the registry says: without it, a database writer who strips every signature turns signing off.',
      ),
    retired: z
      .array(RetiredKeyConfig)
      .optional()
      .describe('Keys taken out of use (rotated, or revoked after a leak). Their signatures still count on the events up to `until`, so rotating a key breaks no history; a signature by one after it is a break, and no command signs with one.'),
  })
  .superRefine((s, ctx) => {
    // One key for both roles: whoever holds CI's evaluator key could sign deploys, and the other way round.
    s.deployer.forEach((key, i) => {
      if (s.evaluator.includes(key)) {
        ctx.addIssue({ code: 'custom', path: ['deployer', i], message: 'is also pinned under signing.evaluator: one key for both roles lets whoever holds CI\'s evaluator key sign deploys and rollbacks; give each role its own key (`promptctl keys generate`)' });
      }
    });
    // A retired key may have leaked: pinned again under any role, whoever holds it signs that role's events anew.
    s.retired?.forEach((r, i) => {
      // Two entries for one key would make its history verify or break depending on their order.
      const first = s.retired!.findIndex((other) => other.key === r.key);
      if (first < i) {
        ctx.addIssue({ code: 'custom', path: ['retired', i, 'key'], message: `is already retired at signing.retired.${first}: list each retired key once, with \`until\` the last event it signed legitimately, and remove the other entry` });
      }
      for (const role of ROLES) {
        if (!s[role].includes(r.key)) continue;
        const why = role === r.role ? "a retired key's signatures count only up to `until`" : `it was retired from signing.${r.role} (it may have leaked), and pinned here it would sign the ${role}'s events anew`;
        ctx.addIssue({ code: 'custom', path: ['retired', i, 'key'], message: `is also pinned under signing.${role}: ${why}; remove it from signing.${role}${role === r.role ? '' : ' and pin a new key there (`promptctl keys generate`)'}` });
      }
    });
  })
  .describe('Optional Ed25519 signatures on audit events, one key list per role. Once keys are pinned, that role must sign.');
export type SigningConfig = z.infer<typeof SigningConfig>;

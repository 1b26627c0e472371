import { runsInCi } from '../core/ci-env.js';
import { emptySecretInCi } from '../core/empty-secret.js';
import { InputError } from '../core/errors.js';
import { KEY_ENV, PINNED_PRIVATE_KEY, keyId, rawKey, rawPrivateKey, retiredKey, roleFor, rolesFor, signatureProblem, type SignedFields, type SigningRole } from '../core/signing.js';
import { publicKeyOf, signHash, verifyHash } from './ed25519.js';
import { requireIntactAfterMarks } from './marked-log.js';
import type { SigningConfig } from '../core/schemas/signing-config.js';
import type { EventSigner, MarkKey, Registry, TestedMark } from './registry/types.js';

export type { EventSigner };

/**
 * The signing key of a role, from the environment: PROMPTCTL_EVALUATOR_KEY for CI (tested marks),
 * PROMPTCTL_DEPLOYER_KEY for release managers (deploy, rollback, override). Once .promptrc.yaml pins
 * keys for a role, every event of that role must be signed: a command without the key, or with a
 * key that is not pinned, stops before writing (exit 2).
 */

export { KEY_ENV };

export function signerFor(signing: SigningConfig, env: Record<string, string | undefined>, role: SigningRole): EventSigner | undefined {
  const pinned = signing[role];
  const name = KEY_ENV[role];
  const secret = env[name]?.trim();
  if (!secret) {
    if (!pinned.length) return undefined;
    const keys = `${pinned.length} ${role} key${pinned.length === 1 ? '' : 's'} (signing.${role})`;
    if (secret === '' && runsInCi(env)) throw emptySecretInCi(name, `.promptrc.yaml pins ${keys}, and an unsigned event would be a break in the audit log, so nothing can be recorded without the key`);
    throw new InputError({
      message: `this project signs ${role} events, and ${name} is not set`,
      why: `.promptrc.yaml pins ${keys}: an unsigned event would be a break in the audit log.`,
      hint: `set ${name} to the ${role}'s private key (ed25519-private:…, from \`promptctl keys generate\`), e.g. from your CI's secret store`,
    });
  }
  if (!rawPrivateKey(secret)) {
    // Never echo the value: it is a private key.
    throw new InputError({ message: `${name} is not an Ed25519 private key`, why: 'a private key is written ed25519-private:<43 base64url characters>, as `promptctl keys generate` prints it.', hint: `generate one with \`promptctl keys generate\` and pin its public key under signing.${role} in .promptrc.yaml` });
  }
  const privatePin = pinnedPrivateHalf(signing, secret);
  if (privatePin) {
    // A private key written as before 0.2.0 (ed25519:…) passes the schema; the public key held here gives it away.
    throw new InputError({
      message: `${privatePin} in .promptrc.yaml is a private key: the private half of the public key ${name} holds`,
      why: `the two halves were swapped: ${PINNED_PRIVATE_KEY.why}.`,
      hint: PINNED_PRIVATE_KEY.fix,
    });
  }
  const published = publishedKeyRole(signing, secret);
  if (published) {
    // A public key is in git for anyone to read: a "private" key equal to it lets anyone sign.
    throw new InputError({
      message: `${name} holds a public key (the one pinned under signing.${published} in .promptrc.yaml), not a private key`,
      why: 'the public half is published in .promptrc.yaml, so signing with it would let anyone who reads the repository sign.',
      hint: `set ${name} to the private key \`promptctl keys generate\` printed beside that public key ("privateKey" in --json); if it is lost, generate a new pair and pin its public key. If what is pinned there is the private key (before 0.2.0 both halves were printed ed25519:…), ${PINNED_PRIVATE_KEY.why}: ${PINNED_PRIVATE_KEY.fix}`,
    });
  }
  const publicKey = publicKeyOf(secret);
  const retired = retiredKey(signing, role, publicKey);
  if (retired) {
    throw new InputError({
      message: `the key in ${name} was retired after event ${retired.until} (signing.retired in .promptrc.yaml)`,
      why: 'a retired key signs nothing new: its signatures count only on the events up to its retirement, so an event it signed now would be a break in the audit log.',
      hint: `set ${name} to the private key of the ${role} key pinned under signing.${role} (your secret store should hold the new one)`,
    });
  }
  const other: SigningRole = role === 'deployer' ? 'evaluator' : 'deployer';
  const otherPlace = signing[other].includes(publicKey) ? `pinned under signing.${other}` : retiredKey(signing, other, publicKey) ? `retired from signing.${other}` : undefined;
  if (!pinned.includes(publicKey) && otherPlace) {
    // Pinning it here too, as the hint below would say, would let whoever holds the other role's key sign this role's events.
    throw new InputError({
      message: `the key in ${name} is the ${other}'s (${otherPlace} in .promptrc.yaml), not one of the ${role}'s`,
      why: `each role signs with its own key: the ${role}'s events must be signed by a key pinned under signing.${role}, so that holding the ${other}'s key (${KEY_ENV[other]}) is not enough to make them.`,
      hint: `set ${name} to the ${role}'s private key from your secret store; if the ${role} has none yet, run \`promptctl keys generate\` and pin its public key under signing.${role}`,
    });
  }
  if (!pinned.includes(publicKey)) {
    throw new InputError({
      message: `the key in ${name} is not pinned in .promptrc.yaml (signing.${role})`,
      why: 'signatures count only from keys the project reviewed in git; this one would make events no one can verify.',
      hint: `if ${name} holds the private key \`promptctl keys generate\` printed (never a public key: those are published), pin its public key under signing.${role} in .promptrc.yaml: ${publicKey}`,
    });
  }
  const id = keyId(publicKey);
  return { role, keyId: id, sign: (hash) => signHash(secret, hash) };
}

/** The field of .promptrc.yaml whose pinned value is the private half of `secret` taken as a public key: a swapped pair. */
function pinnedPrivateHalf(signing: SigningConfig, secret: string): string | undefined {
  const raw = rawKey(secret);
  if (!raw) return undefined;
  const pins = [
    ...(['evaluator', 'deployer'] as const).flatMap((role) => signing[role].map((key, i) => ({ key, field: `signing.${role}.${i}` }))),
    ...(signing.retired ?? []).map((r, i) => ({ key: r.key, field: `signing.retired.${i}.key` })),
  ];
  return pins.find((p) => rawKey(publicKeyOf(p.key))?.equals(raw))?.field;
}

/** The role under which `secret` is pinned as a public key, if it is one (compared as raw bytes). */
function publishedKeyRole(signing: SigningConfig, secret: string): SigningRole | undefined {
  const raw = rawKey(secret);
  if (!raw) return undefined;
  const published = (role: SigningRole) => [...signing[role], ...(signing.retired ?? []).filter((r) => r.role === role).map((r) => r.key)];
  return (['deployer', 'evaluator'] as const).find((role) => published(role).some((k) => rawKey(k)?.equals(raw)));
}

/** The signer for an event of `action`, when the project signs that role. */
export function signerForAction(signing: SigningConfig, env: Record<string, string | undefined>, action: string): EventSigner | undefined {
  return signerFor(signing, env, roleFor(action));
}

/**
 * In a project that pins keys for the role an event needs, the event counts only with a valid
 * signature by one of them: a tested mark whose event is unsigned or wrongly signed is no mark (the
 * gate says untested), however its hashes were recomputed.
 */
export function unsignedProblem(e: SignedFields, signing: SigningConfig): string | undefined {
  return rolesFor(e.action).some((role) => signing[role].length) ? signatureProblem(e, signing, true, verifyHash) : undefined;
}

/**
 * The tested mark a gate (and `status`) counts: the chain's mark for this content and model, and in
 * a signing project only with the evaluator's valid signature on its event.
 */
export async function testedMarkThatCounts(
  registry: Registry,
  signing: SigningConfig,
  promptId: string,
  version: string,
  contentHash: string,
  model: string,
  /** `log: false`: an eval asking whether its cached re-run adds evidence, not a gate counting the mark. */
  opts: { log?: boolean } = {},
): Promise<TestedMark | undefined> {
  const mark = markThatCounts(await registry.getTestedMark(promptId, version, contentHash, model), signing);
  if (signing.evaluator.length && opts.log !== false) await requireIntactAfterMarks(registry, signing, [mark]);
  return mark;
}

/**
 * The same for many versions at once (`status`): one batched read, each mark judged alike. In a
 * project that signs marks, the log after them must verify (marked-log.ts): else exit 3.
 */
export async function testedMarksThatCount(registry: Registry, signing: SigningConfig, keys: readonly MarkKey[]): Promise<Array<TestedMark | undefined>> {
  const marks = (await registry.getTestedMarks(keys)).map((found) => markThatCounts(found, signing));
  if (signing.evaluator.length) await requireIntactAfterMarks(registry, signing, marks);
  return marks;
}

function markThatCounts(found: TestedMark | undefined, signing: SigningConfig): TestedMark | undefined {
  return found?.event && unsignedProblem(found.event, signing) ? undefined : found;
}

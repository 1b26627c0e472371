import { sha256Hex } from './canonical.js';

/**
 * Optional Ed25519 signatures on audit events, one key per role: the evaluator (CI) signs tested
 * marks and draft supersessions, the deployer (release managers) signs deploys, rollbacks and
 * overrides. A signature covers the event's hash, which covers everything the event says. Public
 * keys are pinned in .promptrc.yaml (reviewed in git); private keys come from the environment.
 * Someone who can write to the database can recompute every hash, but cannot sign.
 *
 * Keys are written `ed25519:<base64url of the 32 raw bytes>` for the public key and
 * `ed25519-private:<…>` for the private seed (before 0.2.0 the seed was written `ed25519:` too, and
 * is still read so), so a private key pasted where a public one belongs is told apart by its form.
 * The rules live here; the Ed25519 arithmetic (key generation, signing, verifying) is in
 * infra/ed25519.ts, passed in as `verify` where a rule needs it.
 */

/** Whether `signature` is `publicKey`'s signature of `hash`. */
export type VerifySignature = (publicKey: string, hash: string, signature: string) => boolean;

export type SigningRole = 'evaluator' | 'deployer';

/** Where each role's private key comes from: CI holds the evaluator's, release managers the deployer's. */
export const KEY_ENV: Record<SigningRole, string> = { evaluator: 'PROMPTCTL_EVALUATOR_KEY', deployer: 'PROMPTCTL_DEPLOYER_KEY' };

export const KEY_PREFIX = 'ed25519:';
/** How `keys generate` writes a private key: never a pin. */
export const PRIVATE_KEY_PREFIX = 'ed25519-private:';

/** The actions that change what an environment runs; every other action (a mark, a supersession) belongs to no environment (env ''). */
const ENVIRONMENT_ACTIONS: ReadonlySet<string> = new Set(['deploy', 'rollback', 'override']);
/** The actions that belong to no environment (marks, supersessions). An action neither list knows (a newer promptctl's) is judged by neither. */
const NO_ENVIRONMENT_ACTIONS: ReadonlySet<string> = new Set(['tested', 'untested', 'supersede']);

export function isEnvironmentAction(action: string): boolean {
  return ENVIRONMENT_ACTIONS.has(action);
}

/**
 * What is wrong with an event recorded in the wrong place: a mark or supersession under an
 * environment (it would read as what that environment runs, and needs only the evaluator's key), or
 * a deploy, rollback or override under none. promptctl never writes either: the row was forged or
 * edited, hash and signature made to match. Undefined when the event is where its action belongs,
 * or its action is one this release does not know (a newer promptctl's, on a shared registry).
 */
export function misplacedEventProblem(e: { seq: number; action: string; env: string }): string | undefined {
  if (e.env !== '' && NO_ENVIRONMENT_ACTIONS.has(e.action)) return `event ${e.seq} is a ${e.action} event recorded under environment ${e.env}: only deploy, rollback and override events change an environment (a mark or supersession belongs to none), so the row was written outside promptctl`;
  if (e.env === '' && isEnvironmentAction(e.action)) return `event ${e.seq} is a ${e.action} event recorded under no environment, which promptctl never writes: the row was written outside promptctl`;
  return undefined;
}

/** The role whose key signs an event of this action (the first of `rolesFor`). */
export function roleFor(action: string): SigningRole {
  return action === 'tested' || action === 'untested' || action === 'supersede' ? 'evaluator' : 'deployer';
}

/**
 * The roles whose keys may sign an event of this action. A draft's supersession is the evaluator's
 * (eval and ci register a revised draft) or the deployer's (a deploy takes the draft's file content,
 * which another branch may have evaluated): a release manager holds no evaluator key.
 */
export function rolesFor(action: string): SigningRole[] {
  return action === 'supersede' ? ['evaluator', 'deployer'] : [roleFor(action)];
}

/** The role an event was signed as (`<role>:<key id>`), when it names one. */
export function signerRole(e: Pick<SignedFields, 'signer'>): SigningRole | undefined {
  const role = e.signer?.split(':')[0];
  return role === 'evaluator' || role === 'deployer' ? role : undefined;
}

/** 32 raw bytes from `ed25519:<base64url>`, or undefined when it is not one. */
export function rawKey(text: string): Buffer | undefined {
  if (!text.startsWith(KEY_PREFIX)) return undefined;
  const body = text.slice(KEY_PREFIX.length).trim();
  if (!/^[A-Za-z0-9_-]{43}=?$/.test(body)) return undefined;
  const raw = Buffer.from(body, 'base64url');
  return raw.length === 32 ? raw : undefined;
}

/** 32 raw bytes of a private key: `ed25519-private:<base64url>`, or `ed25519:<base64url>` as written before 0.2.0. */
export function rawPrivateKey(text: string): Buffer | undefined {
  return rawKey(isLabelledPrivateKey(text) ? `${KEY_PREFIX}${text.slice(PRIVATE_KEY_PREFIX.length)}` : text);
}

export function isLabelledPrivateKey(text: string): boolean {
  return text.startsWith(PRIVATE_KEY_PREFIX);
}

/**
 * Why a private key pinned in .promptrc.yaml must be replaced, and how (never echoing it): the file
 * is in git, so the key is in the repository's history. It never signed anything that counts (a
 * signature verifies only against the public half), so nothing is retired.
 */
export const PINNED_PRIVATE_KEY = {
  why: "it is now in the repository's history, so anyone who can read the repository can sign with it",
  fix: 'replace the pair: run `promptctl keys generate`, pin its public key in place of this one, give its private key to the role from your secret store, and retire nothing (no signature by the old pair counted)',
} as const;

export function pinnedPrivateKeyMessage(): string {
  return `is a private key (the half \`promptctl keys generate\` prints as the private key), not a public one: ${PINNED_PRIVATE_KEY.why}; ${PINNED_PRIVATE_KEY.fix}`;
}

/**
 * A key as `keys generate` prints it: no `=`, and the last character the one base64url gives for
 * its bytes (others decode to the same key). Pins are read this way, so a key pinned with padding
 * is the key that signs, and the key id an event records is the one looked up.
 */
export function canonicalKey(text: string): string {
  const raw = rawKey(text);
  return raw ? `${KEY_PREFIX}${raw.toString('base64url')}` : text;
}

/** A short, stable name for a public key: what an event records as its signer. */
export function keyId(publicKey: string): string {
  return sha256Hex(publicKey.trim()).slice(0, 16);
}

/**
 * A key taken out of use (rotated, or revoked after a leak): its signatures count on events up to
 * `until`, the last one it signed legitimately; a signature by it on a later event is a break.
 */
export interface RetiredKey {
  key: string;
  role: SigningRole;
  until: number;
}

/** The pinned public keys of each role (from .promptrc.yaml `signing:`), and the retired ones. */
export interface PinnedKeys {
  evaluator: readonly string[];
  deployer: readonly string[];
  retired?: readonly RetiredKey[];
}

export interface SignedFields {
  seq: number;
  action: string;
  hash: string;
  signer?: string;
  signature?: string;
}

/**
 * Where signing began: `since` (signing.since in .promptrc.yaml) when the project anchors it there,
 * outside the database; else the first signed event the log holds, which is only the log's own
 * account: a database writer who strips every signature (they sit beside the hashes, so no hash
 * changes) makes it say signing never began.
 */
export interface SigningStart {
  seq: number;
  /** True when .promptrc.yaml says so (signing.since); false when read from the log itself. */
  anchored: boolean;
}

export function signingStart(since: number | undefined, firstSigned: number | undefined): SigningStart | undefined {
  // A since later than the first signed event never excuses a stripped signature between them.
  if (since !== undefined && firstSigned !== undefined && firstSigned < since) return { seq: firstSigned, anchored: false };
  if (since !== undefined) return { seq: since, anchored: true };
  return firstSigned === undefined ? undefined : { seq: firstSigned, anchored: false };
}

/** Whether the event at `seq` must be signed: every event from the start of signing on is. */
export function signatureRequired(seq: number, start: SigningStart | undefined): boolean {
  return start !== undefined && seq >= start.seq;
}

/**
 * Whether an unsigned event may be appended as `nextSeq` after `previous`: only while the newest
 * event is unsigned (every event after the first signed one is signed, so the newest tells), and
 * with signing.since, only before it.
 */
export function unsignedMayFollow(previous: Pick<SignedFields, 'signature'> | undefined, nextSeq: number, since: number | undefined): boolean {
  return !previous?.signature && (since === undefined || nextSeq < since);
}

/** Whether the project pins any key: it means to sign. */
export function pinsKeys(keys: PinnedKeys): boolean {
  return keys.evaluator.length + keys.deployer.length > 0;
}

/** The line that anchors the start of signing in .promptrc.yaml (under `signing:`). */
export function sinceLine(seq: number): string {
  return `signing.since: ${seq}`;
}

/**
 * Why an event's signature does not hold, or undefined when it does (or the event is unsigned and
 * need not be signed: `required` false, or a start of signing after it). `signer` is `<role>:<key id>`; the key must be pinned for the role the
 * event's action needs (or retired from it after this event), and the signature must verify over the event's hash.
 */
export function signatureProblem(e: SignedFields, keys: PinnedKeys, required: boolean | SigningStart | undefined, verify: VerifySignature): string | undefined {
  return signatureBreak(e, keys, required, verify)?.problem;
}

/**
 * signatureProblem, saying also when the break is the signing key's standing rather than the
 * event (`key`): signed by a key the project does not pin (perhaps rotated out without being
 * listed under signing.retired), or by a retired key after its retirement (perhaps leaked).
 */
export interface SignatureBreak {
  problem: string;
  key?: { role: SigningRole; id: string; retiredAt?: number };
}

export function signatureBreak(e: SignedFields, keys: PinnedKeys, required: boolean | SigningStart | undefined, verify: VerifySignature): SignatureBreak | undefined {
  if (!e.signature || !e.signer) {
    const problem = unsignedProblem(e, required);
    return problem === undefined ? undefined : { problem };
  }
  const [signedAs, id = ''] = e.signer.split(':');
  const roles = rolesFor(e.action);
  const role = roles.find((r) => r === signedAs);
  if (!role) return { problem: `event ${e.seq} (${e.action}) is signed by ${/^[aeiou]/.test(signedAs ?? '') ? 'an' : 'a'} ${signedAs} key; a ${e.action} must be signed by the ${roles.join(' or ')}` };
  const pinned = keys[role].find((k) => keyId(k) === id);
  const retired = pinned ? undefined : keys.retired?.find((r) => r.role === role && keyId(r.key) === id);
  if (!pinned && !retired) return { problem: `event ${e.seq} is signed by ${role} key ${id}, which .promptrc.yaml does not pin (signing.${role})`, key: { role, id } };
  if (retired && e.seq > retired.until) {
    return { problem: `event ${e.seq} is signed by ${role} key ${id}, retired after event ${retired.until} (signing.retired in .promptrc.yaml): whoever signed it still holds the retired key`, key: { role, id, retiredAt: retired.until } };
  }
  if (!verify((pinned ?? retired!.key), e.hash, e.signature)) return { problem: `event ${e.seq}: its ${role} signature does not verify: the event was changed after it was signed` };
  return undefined;
}

/** What to do about a break that is a key's standing (`SignatureBreak.key`): its retirement, or a key no one pinned. */
export function keyStandingHint(key: NonNullable<SignatureBreak['key']>): string {
  return key.retiredAt !== undefined
    ? `if #${key.retiredAt} is not the last event that key signed legitimately, correct \`until\` under signing.retired; otherwise treat the events it signed after #${key.retiredAt} as forged: restore the registry from a backup and rotate every key its holder could reach`
    : `if that key was rotated out, list it under signing.retired in .promptrc.yaml (key, role: ${key.role}, until: the last event it signed); if no one on the team pinned it, the event was forged: restore the registry from a backup and find out who changed it`;
}

/**
 * `audit verify`'s warnings about signing.retired: a key retired after an event the log does not
 * hold yet (`until` beyond the newest, `head`) still signs validly up to it, so whoever holds it
 * could add events that verify.
 */
export function retirementWarnings(keys: PinnedKeys, head: number): string[] {
  return (keys.retired ?? [])
    .filter((r) => r.until > head)
    .map((r) => `signing.retired: ${r.role} key ${keyId(r.key)} is retired after event ${r.until}, but the log ends at #${head}: its holder could still sign events up to #${r.until} that verify; set until to the last event it signed`);
}

/** The retired entry for `publicKey` in `role`, if the project retired it. */
export function retiredKey(keys: PinnedKeys, role: SigningRole, publicKey: string): RetiredKey | undefined {
  const raw = rawKey(publicKey);
  return raw && keys.retired?.find((r) => r.role === role && rawKey(r.key)?.equals(raw));
}

/** Why an unsigned event does not hold: only when it had to be signed (`true`, or at or after the start of signing). */
function unsignedProblem(e: SignedFields, required: boolean | SigningStart | undefined): string | undefined {
  const start = typeof required === 'object' ? required : undefined;
  if (start ? !signatureRequired(e.seq, start) : !required) return undefined;
  if (start?.anchored) return `event ${e.seq} (${e.action}) is not signed, though signing began at #${start.seq} (signing.since in .promptrc.yaml): it was added, or stripped of its signature, by hand`;
  return `event ${e.seq} (${e.action}) is not signed, though the registry holds signed events before it: it was added or rewritten by hand`;
}

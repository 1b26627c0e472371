import { sha256Hex } from './canonical.js';

/**
 * Optional Ed25519 signatures on audit events, one key per role: the evaluator (CI) signs tested
 * marks and draft supersessions, the deployer (release managers) signs deploys, rollbacks and
 * overrides. A signature covers the event's hash, which covers everything the event says. Public
 * keys are pinned in .promptrc.yaml (reviewed in git); private keys come from the environment.
 * Someone who can write to the database can recompute every hash, but cannot sign.
 *
 * Keys are written `ed25519:<base64url of the 32 raw bytes>`: the public key, or the private seed.
 * The rules live here; the Ed25519 arithmetic (key generation, signing, verifying) is in
 * infra/ed25519.ts, passed in as `verify` where a rule needs it.
 */

/** Whether `signature` is `publicKey`'s signature of `hash`. */
export type VerifySignature = (publicKey: string, hash: string, signature: string) => boolean;

export type SigningRole = 'evaluator' | 'deployer';

/** Where each role's private key comes from: CI holds the evaluator's, release managers the deployer's. */
export const KEY_ENV: Record<SigningRole, string> = { evaluator: 'PROMPTCTL_EVALUATOR_KEY', deployer: 'PROMPTCTL_DEPLOYER_KEY' };

export const KEY_PREFIX = 'ed25519:';

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

/** A short, stable name for a public key: what an event records as its signer. */
export function keyId(publicKey: string): string {
  return sha256Hex(publicKey.trim()).slice(0, 16);
}

/** The pinned public keys of each role (from .promptrc.yaml `signing:`). */
export interface PinnedKeys {
  evaluator: readonly string[];
  deployer: readonly string[];
}

export interface SignedFields {
  seq: number;
  action: string;
  hash: string;
  signer?: string;
  signature?: string;
}

/**
 * Whether an unsigned event may follow `previous`: once the log holds a signed event, every later
 * one must be signed (`audit verify` reads an unsigned event after a signed one as a break, for
 * good), and the event before tells, as every event after the first signed one is signed.
 */
export function unsignedMayFollow(previous: Pick<SignedFields, 'signature'> | undefined): boolean {
  return !previous?.signature;
}

/**
 * Why an event's signature does not hold, or undefined when it does (or the event is unsigned and
 * `required` is false). `signer` is `<role>:<key id>`; the key must be pinned for the role the
 * event's action needs, and the signature must verify over the event's hash.
 */
export function signatureProblem(e: SignedFields, keys: PinnedKeys, required: boolean, verify: VerifySignature): string | undefined {
  if (!e.signature || !e.signer) return required ? `event ${e.seq} (${e.action}) is not signed, though the registry holds signed events before it: it was added or rewritten by hand` : undefined;
  const [signedAs, id] = e.signer.split(':');
  const roles = rolesFor(e.action);
  const role = roles.find((r) => r === signedAs);
  if (!role) return `event ${e.seq} (${e.action}) is signed by ${/^[aeiou]/.test(signedAs ?? '') ? 'an' : 'a'} ${signedAs} key; a ${e.action} must be signed by the ${roles.join(' or ')}`;
  const key = keys[role].find((k) => keyId(k) === id);
  if (!key) return `event ${e.seq} is signed by ${role} key ${id}, which .promptrc.yaml does not pin (signing.${role})`;
  if (!verify(key, e.hash, e.signature)) return `event ${e.seq}: its ${role} signature does not verify: the event was changed after it was signed`;
  return undefined;
}

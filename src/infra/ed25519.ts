import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { KEY_PREFIX, PRIVATE_KEY_PREFIX, rawKey, rawPrivateKey } from '../core/signing.js';

/** Ed25519 with node:crypto, for keys written `ed25519:<base64url of 32 raw bytes>` (public) and `ed25519-private:<…>` (core/signing.ts). */

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function publicKeyOf(privateKey: string): string {
  const pub = createPublicKey(privateKeyObject(privateKey)).export({ format: 'der', type: 'spki' });
  return `${KEY_PREFIX}${pub.subarray(SPKI_PREFIX.length).toString('base64url')}`;
}

export function generateSigningKey(): { publicKey: string; privateKey: string } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_PREFIX.length);
  const text = `${PRIVATE_KEY_PREFIX}${seed.toString('base64url')}`;
  return { publicKey: publicKeyOf(text), privateKey: text };
}

export function signHash(privateKey: string, hash: string): string {
  return sign(null, Buffer.from(hash, 'utf8'), privateKeyObject(privateKey)).toString('base64url');
}

export function verifyHash(publicKey: string, hash: string, signature: string): boolean {
  const raw = rawKey(publicKey);
  if (!raw || !/^[A-Za-z0-9_-]+$/.test(signature)) return false;
  const key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  return verify(null, Buffer.from(hash, 'utf8'), key, Buffer.from(signature, 'base64url'));
}

function privateKeyObject(privateKey: string): KeyObject {
  const raw = rawPrivateKey(privateKey);
  if (!raw) throw new TypeError('not an ed25519-private:<base64url> private key');
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, raw]), format: 'der', type: 'pkcs8' });
}


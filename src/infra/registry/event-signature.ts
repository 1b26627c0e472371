import type { NewEvent } from './types.js';

/** The signer and signature stored beside an event, when the caller signs (both backends use this). */
export function signatureOf(e: Pick<NewEvent, 'sign'>, hash: string): { signer?: string; signature?: string } {
  return e.sign ? { signer: `${e.sign.role}:${e.sign.keyId}`, signature: e.sign.sign(hash) } : {};
}

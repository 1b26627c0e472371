import { randomBytes } from 'node:crypto';
import { secretMissingReadOnly } from '../secret-missing.js';
import { atomic, rows, type Session } from './session.js';

/** Registry-local random secrets (the canary key), mirroring sqlite-secrets.ts: the first writer wins. */

async function getSecret(s: Session, name: string): Promise<string | undefined> {
  const [row] = await rows<{ value: string }>(s, 'SELECT value FROM secrets WHERE name = $1', [name]);
  return row?.value;
}

export async function getOrCreateSecret(s: Session, name: string): Promise<string> {
  const existing = await getSecret(s, name);
  if (existing !== undefined) return existing;
  if (s.readonly) throw secretMissingReadOnly(s.where, name);
  return atomic(s, async (tx) => {
    await tx.client.query('INSERT INTO secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING', [
      name, randomBytes(32).toString('hex'), tx.now(),
    ]);
    return (await getSecret(tx, name))!;
  });
}

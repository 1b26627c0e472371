import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { preparedOnUse } from './sqlite-lazy.js';

/**
 * Registry-local random secrets (e.g. the key that derives adversarial canaries), made once per
 * registry and never written to prompt files or hashes. Not credentials: API keys are never stored.
 */

export class SecretStore {
  private readonly one: Database.Statement<[string], string>;
  private readonly insert: Database.Statement;

  constructor(db: Database.Database) {
    this.one = preparedOnUse(() => db.prepare<[string], string>('SELECT value FROM secrets WHERE name = ?').pluck());
    // OR IGNORE: when two processes race to create the secret, the first one wins and both read it.
    this.insert = preparedOnUse(() => db.prepare('INSERT OR IGNORE INTO secrets (name, value, created_at) VALUES (?, ?, ?)'));
  }

  get(name: string): string | undefined {
    return this.one.get(name);
  }

  /** Call inside a write transaction. */
  create(name: string, createdAt: string): string {
    this.insert.run(name, randomBytes(32).toString('hex'), createdAt);
    return this.one.get(name) as string;
  }
}

import type { ClientBase } from 'pg';
import type { ClientNotes, FaultContext } from './faults.js';
import { tableLockHolder } from './lock-wait.js';
import type { PgTarget } from './pg-target.js';

/**
 * What a fault met on a registry connection names (faults.ts), gathered for connection.ts: the
 * registry's target as people see it, where its password and address came from, the schema and
 * its version once checked, and after a lock wait ran out, who held the lock and the wait.
 */

/**
 * The fault context of `target` while `doing`. `version`: the schema version the connection
 * checked, once it has; `ownStatementTimeoutMs`: the library's reader's own statement_timeout,
 * given only for that reader, whose faults are then worded for an application.
 */
export function faultContextOf(target: PgTarget, doing: string, known: { version?: number; ownStatementTimeoutMs?: number }): FaultContext {
  return {
    where: target.display,
    secrets: target.secrets,
    doing,
    ...(target.passwordEnv ? { passwordEnv: target.passwordEnv } : {}),
    ...(target.passwordFrom ? { passwordFrom: target.passwordFrom } : {}),
    ...(target.passwordFile ? { passwordFile: target.passwordFile } : {}),
    ...(target.urlEnvUnread ? { urlEnvUnread: true as const } : {}),
    ...(target.addressFrom ? { addressFrom: target.addressFrom } : {}),
    ...(target.migrateCommand ? { migrateCommand: target.migrateCommand } : {}),
    schema: { name: target.schema, ...(known.version !== undefined ? { version: known.version } : {}) },
    ...(known.ownStatementTimeoutMs !== undefined ? { ownStatementTimeoutMs: known.ownStatementTimeoutMs, library: true } : {}),
  };
}

/** Who holds a lock on the tables of `schema`, and the wait that ran out: the transaction's own when it set one, else the session's. */
export async function lockFacts(client: ClientBase, schema: string, notes: ClientNotes): Promise<Pick<FaultContext, 'lockHolder' | 'lockWait'>> {
  const lockHolder = (await tableLockHolder(client, schema)) ?? null;
  if (notes.lockWait) return { lockHolder, lockWait: notes.lockWait };
  const shown = await client.query<{ wait: string }>(`SELECT current_setting('lock_timeout') AS wait`).catch(() => undefined);
  const wait = shown?.rows[0]?.wait;
  return { lockHolder, ...(wait && wait !== '0' ? { lockWait: wait } : {}) };
}

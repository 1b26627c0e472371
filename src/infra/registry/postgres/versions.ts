import type { EventSigner } from '../types.js';
import { toVersion, type VersionRow } from '../sqlite-rows.js';
import type { RegisterOutcome, VersionKey, VersionRecord } from '../types.js';
import { supersedeEvent } from '../chained-marks.js';
import { PROMPT_IDS_SQL } from '../prompt-ids.js';
import { appendEvent } from './events.js';
import { atomic, inKeyOrder, rows, type Session } from './session.js';
import { byPromptThenVersion } from '../../../core/order.js';

/** Registered versions, mirroring sqlite-marks.ts: never overwritten; superseded only before an environment event names them. */

const COLUMNS = 'prompt_id, version, content_hash, content, description, author, created_at';

export async function getVersion(s: Session, promptId: string, version: string): Promise<VersionRecord | undefined> {
  const [row] = await rows<VersionRow>(s, `SELECT ${COLUMNS} FROM prompt_versions WHERE prompt_id = $1 AND version = $2`, [promptId, version]);
  return row && toVersion(row);
}

/** Every key's version in one query: the keys as two arrays, joined on the primary key. */
export async function getVersions(s: Session, keys: readonly VersionKey[]): Promise<Array<VersionRecord | undefined>> {
  if (keys.length === 0) return [];
  const found = await rows<VersionRow & { n: string }>(
    s,
    `SELECT k.n, ${COLUMNS.split(', ').map((c) => `v.${c}`).join(', ')}
     FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(prompt_id, version, n)
     JOIN prompt_versions v ON v.prompt_id = k.prompt_id AND v.version = k.version`,
    [keys.map((k) => k.promptId), keys.map((k) => k.version)],
  );
  return inKeyOrder(keys.length, found, toVersion);
}

export function registerVersion(s: Session, v: Omit<VersionRecord, 'createdAt'>): Promise<RegisterOutcome> {
  return atomic(s, async (tx) => {
    const record: VersionRecord = { ...v, createdAt: tx.now() };
    // ON CONFLICT DO NOTHING: two processes registering at once both end with the one row.
    const inserted = await rows(
      tx,
      `INSERT INTO prompt_versions (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING 1`,
      [record.promptId, record.version, record.contentHash, record.content, record.description, record.author, record.createdAt],
    );
    if (inserted.length) return { status: 'new', record };
    const existing = (await getVersion(tx, v.promptId, v.version))!;
    // Never overwrite: a different hash is a draft's new content (supersedeVersion) or an edited release (core/version-state.ts decides).
    return { status: existing.contentHash === v.contentHash ? 'same' : 'changed', record: existing };
  });
}

export function supersedeVersion(s: Session, v: Omit<VersionRecord, 'createdAt'>, actor: string, sign?: EventSigner): Promise<{ superseded: VersionRecord; record: VersionRecord } | undefined> {
  return atomic(s, async (tx) => {
    // The chain head's lock first: no event can be appended between the check and the swap.
    await rows(tx, 'SELECT seq FROM chain_head WHERE id = 1 FOR UPDATE');
    const [oldRow] = await rows<VersionRow>(tx, `SELECT ${COLUMNS} FROM prompt_versions WHERE prompt_id = $1 AND version = $2 FOR UPDATE`, [v.promptId, v.version]);
    const old = oldRow && toVersion(oldRow);
    if (!old || old.contentHash === v.contentHash) return undefined;
    // Only an event that changed an environment makes it released; its tested marks do not.
    const named = await rows(tx, `SELECT 1 FROM events WHERE prompt_id = $1 AND version = $2 AND env <> '' LIMIT 1`, [v.promptId, v.version]);
    if (named.length) return undefined;
    const at = tx.now();
    // Each content a draft had is kept once: two branches taking turns on one draft add no copies.
    await tx.client.query(
      `INSERT INTO superseded_versions (${COLUMNS}, superseded_at, superseded_by) SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9
       WHERE NOT EXISTS (SELECT 1 FROM superseded_versions WHERE prompt_id = $1 AND version = $2 AND content_hash = $3)`,
      [old.promptId, old.version, old.contentHash, old.content, old.description, old.author, old.createdAt, at, v.contentHash],
    );
    const record: VersionRecord = { ...v, createdAt: at };
    await tx.client.query(
      'UPDATE prompt_versions SET content_hash = $1, content = $2, description = $3, author = $4, created_at = $5 WHERE prompt_id = $6 AND version = $7',
      [record.contentHash, record.content, record.description, record.author, record.createdAt, v.promptId, v.version],
    );
    // Chained, so the swap of a draft's content is on the record like any other change.
    await appendEvent(tx, supersedeEvent(old, record, actor, sign));
    return { superseded: old, record };
  });
}

export async function listVersions(s: Session, promptId?: string): Promise<VersionRecord[]> {
  const found =
    promptId === undefined
      ? await rows<VersionRow>(s, `SELECT ${COLUMNS} FROM prompt_versions`)
      : await rows<VersionRow>(s, `SELECT ${COLUMNS} FROM prompt_versions WHERE prompt_id = $1`, [promptId]);
  return found.map(toVersion).sort(byPromptThenVersion);
}

/** Every draft's earlier contents, as kept by `supersedeVersion`. */
export async function listSupersededVersions(s: Session): Promise<VersionRecord[]> {
  return (await rows<VersionRow>(s, `SELECT ${COLUMNS} FROM superseded_versions`)).map(toVersion);
}

export async function listPromptIds(s: Session): Promise<string[]> {
  const found = await rows<{ prompt_id: string }>(s, PROMPT_IDS_SQL);
  return found.map((r) => r.prompt_id);
}

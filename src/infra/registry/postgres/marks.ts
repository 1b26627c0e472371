import { toMark, type MarkRow } from '../sqlite-rows.js';
import type { TestedMark } from '../types.js';
import { atomic, changed, rows, type Session } from './session.js';

/** Tested marks keyed by (prompt, version, content hash, model), mirroring sqlite-marks.ts. */

const COLUMNS = 'prompt_id, version, content_hash, model, source, suites, invocation_id, created_at';

export function markTested(s: Session, mark: Omit<TestedMark, 'createdAt'>): Promise<void> {
  return atomic(s, async (tx) => {
    await tx.client.query(
      `INSERT INTO tested_marks (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (prompt_id, version, content_hash, model) DO UPDATE SET
         source = EXCLUDED.source, suites = EXCLUDED.suites, invocation_id = EXCLUDED.invocation_id, created_at = EXCLUDED.created_at`,
      [mark.promptId, mark.version, mark.contentHash, mark.model, mark.source, JSON.stringify(mark.suites), mark.invocationId ?? null, tx.now()],
    );
  });
}

/** Only marks earned by runs: an override is a recorded decision, kept as it was made. */
export function revokeTestedMark(s: Session, promptId: string, version: string, contentHash: string, model: string): Promise<boolean> {
  return atomic(s, async (tx) => {
    const n = await changed(tx, `DELETE FROM tested_marks WHERE prompt_id = $1 AND version = $2 AND content_hash = $3 AND model = $4 AND source = 'run'`, [
      promptId, version, contentHash, model,
    ]);
    return n > 0;
  });
}

export async function getTestedMark(s: Session, promptId: string, version: string, contentHash: string, model: string): Promise<TestedMark | undefined> {
  const [row] = await rows<MarkRow>(s, `SELECT ${COLUMNS} FROM tested_marks WHERE prompt_id = $1 AND version = $2 AND content_hash = $3 AND model = $4`, [
    promptId, version, contentHash, model,
  ]);
  return row && toMark(row);
}

export async function listTestedMarks(s: Session, promptId?: string): Promise<TestedMark[]> {
  const found =
    promptId === undefined
      ? await rows<MarkRow>(s, `SELECT ${COLUMNS} FROM tested_marks ORDER BY prompt_id, version, created_at`)
      : await rows<MarkRow>(s, `SELECT ${COLUMNS} FROM tested_marks WHERE prompt_id = $1 ORDER BY version, created_at`, [promptId]);
  return found.map(toMark);
}

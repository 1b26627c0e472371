import type Database from 'better-sqlite3';
import { toMark, type MarkRow } from './sqlite-rows.js';
import type { TestedMark } from './types.js';

/**
 * Tested marks, keyed by (prompt, version, content hash, model): a mark earned on other content
 * or another model is simply not found. Re-marking the same key replaces the mark.
 */

const COLUMNS = 'prompt_id, version, content_hash, model, source, suites, invocation_id, created_at';

export class TestedMarkStore {
  private readonly put: Database.Statement;
  private readonly one: Database.Statement<[string, string, string, string], MarkRow>;
  private readonly ofPrompt: Database.Statement<[string], MarkRow>;
  private readonly all: Database.Statement<[], MarkRow>;
  private readonly drop: Database.Statement<[string, string, string, string]>;

  constructor(db: Database.Database) {
    this.put = db.prepare(
      `INSERT OR REPLACE INTO tested_marks (${COLUMNS}) VALUES (@prompt_id, @version, @content_hash, @model, @source, @suites, @invocation_id, @created_at)`,
    );
    this.one = db.prepare(`SELECT ${COLUMNS} FROM tested_marks WHERE prompt_id = ? AND version = ? AND content_hash = ? AND model = ?`);
    this.ofPrompt = db.prepare(`SELECT ${COLUMNS} FROM tested_marks WHERE prompt_id = ? ORDER BY version, created_at`);
    this.all = db.prepare(`SELECT ${COLUMNS} FROM tested_marks ORDER BY prompt_id, version, created_at`);
    this.drop = db.prepare(`DELETE FROM tested_marks WHERE prompt_id = ? AND version = ? AND content_hash = ? AND model = ? AND source = 'run'`);
  }

  mark(mark: Omit<TestedMark, 'createdAt'>, createdAt: string): void {
    this.put.run({
      prompt_id: mark.promptId,
      version: mark.version,
      content_hash: mark.contentHash,
      model: mark.model,
      source: mark.source,
      suites: JSON.stringify(mark.suites),
      invocation_id: mark.invocationId ?? null,
      created_at: createdAt,
    });
  }

  /** Only marks earned by runs: an override is a recorded decision, kept as it was made. */
  revoke(promptId: string, version: string, contentHash: string, model: string): boolean {
    return this.drop.run(promptId, version, contentHash, model).changes > 0;
  }

  get(promptId: string, version: string, contentHash: string, model: string): TestedMark | undefined {
    const row = this.one.get(promptId, version, contentHash, model);
    return row && toMark(row);
  }

  list(promptId?: string): TestedMark[] {
    return (promptId === undefined ? this.all.all() : this.ofPrompt.all(promptId)).map(toMark);
  }
}

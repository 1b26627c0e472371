import type Database from 'better-sqlite3';
import { byPromptThenVersion } from '../../core/order.js';
import { PROMPT_IDS_SQL } from './prompt-ids.js';
import { toVersion, type VersionRow } from './sqlite-rows.js';
import type { VersionKey, VersionRecord } from './types.js';
import { preparedOnUse } from './sqlite-lazy.js';

const VERSION_COLUMNS = 'prompt_id, version, content_hash, content, description, author, created_at';

/**
 * The prompt_versions table and the superseded contents of drafts. Writes are called inside the
 * store's transaction (sqlite-marks.ts decides whether a version may be written or replaced).
 */
export class VersionStore {
  // Prepared once per registry: preparing is the slow part of a small query.
  private readonly one: Database.Statement<[string, string], VersionRow>;
  private readonly ofPrompt: Database.Statement<[string], VersionRow>;
  private readonly all: Database.Statement<[], VersionRow>;
  private readonly insertOne: Database.Statement;
  private readonly promptIdsStmt: Database.Statement<[], string>;
  private readonly supersededRows: Database.Statement<[], VersionRow>;

  constructor(private readonly db: Database.Database) {
    this.one = preparedOnUse(() => db.prepare(`SELECT ${VERSION_COLUMNS} FROM prompt_versions WHERE prompt_id = ? AND version = ?`));
    this.ofPrompt = preparedOnUse(() => db.prepare(`SELECT ${VERSION_COLUMNS} FROM prompt_versions WHERE prompt_id = ?`));
    this.all = preparedOnUse(() => db.prepare(`SELECT ${VERSION_COLUMNS} FROM prompt_versions`));
    this.supersededRows = preparedOnUse(() => db.prepare(`SELECT ${VERSION_COLUMNS} FROM superseded_versions`));
    this.promptIdsStmt = preparedOnUse(() => db.prepare<[], string>(PROMPT_IDS_SQL).pluck());
    this.insertOne = preparedOnUse(() => db.prepare(
      `INSERT INTO prompt_versions (${VERSION_COLUMNS}) VALUES (@prompt_id, @version, @content_hash, @content, @description, @author, @created_at)`,
    ));
  }

  get(promptId: string, version: string): VersionRecord | undefined {
    const row = this.one.get(promptId, version);
    return row && toVersion(row);
  }

  // SQLite answers each key from a prepared statement without a round trip: one synchronous step for all.
  getMany(keys: readonly VersionKey[]): Array<VersionRecord | undefined> {
    return keys.map((k) => this.get(k.promptId, k.version));
  }

  list(promptId?: string): VersionRecord[] {
    const rows = promptId === undefined ? this.all.all() : this.ofPrompt.all(promptId);
    return rows.map(toVersion).sort(byPromptThenVersion);
  }

  /** Every draft's earlier contents, as kept by `replace`. */
  superseded(): VersionRecord[] {
    return this.supersededRows.all().map(toVersion);
  }

  promptIds(): string[] {
    return this.promptIdsStmt.all();
  }

  /** Call inside a transaction, for a version not registered yet. */
  insert(record: VersionRecord): void {
    this.insertOne.run({
      prompt_id: record.promptId,
      version: record.version,
      content_hash: record.contentHash,
      content: record.content,
      description: record.description,
      author: record.author,
      created_at: record.createdAt,
    });
  }

  /**
   * Call inside a transaction: keeps `old` among the superseded contents and gives the version
   * `record`'s content. The old content was superseded when the new one was registered.
   */
  replace(old: VersionRecord, record: VersionRecord): void {
    // Each content a draft had is kept once: two branches taking turns on one draft add no copies.
    this.db
      .prepare(
        `INSERT INTO superseded_versions (prompt_id, version, content_hash, content, description, author, created_at, superseded_at, superseded_by)
         SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?
         WHERE NOT EXISTS (SELECT 1 FROM superseded_versions WHERE prompt_id = ? AND version = ? AND content_hash = ?)`,
      )
      .run(old.promptId, old.version, old.contentHash, old.content, old.description, old.author, old.createdAt, record.createdAt, record.contentHash, old.promptId, old.version, old.contentHash);
    this.db
      .prepare('UPDATE prompt_versions SET content_hash = ?, content = ?, description = ?, author = ?, created_at = ? WHERE prompt_id = ? AND version = ?')
      .run(record.contentHash, record.content, record.description, record.author, record.createdAt, record.promptId, record.version);
  }
}

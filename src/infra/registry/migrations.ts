/**
 * Schema migrations, applied in order by `PRAGMA user_version`. Step N (1-based) moves a database
 * from version N-1 to N. Never edit a shipped step: append a new one, so every existing registry
 * can follow the same path.
 */

export const MIGRATIONS: readonly string[] = [
  // 1: the initial schema.
  `
  CREATE TABLE prompt_versions (
    prompt_id    TEXT NOT NULL,
    version      TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    content      TEXT NOT NULL,
    description  TEXT NOT NULL,
    author       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (prompt_id, version)
  );

  CREATE TABLE runs (
    id                TEXT PRIMARY KEY,
    invocation_id     TEXT NOT NULL,
    inputs_key        TEXT NOT NULL,
    prompt_id         TEXT NOT NULL,
    version           TEXT NOT NULL,
    prompt_hash       TEXT NOT NULL,
    suite             TEXT NOT NULL,
    suite_kind        TEXT NOT NULL CHECK (suite_kind IN ('golden', 'adversarial')),
    suite_hash        TEXT NOT NULL,
    model             TEXT NOT NULL,
    server            TEXT NOT NULL,
    promptctl_version TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('running', 'finished', 'aborted')),
    started_at        TEXT NOT NULL,
    ended_at          TEXT,
    summary           TEXT
  );
  CREATE INDEX runs_by_prompt_version_suite ON runs (prompt_id, version, suite, started_at);
  CREATE INDEX runs_by_inputs_key ON runs (inputs_key, started_at);
  CREATE INDEX runs_by_invocation ON runs (invocation_id);

  CREATE TABLE samples (
    run_id     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    case_id    TEXT NOT NULL,
    sample     INTEGER NOT NULL,
    verdict    TEXT NOT NULL CHECK (verdict IN ('pass', 'fail', 'error')),
    output     TEXT NOT NULL,
    reasons    TEXT NOT NULL,
    latency_ms REAL NOT NULL,
    tokens_in  INTEGER NOT NULL,
    tokens_out INTEGER NOT NULL,
    cached     INTEGER NOT NULL,
    error      TEXT,
    category   TEXT,
    leaks      TEXT,
    PRIMARY KEY (run_id, case_id, sample)
  );

  CREATE TABLE response_cache (
    key        TEXT PRIMARY KEY,
    output     TEXT NOT NULL,
    latency_ms REAL NOT NULL,
    tokens_in  INTEGER NOT NULL,
    tokens_out INTEGER NOT NULL,
    created_at TEXT NOT NULL
  );

  CREATE TABLE tested_marks (
    prompt_id     TEXT NOT NULL,
    version       TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    model         TEXT NOT NULL,
    source        TEXT NOT NULL CHECK (source IN ('run', 'override')),
    suites        TEXT NOT NULL,
    invocation_id TEXT,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (prompt_id, version, content_hash, model)
  );

  CREATE TABLE events (
    seq              INTEGER PRIMARY KEY,
    env              TEXT NOT NULL,
    prompt_id        TEXT NOT NULL,
    version          TEXT NOT NULL,
    previous_version TEXT,
    action           TEXT NOT NULL,
    actor            TEXT NOT NULL,
    reason           TEXT,
    detail           TEXT,
    at               TEXT NOT NULL,
    prev_hash        TEXT NOT NULL,
    hash             TEXT NOT NULL
  );
  CREATE INDEX events_by_prompt_env ON events (prompt_id, env, seq);
  CREATE INDEX events_by_env ON events (env, seq);

  -- Append-only. Dropping these triggers by hand is possible; the hash chain still shows the edit.
  CREATE TRIGGER events_no_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE is not allowed'); END;
  CREATE TRIGGER events_no_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE is not allowed'); END;
  CREATE TRIGGER events_append_at_end BEFORE INSERT ON events
  WHEN NEW.seq <= (SELECT coalesce(max(seq), 0) FROM events)
  BEGIN SELECT RAISE(ABORT, 'audit events are append-only: a new event must come after the last one'); END;

  -- The last seq and hash, kept apart from the events so that deleting the newest events shows.
  -- It may only move forward, in step with an event that exists.
  CREATE TABLE chain_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE TRIGGER chain_head_insert BEFORE INSERT ON chain_head
  WHEN (SELECT count(*) FROM chain_head) > 0
    OR NEW.hash IS NOT (SELECT hash FROM events WHERE seq = NEW.seq)
  BEGIN SELECT RAISE(ABORT, 'chain_head is written only with a new audit event'); END;
  CREATE TRIGGER chain_head_update BEFORE UPDATE ON chain_head
  WHEN NEW.id IS NOT OLD.id
    OR NEW.seq <= OLD.seq
    OR NEW.hash IS NOT (SELECT hash FROM events WHERE seq = NEW.seq)
  BEGIN SELECT RAISE(ABORT, 'chain_head only moves forward, with a new audit event'); END;
  CREATE TRIGGER chain_head_no_delete BEFORE DELETE ON chain_head
  BEGIN SELECT RAISE(ABORT, 'chain_head cannot be deleted'); END;
  `,
  // 2: registry-local random secrets (the canary key of adversarial runs).
  `
  CREATE TABLE secrets (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  `,
  // 3: content a new, never-deployed version had before it was revised on its (unmerged) branch.
  // prompt_versions keeps the current content; every earlier one stays here, so nothing recorded is
  // lost, and runs and tested marks stay bound to the hash they were made with.
  `
  CREATE TABLE superseded_versions (
    prompt_id     TEXT NOT NULL,
    version       TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    content       TEXT NOT NULL,
    description   TEXT NOT NULL,
    author        TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    superseded_at TEXT NOT NULL,
    superseded_by TEXT NOT NULL,
    PRIMARY KEY (prompt_id, version, content_hash, superseded_at)
  );
  CREATE TRIGGER superseded_versions_no_update BEFORE UPDATE ON superseded_versions
  BEGIN SELECT RAISE(ABORT, 'superseded versions are kept as they were: UPDATE is not allowed'); END;
  CREATE TRIGGER superseded_versions_no_delete BEFORE DELETE ON superseded_versions
  BEGIN SELECT RAISE(ABORT, 'superseded versions are kept as they were: DELETE is not allowed'); END;
  `,
  // 4: events name the content hash of their version (inside the event's hash), and tested marks
  // become events of the chain (env '' for events about no environment: events_by_prompt_env
  // finds them). tested_marks stays for registries written before: its rows count for no gate.
  `
  ALTER TABLE events ADD COLUMN content_hash TEXT;
  `,
  // 5: optional Ed25519 signatures on events (core/signing.ts): who signed (`<role>:<key id>`) and
  // the signature of the event's hash. Outside the hash: the signature is over it.
  `
  ALTER TABLE events ADD COLUMN signer TEXT;
  ALTER TABLE events ADD COLUMN signature TEXT;
  `,
  // 6: run leases, so that two processes resuming one run never both send its missing cases.
  // A row per run being sent: who sends it, and until when (ISO text; an expired row is free).
  `
  CREATE TABLE run_leases (
    run_id      TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    acquired_at TEXT NOT NULL,
    expires_at  TEXT NOT NULL
  );
  `,
  // 7: each event may carry the idempotency key of the command invocation that appended it (outside
  // the event's hash, so older events verify as before): an append whose key exists returns that
  // event instead of appending a second one. NULLs (events without a key) do not collide.
  `
  ALTER TABLE events ADD COLUMN idempotency_key TEXT;
  CREATE UNIQUE INDEX events_by_idempotency_key ON events (idempotency_key);
  `,
  // 8: what a sample exchanged beyond its final text (tool calls, a conversation's earlier
  // replies), as JSON; NULL for a plain answer, so every older row reads as it did.
  `
  ALTER TABLE samples ADD COLUMN exchange TEXT;
  ALTER TABLE response_cache ADD COLUMN exchange TEXT;
  `,
  // 9: the weights (the server's `root` for the model) that gave a cached answer, so a run on other
  // weights behind the same name asks again; NULL where the server named none, as on older rows.
  `
  ALTER TABLE response_cache ADD COLUMN root TEXT;
  `,
  // 10: the latest time a run holds, found in one step: a run is never dated before it
  // (sqlite-runs.ts notBeforeNewest), as an event is never dated before the newest event.
  `
  CREATE INDEX runs_by_recency ON runs (coalesce(ended_at, started_at));
  `,
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * The oldest schema a reader reads in place, without upgrading the file (sqlite-older.ts): every step
 * after it only adds tables and nullable columns, so the upgraded file would answer a reader's
 * queries with empty tables and NULLs, which the reader can present itself. A step that changes
 * anything else (a column's type or meaning, a rebuilt table, moved rows) must raise this to its
 * own number; `test/registry/older-schema.test.ts` refuses a step that is not an addition.
 */
export const READABLE_FROM = 1;

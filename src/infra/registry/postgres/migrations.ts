/**
 * The PostgreSQL registry's schema, versioned like the SQLite one (migrations.ts beside it): step
 * N (1-based) moves a schema from version N-1 to N, and a shipped step is never edited. Steps run
 * with `search_path` set to the registry's own schema, so the SQL names no schema.
 *
 * Hashed and timestamp fields are TEXT, stored exactly as they were hashed or written: timestamptz
 * and jsonb would re-render them, and the audit chain would no longer verify. Whatever a server
 * supplied as raw text (model outputs, error messages, the weights' name) is BYTEA (its UTF-8
 * bytes): it may hold a NUL character, which TEXT cannot hold and SQLite keeps. Text keys use the C
 * collation so that ORDER BY sorts as SQLite does (by code point), whatever the database's locale.
 */

const T = 'TEXT COLLATE "C"';

export const PG_MIGRATIONS: readonly string[] = [
  // 1: what SQLite reached in its steps 1-4 (versions, runs, samples, cache, events with their
  // content hash, secrets, superseded versions). Tested marks are events of the chain (env ''), so
  // there is no tested_marks table.
  `
  CREATE TABLE prompt_versions (
    prompt_id    ${T} NOT NULL,
    version      ${T} NOT NULL,
    content_hash TEXT NOT NULL,
    content      TEXT NOT NULL,
    description  TEXT NOT NULL,
    author       TEXT NOT NULL,
    created_at   ${T} NOT NULL,
    PRIMARY KEY (prompt_id, version)
  );

  CREATE TABLE superseded_versions (
    prompt_id     ${T} NOT NULL,
    version       ${T} NOT NULL,
    content_hash  TEXT NOT NULL,
    content       TEXT NOT NULL,
    description   TEXT NOT NULL,
    author        TEXT NOT NULL,
    created_at    ${T} NOT NULL,
    superseded_at ${T} NOT NULL,
    superseded_by TEXT NOT NULL,
    PRIMARY KEY (prompt_id, version, content_hash, superseded_at)
  );

  CREATE TABLE runs (
    id                TEXT PRIMARY KEY,
    invocation_id     TEXT NOT NULL,
    inputs_key        TEXT NOT NULL,
    prompt_id         ${T} NOT NULL,
    version           ${T} NOT NULL,
    prompt_hash       TEXT NOT NULL,
    suite             ${T} NOT NULL,
    suite_kind        TEXT NOT NULL CHECK (suite_kind IN ('golden', 'adversarial')),
    suite_hash        TEXT NOT NULL,
    model             TEXT NOT NULL,
    server            TEXT NOT NULL,
    promptctl_version TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('running', 'finished', 'aborted')),
    started_at        ${T} NOT NULL,
    ended_at          TEXT,
    summary           TEXT,
    -- Insertion order, SQLite's rowid: ties on started_at list in the order written.
    written           BIGINT GENERATED ALWAYS AS IDENTITY
  );
  CREATE INDEX runs_by_prompt_version_suite ON runs (prompt_id, version, suite, started_at);
  CREATE INDEX runs_by_inputs_key ON runs (inputs_key, started_at);
  CREATE INDEX runs_by_invocation ON runs (invocation_id);

  -- A replaced sample takes a new number, so it lists last, as SQLite's INSERT OR REPLACE does.
  CREATE SEQUENCE samples_written;
  CREATE TABLE samples (
    run_id     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    case_id    TEXT NOT NULL,
    sample     INTEGER NOT NULL,
    verdict    TEXT NOT NULL CHECK (verdict IN ('pass', 'fail', 'error')),
    output     BYTEA NOT NULL,
    reasons    TEXT NOT NULL,
    latency_ms DOUBLE PRECISION NOT NULL,
    tokens_in  INTEGER NOT NULL,
    tokens_out INTEGER NOT NULL,
    cached     INTEGER NOT NULL,
    error      TEXT,
    category   TEXT,
    leaks      TEXT,
    written    BIGINT NOT NULL DEFAULT nextval('samples_written'),
    PRIMARY KEY (run_id, case_id, sample)
  );
  CREATE INDEX samples_by_run_written ON samples (run_id, written);

  CREATE TABLE response_cache (
    key        TEXT PRIMARY KEY,
    output     BYTEA NOT NULL,
    latency_ms DOUBLE PRECISION NOT NULL,
    tokens_in  INTEGER NOT NULL,
    tokens_out INTEGER NOT NULL,
    created_at TEXT NOT NULL
  );

  CREATE TABLE secrets (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    created_at TEXT NOT NULL
  );

  -- seq is head + 1, taken under the head row's lock: never a SERIAL, which leaves gaps.
  CREATE TABLE events (
    seq              BIGINT PRIMARY KEY,
    env              ${T} NOT NULL,
    prompt_id        ${T} NOT NULL,
    version          TEXT NOT NULL,
    previous_version TEXT,
    action           TEXT NOT NULL,
    actor            TEXT NOT NULL,
    reason           TEXT,
    detail           TEXT,
    content_hash     TEXT,
    at               TEXT NOT NULL,
    prev_hash        TEXT NOT NULL,
    hash             TEXT NOT NULL
  );
  CREATE INDEX events_by_prompt_env ON events (prompt_id, env, seq);
  CREATE INDEX events_by_env ON events (env, seq);

  -- The last seq and hash, kept apart from the events so that deleting the newest events shows.
  CREATE TABLE chain_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
  );

  -- Append-only. Dropping these triggers is possible for an owner; the hash chain still shows the edit.
  CREATE FUNCTION refuse() RETURNS TRIGGER LANGUAGE plpgsql AS $$
  BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$;
  CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION refuse('audit events are append-only: UPDATE is not allowed');
  CREATE TRIGGER events_no_delete BEFORE DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION refuse('audit events are append-only: DELETE is not allowed');
  CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse('audit events are append-only: TRUNCATE is not allowed');
  CREATE TRIGGER chain_head_no_delete BEFORE DELETE ON chain_head
    FOR EACH ROW EXECUTE FUNCTION refuse('chain_head cannot be deleted');
  CREATE TRIGGER superseded_versions_no_update BEFORE UPDATE ON superseded_versions
    FOR EACH ROW EXECUTE FUNCTION refuse('superseded versions are kept as they were: UPDATE is not allowed');
  CREATE TRIGGER superseded_versions_no_delete BEFORE DELETE ON superseded_versions
    FOR EACH ROW EXECUTE FUNCTION refuse('superseded versions are kept as they were: DELETE is not allowed');

  CREATE FUNCTION events_append_at_end() RETURNS TRIGGER LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
  BEGIN
    IF NEW.seq <= (SELECT coalesce(max(seq), 0) FROM events) THEN
      RAISE EXCEPTION 'audit events are append-only: a new event must come after the last one';
    END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER events_append_at_end BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION events_append_at_end();

  -- The head may only move forward, in step with an event that exists.
  CREATE FUNCTION chain_head_follows() RETURNS TRIGGER LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
  BEGIN
    IF TG_OP = 'INSERT' AND EXISTS (SELECT 1 FROM chain_head) THEN
      RAISE EXCEPTION 'chain_head is written only with a new audit event';
    END IF;
    IF TG_OP = 'UPDATE' AND (NEW.id IS DISTINCT FROM OLD.id OR NEW.seq <= OLD.seq) THEN
      RAISE EXCEPTION 'chain_head only moves forward, with a new audit event';
    END IF;
    IF NEW.hash IS DISTINCT FROM (SELECT hash FROM events WHERE seq = NEW.seq) THEN
      RAISE EXCEPTION 'chain_head is written only with a new audit event';
    END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER chain_head_follows BEFORE INSERT OR UPDATE ON chain_head FOR EACH ROW EXECUTE FUNCTION chain_head_follows();
  `,
  // 2: optional Ed25519 signatures on events (core/signing.ts), outside the hash they sign.
  `
  ALTER TABLE events ADD COLUMN signer TEXT;
  ALTER TABLE events ADD COLUMN signature TEXT;
  `,
  // 3 (SQLite's step 6): run leases, so that two processes resuming one run never both send its
  // missing cases. A row per run being sent: who sends it, and until when (an expired row is free).
  `
  CREATE TABLE run_leases (
    run_id      ${T} PRIMARY KEY,
    holder      TEXT NOT NULL,
    acquired_at ${T} NOT NULL,
    expires_at  ${T} NOT NULL
  );
  `,
  // 4 (SQLite's step 7): each event may carry the idempotency key of the command invocation that appended it (outside
  // the event's hash, so older events verify as before): an append whose key exists returns that
  // event instead of appending, so a transaction re-run after a lost COMMIT never appends twice.
  `
  ALTER TABLE events ADD COLUMN idempotency_key TEXT UNIQUE;
  `,
  // 5: a sample still needs its run, checked once per statement instead of once per row. The
  // foreign key ran a lookup for every one of a batch's rows, a third of what writing a batch of
  // samples cost; samples are written in batches of hundreds, always of runs already there, and no
  // run is ever deleted (so the cascade it declared never fired).
  `
  ALTER TABLE samples DROP CONSTRAINT samples_run_id_fkey;
  CREATE FUNCTION samples_need_their_run() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $check$
  BEGIN
    IF EXISTS (SELECT 1 FROM written_samples w WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.id = w.run_id)) THEN
      RAISE EXCEPTION 'insert or update on table "samples" violates its run reference: no run has that id'
        USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
  END
  $check$;
  CREATE TRIGGER samples_need_their_run_inserted AFTER INSERT ON samples
    REFERENCING NEW TABLE AS written_samples FOR EACH STATEMENT EXECUTE FUNCTION samples_need_their_run();
  CREATE TRIGGER samples_need_their_run_updated AFTER UPDATE ON samples
    REFERENCING NEW TABLE AS written_samples FOR EACH STATEMENT EXECUTE FUNCTION samples_need_their_run();
  `,
  // 6 (SQLite's step 8): what a sample exchanged beyond its final text (tool calls, a
  // conversation's earlier replies), as JSON; NULL for a plain answer.
  `
  ALTER TABLE samples ADD COLUMN exchange TEXT;
  ALTER TABLE response_cache ADD COLUMN exchange TEXT;
  `,
  // 7 (SQLite's step 9): the weights (the server's `root` for the model) that gave a cached answer;
  // NULL where the server named none, as on older rows.
  `
  ALTER TABLE response_cache ADD COLUMN root TEXT;
  `,
  // 8: what a server reports is stored whatever it holds, as SQLite stores it.
  // - The texts it supplied verbatim beside its answer, its error message and the name of its
  //   weights, become BYTEA (their UTF-8 bytes) as outputs are: an error body that echoes the
  //   user's input may hold a NUL, which TEXT refuses, and the whole batch of samples was lost
  //   with it. The other texts of a sample and of a cached answer are JSON (reasons, leaks,
  //   exchange), in which JSON.stringify writes a NUL as \u0000, or promptctl's own words.
  // - Token counts become BIGINT (SQLite's integers are 64-bit): a server may report more than
  //   2^31-1 (a long context counted over many requests), which INTEGER refused.
  // Existing rows convert in place; one ALTER per table rewrites it once.
  `
  ALTER TABLE samples ALTER COLUMN error TYPE BYTEA USING convert_to(error, 'UTF8'),
    ALTER COLUMN tokens_in TYPE BIGINT, ALTER COLUMN tokens_out TYPE BIGINT;
  ALTER TABLE response_cache ALTER COLUMN root TYPE BYTEA USING convert_to(root, 'UTF8'),
    ALTER COLUMN tokens_in TYPE BIGINT, ALTER COLUMN tokens_out TYPE BIGINT;
  `,
];

/** The schema version this build writes. */
export const PG_SCHEMA_VERSION = PG_MIGRATIONS.length;

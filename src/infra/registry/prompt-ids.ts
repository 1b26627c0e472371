/**
 * Every prompt id the registry knows, from its versions and its events, sorted by code point
 * (SQLite's BINARY, PostgreSQL's "C" columns), in the SQL both backends run. A loose index scan:
 * each step seeks the next id after the last one through the index led by prompt_id, so a
 * registry of 100 prompts reads about 200 index entries, not every version and event row (status
 * asks this first, whatever the size of the log).
 */
export const PROMPT_IDS_SQL = `WITH RECURSIVE
  v(id) AS (SELECT min(prompt_id) FROM prompt_versions
            UNION ALL SELECT (SELECT min(prompt_id) FROM prompt_versions WHERE prompt_id > v.id) FROM v WHERE v.id IS NOT NULL),
  e(id) AS (SELECT min(prompt_id) FROM events
            UNION ALL SELECT (SELECT min(prompt_id) FROM events WHERE prompt_id > e.id) FROM e WHERE e.id IS NOT NULL)
SELECT id AS prompt_id FROM v WHERE id IS NOT NULL UNION SELECT id FROM e WHERE id IS NOT NULL ORDER BY prompt_id`;

/**
 * Every environment some event names (deploys, rollbacks, overrides; marks name none, ''), sorted
 * by code point: the same loose index scan, through the index led by env.
 */
export const ENVIRONMENTS_SQL = `WITH RECURSIVE
  e(env) AS (SELECT min(env) FROM events WHERE env > ''
             UNION ALL SELECT (SELECT min(env) FROM events WHERE env > e.env) FROM e WHERE e.env IS NOT NULL)
SELECT env FROM e WHERE env IS NOT NULL ORDER BY env`;

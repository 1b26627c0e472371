/**
 * What a version's state needs of the audit log (infra/version-states.ts): the environments its
 * environment events name, and the oldest such event that recorded a content hash. One query per
 * prompt, for SQLite and PostgreSQL alike, instead of reading and building every environment event
 * of the prompt: the log grows with every deploy, these rows only with versions and environments.
 */

/** A version some environment event (deploy, rollback, override) of the prompt names. */
export interface VersionReleases {
  version: string;
  /** Each environment once, in the order its first event for the version came. */
  envs: string[];
  /** The oldest of those events that recorded a content hash: what the version was released with. */
  hashedBy?: { seq: number; contentHash: string };
}

/** One row per (version, environment), oldest first, with the version's first hashed event. */
export interface VersionReleaseRow {
  version: string;
  env: string;
  seq: number | string | null;
  content_hash: string | null;
}

/**
 * The query, `p` the placeholder of the prompt id (given twice: `?` binds it twice, `$1` once). An
 * empty hash counts as none, as it does where events are read (`find((e) => e.contentHash)`).
 */
export function versionReleasesSql(p: string): string {
  return `SELECT r.version, r.env, h.seq, h.content_hash FROM
    (SELECT version, env, MIN(seq) AS first FROM events WHERE prompt_id = ${p} AND env <> '' GROUP BY version, env) r
    LEFT JOIN (SELECT version, MIN(seq) AS seq FROM events WHERE prompt_id = ${p} AND env <> '' AND content_hash IS NOT NULL AND content_hash <> '' GROUP BY version) f ON f.version = r.version
    LEFT JOIN events h ON h.seq = f.seq
    ORDER BY r.first`;
}

/** The rows, one entry per version, in the order of its first environment event. */
export function versionReleasesOf(rows: readonly VersionReleaseRow[]): VersionReleases[] {
  const out = new Map<string, VersionReleases>();
  for (const r of rows) {
    let v = out.get(r.version);
    if (!v) out.set(r.version, (v = { version: r.version, envs: [], ...(r.seq !== null && r.content_hash !== null ? { hashedBy: { seq: Number(r.seq), contentHash: r.content_hash } } : {}) }));
    v.envs.push(r.env);
  }
  return [...out.values()];
}

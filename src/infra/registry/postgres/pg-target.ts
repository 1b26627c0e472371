/**
 * Where a PostgreSQL registry is, as parsed from its URL (registry/target.ts): plain data, with no
 * `pg` type, so the library's published types need no PostgreSQL driver types.
 */
export interface PgTarget {
  /** The URL pg connects with, password included when one came from the environment: never printed. */
  url: string;
  /** Its schema (default `promptctl`). */
  schema: string;
  /** The URL as people see it: no password. */
  display: string;
  /** Strings scrubbed from every message. */
  secrets: string[];
  /**
   * The command that migrates this registry, when plain `promptctl registry migrate` would not
   * (it migrates the project's configured registry): for `registry push --to <url>` and the library.
   */
  migrateCommand?: string;
  /**
   * The variable `registry.password_env` names (a name, never its value) and whether the
   * environment sets it, so a refused login can say which variable to set.
   */
  passwordEnv?: { name: string; set: boolean };
  /** Where the password came from (never the password): a refused login names it. */
  passwordFrom?: string;
  /** The password file libpq would read, as a refused login names it (ignored when group or others may read it). */
  passwordFile?: { name: string; ignoredMode?: string };
  /** The URL came from `--to`: a password in PROMPTCTL_REGISTRY_URL is never read for it, so a hint does not name it. */
  urlEnvUnread?: true;
  /** Where the host and port came from when the URL names neither (libpq-unread.ts addressFrom), for a hint. */
  addressFrom?: string;
}

import { InputError } from '../../core/errors.js';

/**
 * Parameters of a registry URL that choose what promptctl chooses itself, and that pg would
 * silently not honour: the schema (JDBC's `currentSchema`, `schema`, a `search_path` parameter, or
 * `-c search_path=` in `options`, which the registry's own `-c search_path=<schema>` after it
 * overrides) and the database (`dbname`, `database`: pg connects to the one in the URL's path). A
 * team that wrote `?currentSchema=team_a` read and wrote the schema `promptctl` without a word, so
 * each is bad input (exit 2) unless it names what is used anyway. Parameters pg honours and that
 * choose nothing of the registry's (sslmode, application_name, connect_timeout, other `-c` settings)
 * are left alone.
 */

const SCHEMA_PARAMS = ['schema', 'currentschema', 'current_schema', 'search_path', 'searchpath'];
const DATABASE_PARAMS = ['dbname', 'database'];
/** `-c search_path=x`, `-csearch_path=x` or `--search-path=x` in libpq's options (GUC names ignore case, and - is _). */
const OPTIONS_SEARCH_PATH = /(?:^|\s)(?:-c\s*|--)search[_-]path\s*=\s*(\S*)/i;

/**
 * Refuses a parameter of `url` that chooses a schema other than `schema` or a database other than
 * the URL's path. `schemaPlace`: where the schema is chosen instead, in the caller's words.
 */
export function refuseChosenElsewhere(url: URL, source: string, schema: string, schemaPlace: string): void {
  const database = decodeURIComponentSafe(url.pathname.slice(1));
  for (const [key, value] of url.searchParams) {
    const name = key.toLowerCase();
    const options = name === 'options' ? OPTIONS_SEARCH_PATH.exec(value) : null;
    const chosen = SCHEMA_PARAMS.includes(name) ? value : options ? options[1]!.replace(/^["']|["']$/g, '') : undefined;
    if (chosen !== undefined && chosen !== schema) {
      const written = options ? `-c search_path=${chosen} in options=` : `${key}=${value}`;
      throw new InputError({
        message: `${source} chooses the schema with ${written}, which promptctl does not read from a URL`,
        why: `the registry's schema is chosen by ${schemaPlace} (here ${schema}): every statement would read and write ${schema}, not ${chosen || 'what the URL names'}`,
        hint: `remove ${options ? "the search_path setting from the URL's options" : `${key}= from the URL`} and name the schema with ${schemaPlace} instead${chosen ? `: ${chosen}` : ''}`,
      });
    }
    if (DATABASE_PARAMS.includes(name) && value !== database) {
      throw new InputError({
        message: `${source} names the database in ${key}=${value}, which promptctl does not read`,
        why: database ? `promptctl connects to the database in the URL's path (${database})` : "promptctl connects to the database in the URL's path, or PGDATABASE when it has none",
        hint: `write the database in the URL's path instead: postgres://user@host:5432/${value || '<database>'}`,
      });
    }
  }
}

/** A URL part decoded, or as written when its escapes are not valid. */
export function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

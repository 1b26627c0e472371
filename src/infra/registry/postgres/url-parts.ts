/**
 * What a registry URL (as shown, without its password) names, for hints: the role and database an
 * `ALTER ROLE` names, and where the URL itself gives the server a setting. Apart from the faults
 * so that fault-hints.ts and the faults' modules can all use it without importing one another.
 */

/** The role a URL logs in as, for an `ALTER ROLE` hint; `<role>` when it names none (or is no URL). */
export function roleIn(where: string): string {
  return urlPart(where, (u) => u.username, '<role>');
}

/** The database a URL names, for an `ALTER ROLE … IN DATABASE` hint; `<database>` when it names none (or is no URL). */
export function databaseIn(where: string): string {
  return urlPart(where, (u) => u.pathname.slice(1), '<database>');
}

function urlPart(where: string, part: (url: URL) => string, none: string): string {
  try {
    return decodeURIComponent(part(new URL(where))) || none;
  } catch {
    return none;
  }
}

/**
 * Where the URL sets a server setting for the session, as people find it there: pg sends a
 * `?statement_timeout=` parameter as a startup parameter of its own (it wins over the same setting
 * in `options`), and `options` carries `-c name=value`. Undefined: the URL sets none.
 */
export function settingInUrl(where: string, name: string): 'parameter' | 'options' | undefined {
  let params: URLSearchParams;
  try {
    params = new URL(where).searchParams;
  } catch {
    return undefined;
  }
  if (params.has(name)) return 'parameter';
  return new RegExp(`\\b${name}\\b`).test(params.get('options') ?? '') ? 'options' : undefined;
}

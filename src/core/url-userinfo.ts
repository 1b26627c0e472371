/**
 * The one rule for a user name and password the URL parser would not read as one. The authority of
 * `scheme://user:password@host:port` ends at the first `/`, `?` or `#` (and `\` for http and https,
 * which the parser reads as `/`), so a password with one of them unencoded ends it early:
 * `postgres://owner1:/S3cret@db/x` is host `owner1` with the path `/S3cret@db/x`. Nothing then
 * counts as a password, so nothing is scrubbed, and every message that names the URL (or the host
 * it took) shows the secret. An `@` after the authority is the sign: refused, never echoed, by the
 * registry URL (`target.ts`), `registry.url` (`pg-url.ts`, as a pattern for the JSON Schema too)
 * and `server.base_url` (`schemas/server-url.ts`). An `@` meant as text there is written `%40`.
 */

/** Matches a URL with an `@` after its authority: a scheme, `//`, the authority, then an `@` past its end. */
const STRAY_AT_NON_SPECIAL = String.raw`[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*[/?#][\s\S]*@`;
const STRAY_AT_SPECIAL = String.raw`(?:[Hh][Tt][Tt][Pp][Ss]?|[Ww][Ss][Ss]?|[Ff][Tt][Pp]):[/\\]*(?![/\\])[^/?#\\]*[/?#\\][\s\S]*@`;

/** The pattern, for a JSON Schema `pattern` (pg-url.ts): postgres:// is not one of the parser's special schemes. */
export const STRAY_AT_PATTERN = STRAY_AT_NON_SPECIAL;

/** True when an `@` stands after where the URL parser ends the user name, password, host and port. */
export function hasStrayAt(raw: string): boolean {
  return new RegExp(`^(?:${STRAY_AT_SPECIAL}|${STRAY_AT_NON_SPECIAL})`).test(raw.trim());
}

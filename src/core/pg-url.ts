import { STRAY_AT_PATTERN } from './url-userinfo.js';

/**
 * Rules for a PostgreSQL URL, as patterns: `registry.url`'s schema carries them (so the generated
 * JSON Schema refuses in an editor what the CLI refuses; a zod refinement would not reach it), and
 * the registry target checks the sslmode of any URL with the same lists. Plain code, no zod: the
 * library entry opens a registry without loading the config schema.
 */

/** The sslmode values the `pg` driver takes from a URL as libpq means them (no-verify is pg's own). */
export const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full', 'no-verify'];
/** libpq's modes that fall back between TLS and a plain connection: pg cannot, and would take them for verify-full. */
export const FALLBACK_SSL_MODES = ['allow', 'prefer'];

/** A pattern matching text that starts with none of `refused` (a JSON Schema `pattern` describes what is accepted). */
const noneOf = (...refused: string[]): RegExp => new RegExp(`^(?!${refused.join('|')})`);

/** Up to a query parameter: it follows `?` or `&`, before any `#`. */
const PARAMETER = String.raw`[^?#]*\?(?:[^#]*&)?`;

export const POSTGRES_URL = /^postgres(ql)?:\/\//;
export const NOT_POSTGRES_URL = 'must be a postgres:// (or postgresql://) URL, e.g. postgres://promptctl@db.example.com:5432/prompts';

/**
 * No password in the URL. One is there when a `:` in the authority (before the first `/`, `?` or
 * `#`) has at least one character between it and an `@` (the user part ends at the last `@`; a
 * port's `:` has none after it): exactly when `new URL(u).password` is not empty. Or a `password`
 * query parameter.
 */
export const NO_PASSWORD = noneOf(String.raw`[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*:[^/?#]+@`, String.raw`${PARAMETER}password(?:[=&#]|$)`);
/** No `@` after the authority (url-userinfo.ts): a password with an unencoded `/` or `?` would hide from NO_PASSWORD there. */
export const NO_STRAY_AT = noneOf(STRAY_AT_PATTERN);
export const STRAY_AT_IN_URL =
  'must not contain an @ after the host: a password with an unencoded /, ? or # ends the host there, and the rest would be taken for the server name and shown in messages; ' +
  'percent-encode them (@ as %40, / as %2F, ? as %3F, # as %23), and give the password in the environment (PGPASSWORD, the variable password_env names, or PROMPTCTL_REGISTRY_URL)';
export const PASSWORD_IN_URL = 'must not contain a password: give it in the environment (PGPASSWORD, the variable password_env names, or PROMPTCTL_REGISTRY_URL)';

/** No sslmode parameter but one the driver takes (an empty value is none). */
export const SUPPORTED_SSL_MODE = noneOf(String.raw`${PARAMETER}sslmode(?:=(?!(?:${SSL_MODES.join('|')})(?:[&#]|$))|(?=[&#]|$))`);
export const UNSUPPORTED_SSL_MODE =
  `must give sslmode as one of ${SSL_MODES.join(', ')}: ${FALLBACK_SSL_MODES.join(' and ')} fall back between TLS and a plain connection, ` +
  'which the pg driver promptctl uses cannot do; write sslmode=verify-full (with sslrootcert=/path/ca.pem for a private CA) for a server with TLS, or sslmode=disable for one without';

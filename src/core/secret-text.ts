import { escapeRegExp } from './escape-regexp.js';

/**
 * Secrets starred in text promptctl did not write itself. The model client's errors star its API
 * key and bearer tokens (infra/model/errors.ts `redact`); the printer of what promptctl did not
 * expect (a bug, exit 70), whose message and stack come from anywhere, stars every secret it can
 * know of: the values of variables named as secrets (API keys, tokens, passwords), bearer tokens,
 * and passwords inside URLs. (A registry server's words are scrubbed by postgres/faults.ts, whose
 * short passwords are starred only as whole words.)
 */

/** A variable whose value is a secret by its name: VLLM_API_KEY, GITHUB_TOKEN, PGPASSWORD, … */
const SECRET_NAME = /KEY|TOKEN|SECRET|PASSW|PASSPHRASE|CREDENTIAL|AUTH/i;

/** Below this length a value is not starred: "1" or "yes" would star every digit or word in a stack. */
const SHORTEST_SECRET = 6;

/**
 * Whether an API key looks generated (at least 12 characters, letters and digits), and so can be
 * starred in text a server sent without starring words: a vLLM server needs no key, so "EMPTY",
 * "none" or "1234" are common placeholders, and starring them would rewrite an answer's own words
 * and numbers (and break the JSON of a tool call's arguments).
 */
export function looksGenerated(key: string): boolean {
  return key.length >= 12 && /[A-Za-z]/.test(key) && /[0-9]/.test(key);
}

/**
 * The secret values in `env`, longest first (so a secret containing another is starred whole): of
 * variables whose names look secret, and of those `named` as secrets whatever their names (the
 * project's `server.api_key_env`, say `LLM_GATEWAY`).
 */
export function secretValues(env: Readonly<Record<string, string | undefined>>, named: readonly string[] = []): string[] {
  const values = Object.entries(env).flatMap(([name, value]) => ((SECRET_NAME.test(name) || named.includes(name)) && value && value.trim().length >= SHORTEST_SECRET ? [value, value.trim()] : []));
  return [...new Set(values)].sort((a, b) => b.length - a.length);
}

/**
 * The variables a config's text names as holding secrets (`api_key_env`, `password_env`), read
 * from the text by their keys rather than parsed: the printer of a bug uses it, and the bug may
 * be in reading that very file.
 */
export function secretVariablesNamedIn(configText: string): string[] {
  // The key at a line's start, or inside a flow mapping (`server: { api_key_env: X }`), quoted or not.
  return [...configText.matchAll(/(?:^|[{,])[ \t]*["']?(?:api_key_env|password_env)["']?[ \t]*:[ \t]*["']?([A-Za-z_][A-Za-z0-9_]*)/gm)].map((m) => m[1]!);
}

/** `text` with every occurrence of each of `secrets` starred. */
export function starValues(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.replace(new RegExp(escapeRegExp(s), 'g'), '[REDACTED]');
  return out;
}

/** `text` with the token of every `Bearer …` starred (an echoed Authorization header). */
export function starBearerTokens(text: string): string {
  return text.replace(/\b(Bearer\s+)[^\s"',;]+/gi, '$1[REDACTED]');
}

/** `text` with every secret of `secrets`, every bearer token and every password in a URL starred. */
export function redactCrashText(text: string, secrets: readonly string[]): string {
  return starBearerTokens(starValues(text, secrets))
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)[^\s/@]+@/gi, '$1[REDACTED]@')
    .replace(/([?&](?:password|sslpassword)=)[^&\s]+/gi, '$1[REDACTED]');
}

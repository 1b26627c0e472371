import { escapeRegExp } from './escape-regexp.js';

/**
 * Secrets starred in text promptctl did not write itself. The model client stars its API key
 * (`starredKeyValues`) in answers and errors, and every bearer token in errors (infra/model/errors.ts); the printer of what promptctl did not
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
 * Below this length an API key is a placeholder, not a secret, and is starred nowhere. The key is
 * starred in what a server sends back, answers included, and a starred answer is what is scored
 * and stored: a vLLM server needs no key, so its users set "EMPTY", "none", "dummy", "test" or
 * "1234", which are also words and numbers of ordinary answers (and of a tool call's JSON
 * arguments), and starring them would rewrite answers and their verdicts. At 8 characters a value
 * stops being a likely word of an answer, and a key a server issues is longer (vLLM's own example,
 * `token-abc123`, has 12).
 */
const SHORTEST_STARRED_KEY = 8;

/** Placeholders long enough to be starred by length alone, which clients document for servers that need no key. */
const KEY_PLACEHOLDERS: readonly string[] = ['not-needed', 'placeholder', 'sk-no-key-required', 'no-key-required'];

/**
 * The values of an API key to star wherever they appear (a server's answers, its error bodies, and
 * so the reports and the registry): the key as set and trimmed, as the Authorization header carries
 * it; none for a placeholder (`SHORTEST_STARRED_KEY`, `KEY_PLACEHOLDERS`). The one rule for every
 * place the model client stars its key, so a key is either starred everywhere or a placeholder.
 */
export function starredKeyValues(apiKey: string | undefined): string[] {
  const key = apiKey?.trim();
  if (!apiKey || !key || key.length < SHORTEST_STARRED_KEY || KEY_PLACEHOLDERS.includes(key.toLowerCase())) return [];
  return apiKey === key ? [key] : [apiKey, key];
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

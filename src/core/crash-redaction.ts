import { escapeRegExp } from './escape-regexp.js';

/**
 * Redaction for the one printer that words what promptctl did not expect (a bug, exit 70): its
 * message and stack come from anywhere, so, like the server and registry printers, it stars every
 * secret it can know of: the values of variables named as secrets (API keys, tokens, passwords),
 * bearer tokens, and passwords inside URLs.
 */

/** A variable whose value is a secret by its name: VLLM_API_KEY, GITHUB_TOKEN, PGPASSWORD, … */
const SECRET_NAME = /KEY|TOKEN|SECRET|PASSW|PASSPHRASE|CREDENTIAL|AUTH/i;

/** Below this length a value is not starred: "1" or "yes" would star every digit or word in a stack. */
const SHORTEST_SECRET = 6;

/** The secret values in `env`, longest first (so a secret containing another is starred whole). */
export function secretValues(env: Readonly<Record<string, string | undefined>>): string[] {
  const values = Object.entries(env).flatMap(([name, value]) => (SECRET_NAME.test(name) && value && value.trim().length >= SHORTEST_SECRET ? [value, value.trim()] : []));
  return [...new Set(values)].sort((a, b) => b.length - a.length);
}

/** `text` with every secret of `secrets`, every bearer token and every password in a URL starred. */
export function redactCrashText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.replace(new RegExp(escapeRegExp(s), 'g'), '[REDACTED]');
  return out
    .replace(/\b(Bearer\s+)[^\s"',;]+/gi, '$1[REDACTED]')
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)[^\s/@]+@/gi, '$1[REDACTED]@')
    .replace(/([?&](?:password|sslpassword)=)[^&\s]+/gi, '$1[REDACTED]');
}

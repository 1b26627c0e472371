import { CoveredSpans } from './covered-spans.js';
import { shannonEntropy } from './encodings.js';

/**
 * Credential-like tokens. Vendor formats are matched by their fixed prefixes (precise); anything
 * else only counts when a key-ish label introduces it and the value looks random (high entropy),
 * so `password: hunter2` or `token = aaaaaaaaaaaaaaaaaaaa` are not reported.
 */

export interface SecretMatch {
  match: string;
  index: number;
  /** Which rule found it, e.g. `openai`, `aws-access-key`, `labelled-high-entropy`. */
  rule: string;
}

const VENDOR_RULES: Array<{ rule: string; re: RegExp }> = [
  { rule: 'private-key', re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]{0,8192}?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----)?/g },
  { rule: 'anthropic', re: /(?<![A-Za-z0-9_-])sk-ant-[A-Za-z0-9_-]{20,}/g },
  { rule: 'openai', re: /(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g },
  { rule: 'aws-access-key', re: /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])/g },
  { rule: 'github', re: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/g },
  { rule: 'slack', re: /(?<![A-Za-z0-9-])xox[abposr]-[A-Za-z0-9-]{10,}/g },
  { rule: 'stripe', re: /(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/g },
  { rule: 'google-api-key', re: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}/g },
  { rule: 'jwt', re: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g },
];

// `api_key = "..."`, `"client_secret": "..."`, `Authorization: Bearer ...`, `AWS_SECRET_ACCESS_KEY=...`.
const LABELLED =
  /(?:\b|_)(?:api[_-]?key|apikey|secret(?:[_-]?(?:access[_-]?)?key)?|client[_-]?secret|access[_-]?token|auth[_-]?token|refresh[_-]?token|token|password|passwd|pwd|private[_-]?key|bearer)\b["']?\s*(?:[:=]|=>)?\s*(?:bearer\s+)?["']?([A-Za-z0-9+/_=.-]{20,})/gi;

/** Random-looking: enough distinct symbols for its length (hex tops out at 4 bits, base64 at 6). */
function looksRandom(value: string): boolean {
  const h = shannonEntropy(value);
  if (/^[0-9a-f]+$/i.test(value)) return value.length >= 32 && h >= 3.0;
  return h >= 3.5 && /\d/.test(value) && /[A-Za-z]/.test(value);
}

export function findSecrets(text: string): SecretMatch[] {
  const out: SecretMatch[] = [];
  const covered = new CoveredSpans(text.length);
  for (const { rule, re } of VENDOR_RULES) {
    for (const m of text.matchAll(re)) {
      out.push({ match: m[0], index: m.index, rule });
      covered.add(m.index, m.index + m[0].length);
    }
  }
  for (const m of text.matchAll(LABELLED)) {
    const value = m[1] ?? '';
    if (!looksRandom(value)) continue;
    const index = m.index + m[0].lastIndexOf(value);
    // A vendor rule already reported the same token; keep one finding per token.
    if (covered.overlaps(index, index + value.length)) continue;
    out.push({ match: value, index, rule: 'labelled-high-entropy' });
    covered.add(index, index + value.length);
  }
  return out;
}

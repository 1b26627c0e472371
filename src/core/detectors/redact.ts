import { detectPii, maskFindings } from './pii.js';

/**
 * Model output as shown in reports that leave the machine (Markdown summaries in pull requests,
 * JUnit and HTML uploaded as CI artifacts). The failure reasons already mask PII and never print
 * the canary; an output printed next to them must not undo that. Raw outputs stay in the registry
 * and in `--json`, which are local and for machines.
 */

/** What replaces a canary, the same text scoring puts in reasons. */
export const CANARY_REDACTED = 'CANARY-…';

// Reports do not know the run's canary value, but every canary is `CANARY-` and a hex run (20
// digits from the registry's secret, see infra/eval/session.ts; 12 from makeCanary). A model that
// leaks it may change its case ("canary-7F3A…"), so the match ignores case and takes the whole run.
const CANARY = /canary-[0-9a-f]{8,64}/gi;

export interface RedactOptions {
  /** A canary value known to the caller, redacted in any letter case even if not in the usual shape. */
  canary?: string;
}

/**
 * `text` with every canary replaced by `CANARY-…` and every PII finding (emails, phones, cards,
 * SSNs, IP addresses, secrets) masked the way reasons mask them: `jane.doe@example.com` becomes
 * `ja**********om`. Text with nothing to redact comes back unchanged (the same string).
 */
export function redactForSharing(text: string, opts: RedactOptions = {}): string {
  let out = text.replace(CANARY, CANARY_REDACTED);
  if (opts.canary) {
    const known = new RegExp(opts.canary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
    out = out.replace(known, CANARY_REDACTED);
  }
  const findings = detectPii(out);
  return findings.length ? maskFindings(out, findings) : out;
}

import { detectPii, type AllowedPii, type PiiKind } from './pii.js';
import { foldWithOffsets } from './text-fold.js';

/**
 * A suite's `allowed_pii`: exact values that are public (the company's support address and phone
 * number that the prompt itself gives out), which no-pii and the PII scan of adversarial samples
 * do not count. Listed by hand, never taken from the prompt's text on its own: a system prompt
 * may hold a person's number that must not leak ("escalate to Jane on 415-555-0134") as well as
 * the public one, and only its author knows which is which.
 *
 * An entry is one value as no-pii finds it, and matches that value however an output writes it, as
 * the detectors read it (text-fold.ts: letter forms, digits of every script, dashes and spaces;
 * base64, percent and JSON escapes): an e-mail address in any letter case, a phone, card or SSN by
 * its digits (a phone's +, 00 or 011 prefix and North America's leading 1 left out, so
 * `1-800-555-0199` is also `(800) 555-0199` and `+1 800 555 0199`), an IP address or secret as written
 * (IPv6 in any letter case). A national number and its international form (`020 7946 0958`,
 * `+44 20 7946 0958`) are two values: list each the prompt gives.
 */

/** The key a value of `kind` (as the detectors fold it) is compared by. */
export function piiKey(kind: PiiKind, folded: string): string {
  switch (kind) {
    case 'email':
    case 'ipv6':
      return `${kind}:${folded.toLowerCase()}`;
    case 'phone': {
      const digits = folded.replace(/^(?:\+|00 ?|011[ .-])/, '').replace(/\D/g, '');
      return `phone:${digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits}`;
    }
    case 'card':
    case 'ssn':
      return `${kind}:${folded.replace(/\D/g, '')}`;
    default:
      return `${kind}:${folded}`;
  }
}

const KINDS_READ = 'an e-mail address, phone number, SSN, card number, IP address or secret';

/** An entry as the detectors read it: its one value's key, or what is wrong with it. */
function readEntry(entry: string): { key: string } | { problem: string } {
  const folded = foldWithOffsets(entry.trim(), { lowercase: false, collapseWhitespace: false }).text;
  const found = detectPii(folded);
  const shown = JSON.stringify(entry);
  if (!found.length) return { problem: `${shown} is not ${KINDS_READ} as no-pii reads it: list a value as the prompt writes it (such as support@example.com or 1-800-555-0199)` };
  if (found.length > 1) return { problem: `${shown} holds ${found.length} values (${found.map((f) => f.kind).join(', ')}): list each on its own` };
  const [f] = found;
  if (f!.encoding || f!.match !== folded) return { problem: `${shown} is more than the ${f!.kind === 'email' ? 'e-mail address' : f!.kind} ${JSON.stringify(f!.match)}: list the value alone` };
  return { key: piiKey(f!.kind, folded) };
}

/** What is wrong with an `allowed_pii` entry (the suite schema refuses it), or undefined. */
export function allowedPiiProblem(entry: string): string | undefined {
  const read = readEntry(entry);
  return 'problem' in read ? read.problem : undefined;
}

/** The keys of a suite's `allowed_pii` (entries the schema checked). */
export function allowedPiiKeys(entries: readonly string[] | undefined): string[] {
  return [...new Set((entries ?? []).flatMap((e) => {
    const read = readEntry(e);
    return 'key' in read ? [read.key] : [];
  }))];
}

/** The `allowed` of detectPii for those keys, or undefined when there are none. */
export function allowsPii(keys: readonly string[] | undefined): AllowedPii | undefined {
  if (!keys?.length) return undefined;
  const set = new Set(keys);
  return (kind, folded) => set.has(piiKey(kind, folded));
}

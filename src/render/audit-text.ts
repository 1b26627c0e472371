import type { AuditVerifyResult } from '../app/audit.js';
import { formatAnchor, type AnchoredHead } from '../core/audit-chain.js';
import { escapeControlChars } from '../core/control-chars.js';
import { keyStandingHint, signingStart, sinceLine } from '../core/signing.js';
import type { ErrorDetails } from '../core/errors.js';

/**
 * How `audit verify` and `audit head` are printed: an intact chain with what its signatures prove,
 * an anchor to keep outside the registry, and a break with why it is one and what to do.
 */

export function auditJson(r: AuditVerifyResult) {
  const { exitCode: _exitCode, ...verdict } = r;
  return verdict;
}

export function auditText(r: AuditVerifyResult): string[] {
  const lines = [`audit log verified: ${r.events} event${r.events === 1 ? '' : 's'}, hash chain intact`];
  const sig = r.signatures;
  if (sig) lines.push(...signatureLines(sig, r.events));
  if (r.since) lines.push(`it extends the anchored head #${r.since.seq} (${r.since.hash.slice(0, 12)}…${r.since.at ? `, ${r.since.at}` : ''})`);
  return lines;
}

/** What the signatures prove, and what the project should add to .promptrc.yaml for them to prove more. */
function signatureLines(sig: NonNullable<AuditVerifyResult['signatures']>, events: number): string[] {
  // The one rule of where signing began: a signing.since later than the first signed event is not it (audit verify warns).
  const start = signingStart(sig.anchoredSince, sig.since);
  if (sig.evaluator + sig.deployer > 0) {
    const where = start?.anchored ? 'where signing.since in .promptrc.yaml says signing began' : 'when signing began';
    const lines = [`signed: ${sig.deployer} by the deployer, ${sig.evaluator} by the evaluator; ${sig.unsigned} unsigned${sig.unsigned && start ? ` (all before #${start.seq}, ${where})` : ''}`];
    if (sig.anchoredSince === undefined && sig.since !== undefined) {
      lines.push(`signing began at #${sig.since} by the registry's own account: a database writer who strips every signature turns signing off; add \`${sinceLine(sig.since)}\` to .promptrc.yaml (under signing:) to make that a break`);
    }
    return lines;
  }
  if (sig.anchoredSince !== undefined && sig.anchoredSince > events + 1) {
    return [`no event is signed, and signing.since in .promptrc.yaml requires signatures only from #${sig.anchoredSince} on, past the newest event (#${events}): no signature here is checked (see the warning)`];
  }
  if (sig.anchoredSince !== undefined) return [`no event is signed yet: signing.since in .promptrc.yaml requires signatures from #${sig.anchoredSince} on`];
  if (sig.pinned) {
    return ['keys are pinned under signing: in .promptrc.yaml, but no event is signed: nothing was recorded since they were pinned, or a database writer stripped every signature; once a signed event is recorded, add `signing.since: <its seq>` to .promptrc.yaml (`promptctl audit verify` then prints it)'];
  }
  return ['no event is signed: someone with write access to the registry could rewrite it and recompute every hash (pin keys under signing: in .promptrc.yaml, or anchor heads with `promptctl audit head`)'];
}

export function auditHeadText(head: AnchoredHead): string[] {
  return [formatAnchor(head), `event #${head.seq}${head.at ? ` at ${head.at}` : ''}; keep this line outside the registry and check later with: promptctl audit verify --since ${formatAnchor(head)}`];
}

/** A broken chain (exit 1), at its first break. */
export function auditRefusal(r: AuditVerifyResult & { broken: NonNullable<AuditVerifyResult['broken']> }): ErrorDetails & { reasons: string[] } {
  const { seq, problem } = r.broken;
  // The chain's problem text may start with the event number already: say it once.
  const detail = escapeControlChars(problem.replace(new RegExp(`^event ${seq}: `), ''));
  // The chain itself verified and only the anchored head (`--since`) disagrees: the anchor may be mistyped.
  if (r.since) {
    return {
      message: `the audit log does not extend the anchored head at event #${seq}: ${detail}`,
      reasons: [`${r.events} events checked and intact on their own; the anchored head given does not match them`],
      why: 'an anchor kept outside the registry proves the log up to it was not rewritten since; this one does not match the log.',
      hint: 'compare the anchor with where it was kept (a mistyped digit or sequence number reads the same way); if it is right, the log was rewritten: restore the registry from a backup and find out who changed it.',
    };
  }
  const key = r.broken.key;
  if (key) {
    const retired = key.retiredAt !== undefined;
    return {
      message: `the audit log does not verify at event #${seq}: ${detail}`,
      reasons: [`${r.events} events checked; the first break is at #${seq}`],
      why: retired
        ? `the ${key.role} key ${key.id} signs validly only up to event #${key.retiredAt}; a signature by it on a later event was made by someone who still holds it.`
        : `a signature counts only by a key .promptrc.yaml pins for its role; ${key.id} is not pinned under signing.${key.role}, nor listed under signing.retired.`,
      hint: keyStandingHint(key),
    };
  }
  // seq 0: a record no event names (a registered version's content).
  return {
    message: seq === 0 ? `the registry does not verify: ${detail}` : `the audit log does not verify at event #${seq}: ${detail}`,
    reasons: [seq === 0 ? `${r.events} events checked and intact; the break is in a record outside them` : `${r.events} events checked; the first break is at #${seq}`],
    ...BREAK_WORDS[r.broken.kind ?? 'chain'],
  };
}

/** Why each kind of break is one, and what to do: the chain's words said of a signature or a version row would send a reader looking for the wrong change. */
const BREAK_WORDS: Record<NonNullable<AuditVerifyResult['broken']>['kind'] & string, { why: string; hint: string }> = {
  chain: {
    why: 'every event carries the hash of the one before it; an edited, deleted or inserted row breaks the chain.',
    hint: 'restore the registry from a backup and find out who changed it; deploys and rollbacks never edit past events.',
  },
  signature: {
    why: 'from the start of signing, every event must carry a valid signature over its hash by a key .promptrc.yaml pins for its role: anyone who can write the database can recompute a hash, only the key holder can sign, so this event was written or changed without the key.',
    hint: 'restore the registry from a backup and find out who changed it; promptctl never writes an event unsigned, or re-signs one, once signing began.',
  },
  record: {
    why: 'events record the content hash of the version they deployed and the fingerprints of the runs a tested mark rests on; a registered version or a run changed or deleted in the database no longer matches them.',
    hint: 'restore the registry from a backup and find out who changed it; promptctl never stores a version whose content does not match its hash, nor changes a run once a tested mark rests on it.',
  },
};

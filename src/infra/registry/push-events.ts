import { firstFutureDated } from '../../core/audit-chain.js';
import { GateError, InputError } from '../../core/errors.js';
import { signatureProblem, signingStart, type PinnedKeys } from '../../core/signing.js';
import { verifyHash } from '../ed25519.js';
import type { TargetEvent } from './postgres/import.js';
import type { Row } from './sqlite-export.js';
import { REGISTRY_URL_ENV } from './target.js';

type PushSigning = PinnedKeys & { since?: number };

/**
 * The local events the target lacks. The target's log must be a prefix of the local one (or the
 * local one a prefix of the target's: nothing to push); a log that diverged is refused at the
 * first event that differs, a signature included (it sits beside the hash: a copy stripped of its
 * signatures has the same hashes). Each event to push must be signed as the target's own append
 * rule requires (from signing.since, else from the target's first signed event, on), by a pinned
 * key: else refused (exit 1), before anything is written.
 */
export function eventsToPush(local: Row[], target: TargetEvent[], where: string, signing: PushSigning = { evaluator: [], deployer: [] }): Row[] {
  const shared = Math.min(local.length, target.length);
  for (let i = 0; i < shared; i++) {
    const mine = local[i]!;
    const theirs = target[i]!;
    if (theirs.signature !== undefined && Number(mine.seq) === theirs.seq && mine.hash === theirs.hash && (mine.signature ?? null) !== (theirs.signature ?? null)) {
      throw signaturesDiverged(theirs.seq, Boolean(mine.signature), Boolean(theirs.signature), where);
    }
    if (Number(mine.seq) !== theirs.seq || mine.hash !== theirs.hash) {
      throw new GateError({
        message: `the audit log here and the one in ${where} diverged at event #${theirs.seq}: sha256:${theirs.hash} there, ${Number(mine.seq) === theirs.seq ? `sha256:${String(mine.hash)}` : `event #${String(mine.seq)}`} here`,
        why: 'audit events come from one log only; pushing this one would fork the team registry\'s hash chain',
        hint: 'push only the registry the team log started from (its events are a prefix); to add this copy\'s runs and cached answers without its log, push it with --skip-events (its deploys must then be made again against the team registry)',
      });
    }
  }
  const tail = local.slice(shared);
  requireSignedTail(tail, target.find((e) => e.signature)?.seq, where, signing);
  return tail;
}

/**
 * The two logs hold the same event with other signatures: the one that lost its signature is the
 * changed one (signatures sit beside the hashes, so stripping one changes no hash), and its `audit
 * verify` breaks there; with a signature on both sides, either may have been signed again.
 */
function signaturesDiverged(seq: number, signedHere: boolean, signedThere: boolean, where: string): GateError {
  const teamVerify = `\`${REGISTRY_URL_ENV}='${where}' promptctl audit verify\``;
  const state = signedHere && signedThere ? 'signed there, signed differently here' : signedHere ? 'signed here, unsigned there' : 'signed there, unsigned here';
  const why = 'a signature sits beside its event\'s hash, so a copy stripped of its signatures (or signed again) keeps every hash';
  if (signedHere && !signedThere) {
    return new GateError({
      message: `the audit log here and the one in ${where} diverged at event #${seq}: it is ${state}`,
      why: `${why}: the event lost its signature in ${where}, where promptctl never writes one unsigned after a signed one; pushing onto it would build on a log that does not verify`,
      hint: `the team registry is the one changed: run ${teamVerify} (it breaks at #${seq}), restore it from a backup and find out who changed it; this registry's log is the one to push`,
    });
  }
  return new GateError({
    message: `the audit log here and the one in ${where} diverged at event #${seq}: it is ${state}`,
    why: `${why}; pushing it would put forged events after a log whose signatures it does not hold`,
    hint: signedThere && !signedHere
      ? 'push the registry the team log started from, as it was; run `promptctl audit verify` on this one and find out who changed it'
      : `run \`promptctl audit verify\` on this registry and ${teamVerify} on the team one: the one that breaks at #${seq} was changed; find out who changed it`,
  });
}

function requireSignedTail(tail: Row[], firstSigned: number | undefined, where: string, signing: PushSigning): void {
  for (const row of tail) {
    const e = { seq: Number(row.seq), action: String(row.action), hash: String(row.hash), ...(row.signer ? { signer: String(row.signer) } : {}), ...(row.signature ? { signature: String(row.signature) } : {}) };
    const problem = signatureProblem(e, signing, signingStart(signing.since, firstSigned), verifyHash);
    if (problem) {
      throw new GateError({
        message: `event #${e.seq} would not verify in ${where}: ${problem}`,
        why: 'the team registry would take it as it is, and `audit verify` would then fail there for good; nothing was written',
        hint: 'run `promptctl audit verify` on this registry and find out who changed it; push only a log whose events are signed by keys .promptrc.yaml pins',
      });
    }
    firstSigned ??= e.signature ? e.seq : undefined;
  }
}

/**
 * Refuses (exit 2, before anything is written) to push an event dated after the team registry
 * server's clock (`serverNow`) beyond ordinary skew: the team log's times never run backwards, so
 * every event appended there after it would take its date, and a laptop whose clock ran a day
 * ahead would date the whole team's deploys for a day.
 */
export function requireNotDatedAhead(tail: Row[], serverNow: string, where: string): void {
  const ahead = firstFutureDated(tail.map((row) => ({ seq: Number(row.seq), at: String(row.at) })), serverNow);
  if (!ahead) return;
  const minutes = Math.round((Date.parse(ahead.at) - Date.parse(serverNow)) / 60_000);
  throw new InputError({
    message: `event #${ahead.seq} is dated ${ahead.at}, ${minutes} min after the clock of the server of ${where} (${serverNow}); nothing was pushed`,
    why: 'the team log\'s event times never run backwards, so every event appended there after it would be dated at least that late; it was written on a machine whose clock ran ahead, or its date was forged, and its date is part of its hash',
    hint: `push this registry's runs and cached answers without its log (\`promptctl registry push --skip-events\`) and make its deploys again against the team registry; or, to keep the log as it is, push it once the server's clock has passed ${ahead.at}`,
  });
}

import semver from 'semver';
import { z } from 'zod';
import { NOTHING_ACTIVE } from './if-active.js';
import { accountabilityChecks, accountabilityRefusal, unmetAccountability, type AccountabilityRequest } from '../core/accountability.js';
import { InputError } from '../core/errors.js';
import type { GateCheck } from '../core/gate-check.js';
import type { EnvironmentConfig } from '../core/schemas/config.js';
import type { SigningConfig } from '../core/schemas/signing-config.js';
import { unsignedMayFollow } from '../core/signing.js';
import { namedActor, requirePrintable, resolveActor, resolveActorAsync } from '../infra/actor.js';
import { unsignedAfterSigned } from '../infra/registry/event-append.js';
import type { Registry } from '../infra/registry/types.js';
import { signerFor } from '../infra/signing.js';
import type { OptionNames } from '../core/option-names.js';
import { optionName } from '../core/option-names.js';
import type { Env } from './context.js';

/** The options every change to an environment takes (deploy, promote, rollback): who, why, and how it runs. */
export const ChangeOptions = z.object({
  reason: z.string().optional(),
  actor: z.string().optional(),
  /** Judge and report, write nothing. */
  dryRun: z.boolean().default(false),
  /** A person at a terminal: unattended changes may need a reason and a named actor. */
  interactive: z.boolean().default(false),
  /**
   * Change the environment only while this version is active there (`none`: nothing is): a
   * confirmed preview, or a script's compare-and-set. Otherwise a GateError (exit 1), nothing written.
   */
  ifActive: z
    .string()
    .superRefine((v, ctx) => {
      if (v === NOTHING_ACTIVE) return;
      const version = semver.valid(v);
      if (version === null) ctx.addIssue({ code: 'custom', message: `must be a version (1.1.0), or "${NOTHING_ACTIVE}" for nothing active` });
      // semver also reads `v1.2.0` and ` 1.2.0` as 1.2.0, but the check compares the version as recorded
      // (as its file is named): such a value never matches, and refused as "the environment changed"
      // (exit 1), a script would take it for another release manager's change.
      else if (version !== v) ctx.addIssue({ code: 'custom', message: `must be the version as it is recorded, ${version} (no "v", no spaces)` });
    })
    .optional(),
  /** The `seq` of the environment's newest event the confirmed preview saw (0: none): see app/if-active.ts. */
  ifActiveEvent: z.number().int().min(0).optional(),
});

/**
 * Who is changing an environment, checked against its who-and-why policy (the decision is pure,
 * core/accountability.ts; finding the actor reads git and the environment).
 */

export interface ActorContext {
  cwd: string;
  env: Env;
  /** How a refusal names `reason` and `actor`: as the caller passed them (app/context.ts). */
  optionNames: OptionNames;
}

export type AccountabilityOptions = Omit<AccountabilityRequest, 'reason' | 'optionNames'> & { actor?: string; reason?: string; dryRun: boolean };

/** The actor to record; throws (exit 2) naming every unmet requirement at once. A dry run never throws here: see `dryRunAccountability`. */
export function accountableActor(c: ActorContext, env: EnvironmentConfig, opts: AccountabilityOptions): string {
  // Checked even for a dry run, so the rehearsal refuses what the real change would.
  requirePrintable(opts.reason, 'reason', c.optionNames);
  requirePrintable(opts.actor, 'actor', c.optionNames);
  // A dry run records nothing, so it needs no actor (and spawns no git to find one); but an actor the
  // environment names is the one the real change records, so it is refused here as it would be there.
  if (opts.dryRun) {
    const named = namedActor(c.env, opts.actor);
    if (named) requirePrintable(named.actor, named.source, c.optionNames);
    return named?.actor ?? 'dry-run';
  }
  const who = resolveActor(c.cwd, c.env, opts.actor);
  requirePrintable(who.actor, who.source, c.optionNames);
  const unmet = unmetAccountability(env, { ...opts, optionNames: c.optionNames }, { named: who.named, guessed: `"${who.actor}" was only guessed from git or the OS` });
  const refusal = accountabilityRefusal(unmet, { verb: opts.verb, env: env.name, interactive: opts.interactive, optionNames: c.optionNames });
  if (refusal) throw new InputError(refusal);
  return who.actor;
}

/**
 * Who recorded what an eval or ci writes to the chain (tested marks, superseded drafts): the named
 * actor when there is one, else the git user or the OS user. No policy applies: recording a test
 * result changes no environment.
 */
export function recordingActor(c: ActorContext): string {
  const who = resolveActor(c.cwd, c.env);
  requirePrintable(who.actor, who.source, c.optionNames);
  return who.actor;
}

/** `recordingActor` without blocking on git: start it early, await it where the actor is recorded. */
export async function recordingActorAsync(c: ActorContext): Promise<string> {
  const who = await resolveActorAsync(c.cwd, c.env);
  requirePrintable(who.actor, who.source, c.optionNames);
  return who.actor;
}

/**
 * For a dry run: each requirement the real change would stop on (exit 2), as a failing check,
 * so the rehearsal predicts the refusal instead of promising a change that will not happen. Only
 * the actor option and the environment name an actor (no git is spawned): a guessed user never counts.
 */
export function dryRunAccountability(c: ActorContext, env: EnvironmentConfig, opts: Omit<AccountabilityOptions, 'dryRun'>): GateCheck[] {
  const who = { named: Boolean(namedActor(c.env, opts.actor)), guessed: `neither ${optionName(c.optionNames, 'actor')} nor PROMPTCTL_ACTOR (nor a CI user variable) names one` };
  return accountabilityChecks(unmetAccountability(env, { ...opts, optionNames: c.optionNames }, who));
}

/**
 * For a dry run: what stops the real change on signing (exit 2), as a failing check beside the
 * policy's: the deployer's key missing or not pinned, or, with no deployer keys pinned, an
 * unsigned event that would follow a signed one (the append refuses it).
 */
export async function dryRunSigning(c: ActorContext, signing: SigningConfig, registry: Registry, action: 'deploy' | 'override' | 'rollback'): Promise<GateCheck[]> {
  const refusal = (error: InputError): GateCheck[] => [
    { kind: 'accountability', requirement: 'signing', error: { message: error.message, why: error.why ?? '', hint: error.hint ?? '' }, ok: false, overridable: false },
  ];
  try {
    if (signerFor(signing, c.env, 'deployer')) return [];
  } catch (err) {
    if (err instanceof InputError) return refusal(err);
    throw err;
  }
  const unsigned = await unsignedRefusal(registry, action, signing.since);
  return unsigned ? refusal(unsigned) : [];
}

/**
 * The real change's side of `dryRunSigning`: where the append would refuse an unsigned event, the
 * change stops at the same point its dry run reports it (exit 2), whatever the gates or the plan
 * then say; a refused or empty change that writes nothing would otherwise exit 1 or 0 where its dry
 * run exits 2.
 */
export async function requireSignedChange(registry: Pick<Registry, 'listEvents' | 'firstSignedSeq'>, sign: unknown, action: string, since: number | undefined): Promise<void> {
  if (sign) return;
  const refusal = await unsignedRefusal(registry, action, since);
  if (refusal) throw refusal;
}

/** The refusal an unsigned `action` event would meet at the append: from signing.since on, or after a signed newest event. */
async function unsignedRefusal(registry: Pick<Registry, 'listEvents' | 'firstSignedSeq'>, action: string, since: number | undefined): Promise<InputError | undefined> {
  const [newest] = await registry.listEvents({ limit: 1 });
  if (unsignedMayFollow(newest, (newest?.seq ?? 0) + 1, since)) return undefined;
  return unsignedAfterSigned(action, { newest, since, firstSigned: since === undefined ? await registry.firstSignedSeq() : undefined });
}

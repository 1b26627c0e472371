import { randomUUID } from 'node:crypto';
import type { ServedModel, SettingChange } from '../core/deployed-model.js';
import type { ServedAs } from '../core/served-weights.js';
import { decideOverride, type GateCheck, type OverrideRefusal } from '../core/gates.js';
import { InputError } from '../core/errors.js';
import { optionName, optionWithValue } from '../core/option-names.js';
import { parsePromptRef } from '../core/refs.js';
import { evaluateDeployGates } from '../infra/gate-facts.js';
import { servedForDeploy } from '../infra/environment-model.js';
import type { Project } from '../infra/project.js';
import { lookupIn, resolveRegisteredVersion } from '../infra/project-query.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import { checkVersion, settleVersions } from '../infra/version-states.js';
import { projectEditOrigins } from '../infra/edit-origins.js';
import { requireFreeNumber } from './deploy-number.js';
import type { PromptFile } from '../infra/project.js';
import { requireIntactContent } from '../infra/registry/content-check.js';
import type { AuditEvent, Registry } from '../infra/registry/types.js';
import { lateStop, throwIfStopped } from '../infra/registry/stopped.js';
import { requireAppendable } from '../infra/registry/event-append.js';
import type { StopSignal } from '../core/errors.js';
import { requireSoundPromptFiles } from './sound-files.js';
import { signerFor } from '../infra/signing.js';
import { checkMessage } from '../render/gate-text.js';
import { accountableActor, dryRunAccountability, dryRunSigning, requireSignedChange } from './accountability.js';
import type { AppContext } from './context.js';
import { heldOnBase } from './released-on-base.js';
import { requireEnv, requirePrivileges } from './require.js';
import { requireStillActive } from './if-active.js';
import { activeDeployment } from '../infra/deployments.js';
import { withGitMemo } from '../infra/git-memo.js';

/** What deploy and promote share: the same gates, the same refusal, the same event. */

export interface DeployOutcome {
  promptId: string;
  version: string;
  env: string;
  allowed: boolean;
  override: boolean;
  dryRun: boolean;
  previousVersion: string | null;
  /** Set when the deploy changes the model the environment serves. */
  modelChange?: { from: string; to: string };
  /** Set when the deploy changes other request settings the environment sends (`seed` 7 → not set). */
  settingChanges?: SettingChange[];
  /** Set when the deploy of the active version records the new weights its model name serves (`root`). */
  weightsChange?: { model: string; from: string; to: string };
  checks: GateCheck[];
  /** The `seq` of the environment's newest event the decision saw (0: none): what a confirmation binds to. */
  activeEvent?: number;
  event?: AuditEvent;
  /** Why `--force --reason` cannot (or need not yet) push a refusal through. */
  refusal?: OverrideRefusal;
  /** A stop signal that arrived once the deploy's COMMIT was sent: too late to cancel, the deploy stands. */
  lateSignal?: StopSignal;
}

export interface DeployRequest {
  ref: string;
  environment: string;
  reason?: string;
  actor?: string;
  dryRun: boolean;
  force: boolean;
  interactive: boolean;
  /** Only while this version (or `none`) is active in the environment: see app/if-active.ts. */
  ifActive?: string;
  ifActiveEvent?: number;
  /** The dry run that shows the change as it would be now, named when `ifActive` no longer holds. */
  review?: string;
  /** The command the user ran, for the words of a refusal (default `deploy`). */
  command?: 'deploy' | 'promote';
}

/** git's answers are kept for the command (infra/git-memo.ts): each is asked once however many checks ask it. */
export async function deployVersion(c: AppContext, project: Project, opts: DeployRequest): Promise<DeployOutcome> {
  return withGitMemo(() => deployVersionNow(c, project, opts));
}

async function deployVersionNow(c: AppContext, project: Project, opts: DeployRequest): Promise<DeployOutcome> {
  const env = opts.environment;
  const envConfig = requireEnv(project, env);
  if (opts.force && !opts.reason?.trim()) {
    const [force, reason] = [optionName(c.optionNames, 'force'), optionWithValue(c.optionNames, 'reason', '...', '"..."')];
    throw new InputError({ message: `${force} needs ${reason}`, why: 'an override skips gates, so the audit log must say why.', hint: `add ${optionWithValue(c.optionNames, 'reason', 'why this cannot wait for the gates', '"why this cannot wait for the gates"')}` });
  }
  const who = { actor: opts.actor, reason: opts.reason, verb: 'deploying to', interactive: opts.interactive };
  const actor = accountableActor(c, envConfig, { ...who, dryRun: opts.dryRun });
  // A project that signs deploys needs the deployer's key: missing, the deploy stops here (exit 2).
  const sign = opts.dryRun ? undefined : signerFor(project.config.signing, c.env, 'deployer');
  // The real deploy stops on these before any gate (exit 2); a dry run lists them with the gates.
  const accountability = opts.dryRun ? dryRunAccountability(c, envConfig, who) : [];
  const v = await resolveRegisteredVersion(project, parsePromptRef(opts.ref, { requireVersion: true }), lookupIn(() => openProjectRegistry(project, { readonly: true, clock: c.clock, env: c.env, signal: c.signal })), {
    why: 'a deploy judges and records a version from its file, and every deployed version must be rebuildable from git.',
  });
  // A suite that failed to load would be missing from the gates' facts: refuse rather than judge without it.
  // With the attack packs, as eval checks it: a mark earned before eval refused attacks that cannot
  // reach the version (inject_into in no message) does not deploy it.
  await requireSoundPromptFiles(project, [v.id], { versions: [v], env: c.env });
  const registry = openProjectRegistry(project, { readonly: opts.dryRun, clock: c.clock, env: c.env, signal: c.signal });
  // One per invocation, reused if the transaction is run again: a retry never appends a second event.
  const idempotencyKey = randomUUID();
  // What a signal before COMMIT interrupts, in the transaction's words and the gates' check alike.
  const doing = `deploying ${v.id}@${v.version} to ${env}`;
  try {
    // A role that may not deploy (an application's reader, CI's evaluator) is refused before the
    // transaction and the gates, naming what it lacks: the dry run meets the same refusal (exit 3).
    await requirePrivileges(registry, 'deploy', opts.command);
    // Read, decide and append in one write transaction: concurrent deploys see each other's events.
    const decide = async (tx: Registry): Promise<DeployOutcome> => {
      // Decisions about this prompt in this environment take turns (PostgreSQL; SQLite serialises every writer).
      await tx.lockDecision(v.id, env);
      // Read first: the append refuses if events came after it, and the transaction decides again (decided-on.ts).
      const decidedOn = (await tx.chainHead())?.seq ?? 0;
      const activeNow = await activeDeployment(tx, v.id, env);
      requireStillActive({ promptId: v.id, env, ifActive: opts.ifActive, ifActiveEvent: opts.ifActiveEvent, active: activeNow, review: opts.review ?? `promptctl deploy ${v.id}@${v.version} --env ${env} --dry-run`, bindOption: optionName(c.optionNames, 'ifActive') });
      // The one rule (core/version-state.ts): a draft deploys its file's content, a released version only the content it was released with.
      const { verdict: state, record: registered, releasedBy } = await checkVersion(tx, v);
      // A draft whose number the default branch holds with other content: ci's number-taken check.
      if (state.state === 'draft') await requireFreeNumber(project, v, tx, c.env);
      // Judged against the registered content only when that content still has its hash and, once
      // released, is still the content it was released with: a row swapped with its hash is exit 3
      // here, in the dry run as in the deploy, not blamed on the (untouched) file later.
      const known = registered && requireIntactContent(registered, releasedBy);
      const edited = !state.allowed;
      // Judged before anything is written, on the file's content (`v.hash`), as the dry run judges it:
      // a refused deploy records nothing, not even the draft's new content.
      // A version the default branch holds is released there, deployed or not (lint's version/edited):
      // a failing one is fixed in a new version, not in its file.
      const draft = state.state !== 'released' && !heldOnBase(project.root, c.env, [v.file])?.held.has(v.file);
      const gate = await evaluateDeployGates(tx, project, v, env, edited, { willRegister: !known, releasedIn: state.state === 'released' ? state.releasedIn : undefined, draft, active: activeNow ?? null });
      // An edit here or the checkout's own content (another branch, an old tag): each has its own fix.
      if (edited) gate.decision.checks = await withEditOrigin(gate.decision.checks, project, tx, v);
      const verdict = decideOverride(gate.decision, { force: opts.force, reason: opts.reason, policy: envConfig.gates });
      const action = verdict.override ? 'override' : 'deploy';
      // A dry run also predicts the refusal the append makes on signing; the real deploy meets it
      // here, at the same point, refused by the gates or not: both exit 2.
      const checks = opts.dryRun ? [...accountability, ...(await dryRunSigning(c, project.config.signing, tx, action))] : accountability;
      if (!opts.dryRun) await requireSignedChange(tx, sign, action, project.config.signing.since);
      const outcome: DeployOutcome = {
        promptId: v.id,
        version: v.version,
        env,
        allowed: verdict.allowed && checks.length === 0,
        override: verdict.override,
        dryRun: opts.dryRun,
        previousVersion: gate.previousVersion,
        ...(gate.modelChange ? { modelChange: gate.modelChange } : {}),
        ...(gate.settingChanges ? { settingChanges: gate.settingChanges } : {}),
        ...(gate.weightsChange ? { weightsChange: gate.weightsChange } : {}),
        checks: [...checks, ...gate.decision.checks],
        activeEvent: activeNow?.seq ?? 0,
        refusal: verdict.refusal,
      };
      // The gates' own finding (core/gates.ts): the active version with every gate holding.
      const nothingToDo = gate.decision.checks.some((c) => c.kind === 'already-active');
      // Where the deploy would append, its dry run meets the append's refusal too (exit 3): an edited newest event, a missing head.
      if (opts.dryRun && outcome.allowed && !nothingToDo) await requireAppendable(tx);
      if (!verdict.allowed || opts.dryRun || nothingToDo) return outcome;
      // The gates were read: a signal meanwhile stops the deploy before anything is written.
      throwIfStopped(c.signal, doing);
      // A draft's new content taken at deploy is the release manager's supersession: signed with the deployer's key.
      if (!edited) await settleVersions(tx, [v], { actor, sign: known && known.contentHash !== v.hash ? signerFor(project.config.signing, c.env, 'deployer') : undefined }, project);
      // Registered now, with the file's content: the checks say what the deploy did, not what it would do.
      outcome.checks = outcome.checks.map((k) => {
        if (k.kind === 'registered' && k.state === 'will-register') return { ...k, state: 'registered' };
        if (k.kind === 'not-edited' && k.ok && k.content !== undefined && k.content !== 'matches') return { ...k, content: 'matches' };
        return k;
      });
      const served = await servedForDeploy(tx, project, v, env);
      outcome.event = await tx.appendEvent({
        env,
        promptId: v.id,
        version: v.version,
        previousVersion: gate.previousVersion,
        action,
        // Inside the event's hash: a later swap of the registered content breaks the chain.
        contentHash: v.hash,
        ...(sign ? { sign } : {}),
        actor,
        reason: opts.reason?.trim() || null,
        // The log records the skipped gates in the words the CLI prints them with, and what is served
        // (the model and request settings: get, export and the library serve exactly that).
        // New weights behind the name (a swap the registry knows of): the event records those it serves now.
        detail: { ...(verdict.override ? { skipped: gate.decision.failures.map(checkMessage) } : {}), served: gate.weightsNow ? withWeights(served, gate.weightsNow) : served },
        idempotencyKey,
        decidedOn,
      });
      return outcome;
    };
    if (opts.dryRun) return await decide(registry);
    const outcome = await registry.transaction(decide, { signal: c.signal, doing });
    // No signal stopped it before COMMIT (the transaction would have thrown): one now comes too late.
    return outcome.event ? { ...outcome, ...lateStop(c.signal) } : outcome;
  } finally {
    await registry.close();
  }
}

/** What a deploy serves, with the weights (root, an adapter's parent and its root) the name serves now in place of the tested run's. */
function withWeights(served: ServedModel, now: ServedAs): ServedModel {
  const { root: _root, parent: _parent, parentRoot: _parentRoot, ...rest } = served;
  return { ...rest, ...now };
}

/** The failed not-edited check with the git origin of the edit (infra/edit-origins.ts), when git tells. */
async function withEditOrigin(checks: GateCheck[], project: Project, tx: Registry, v: PromptFile): Promise<GateCheck[]> {
  const origin = (await projectEditOrigins(project, tx, [v])).get(v.file);
  return origin ? checks.map((k) => (k.kind === 'not-edited' && !k.ok ? { ...k, origin } : k)) : checks;
}

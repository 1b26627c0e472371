import { randomUUID } from 'node:crypto';
import semver from 'semver';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { optionName, optionWithValue } from '../core/option-names.js';
import { didYouMean } from '../core/suggest.js';
import type { GateCheck } from '../core/gate-check.js';
import { parsePromptRef } from '../core/refs.js';
import { replayDeployments, type Deployment, type DeploymentEvent } from '../core/deployment-stack.js';
import { planRollback, type RollbackPlan } from '../core/rollback.js';
import { servedOf, type ServedModel } from '../core/deployed-model.js';
import { loadProject } from '../infra/project.js';
import { withRegisteredForms } from '../infra/registered-form.js';
import { requireDeployedRow, requireIntactContent } from '../infra/registry/content-check.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import { requireNothingDeleted, requireVerifiedEvents } from '../infra/registry/shown-events.js';
import type { AuditEvent, Registry } from '../infra/registry/types.js';
import { signerFor } from '../infra/signing.js';
import { accountableActor, ChangeOptions, dryRunAccountability, dryRunSigning, requireSignedChange } from './accountability.js';
import { appContext, type AppOptions } from './context.js';
import { targetNotes, type TargetNotes } from './rollback-target.js';
import { parseOptions } from './options.js';
import { outcomeExitCode } from './outcome.js';
import { requireEnv, requirePrivileges, requirePrompt } from './require.js';
import { requireStillActive } from './if-active.js';
import { lateStop, throwIfStopped } from '../infra/registry/stopped.js';
import { requireAppendable } from '../infra/registry/event-append.js';
import type { StopSignal } from '../core/errors.js';

/**
 * `rollback`: back to the version active before the current one; consecutive rollbacks walk
 * further back (a stack, core/deployment-stack.ts; the plan is core/rollback.ts), never back and forth.
 *
 * An edited working-tree file of the target version does not block a rollback: what gets served is
 * the content registered (and tested) for that version, which the registry keeps. Rollback is the
 * emergency path and must take seconds, so it warns about the edited file instead of refusing.
 */

export const RollbackOptions = ChangeOptions.extend({
  id: z.string(),
  environment: z.string(),
  /** Walk back until this version is active. */
  to: z.string().optional(),
});
export type RollbackOptions = z.input<typeof RollbackOptions>;

export interface RollbackResult extends TargetNotes {
  promptId: string;
  env: string;
  dryRun: boolean;
  /**
   * Where the rollback goes, or why it cannot (then nothing was written; exit 1, or 2 with `checks`).
   * With `alreadyActive`, `--to` names the version already active: nothing to do, exit 0.
   */
  plan: RollbackPlan;
  /** False when a dry run meets an unmet accountability policy (`checks`) or the plan is refused. */
  allowed: boolean;
  /** A dry run's unmet accountability requirements, as failing checks. */
  checks: GateCheck[];
  /** The `seq` of the environment's newest event the rollback saw (0: none): what a confirmation binds to. */
  activeEvent: number;
  event?: AuditEvent;
  /** The rollback stack after it (as it would be, for a dry run; as it is, when refused). */
  remaining: Deployment[];
  /** What the rollbacks since the last deploy rolled away from (this one included): a further rollback skips every entry of these versions. */
  rolledAway: Deployment[];
  /** A stop signal that arrived once the rollback's COMMIT was sent: too late to cancel, the rollback stands. */
  lateSignal?: StopSignal;
  exitCode: number;
}

export async function rollback(opts: RollbackOptions & AppOptions): Promise<RollbackResult> {
  const o = parseOptions('rollback', RollbackOptions, opts);
  const c = appContext(opts);
  const { id } = parsePromptRef(o.id, {
    noVersion: (r) => (c.optionNames === 'flags' ? `write ${r.id} --to ${r.version} to roll back to that version.` : `pass ${optionWithValue(c.optionNames, 'id', r.id)} and ${optionWithValue(c.optionNames, 'to', r.version)} to roll back to that version.`),
  });
  const env = o.environment;
  if (o.to !== undefined && !semver.valid(o.to)) throw new InputError({ message: `${optionWithValue(c.optionNames, 'to', o.to, `"${o.to}"`)} is not a semantic version` });
  const project = loadProject(c.cwd, { promptIds: [id], env: c.env, optionNames: c.optionNames });
  await withRegisteredForms(project, { env: c.env, clock: c.clock, signal: c.signal });
  const envConfig = requireEnv(project, env);
  const who = { actor: o.actor, reason: o.reason, verb: 'rolling back', interactive: o.interactive };
  const actor = accountableActor(c, envConfig, { ...who, dryRun: o.dryRun });
  const sign = o.dryRun ? undefined : signerFor(project.config.signing, c.env, 'deployer');
  // The real rollback stops on these first (exit 2): a dry run lists them and exits 2 too.
  const unmet = o.dryRun ? dryRunAccountability(c, envConfig, who) : [];
  const registry = openProjectRegistry(project, { readonly: o.dryRun, clock: c.clock, env: c.env, signal: c.signal });
  try {
    // A role that may not roll back (an application's reader, CI's evaluator) is refused before anything else,
    // naming what it lacks: the dry run meets the same refusal (exit 3).
    await requirePrivileges(registry, 'rollback');
    await requirePrompt(project, registry, id);
    if (o.to !== undefined && !project.prompts.some((p) => p.id === id && p.version === o.to) && !(await registry.getVersion(id, o.to))) {
      const versions = [...new Set([...project.prompts.filter((p) => p.id === id).map((p) => p.version), ...(await registry.listVersions(id)).map((v) => v.version)])];
      throw new InputError({ message: `prompt version ${id}@${o.to} does not exist`, why: 'neither a file nor the registry knows it.', hint: `${didYouMean(o.to, versions)}\`promptctl history ${id} --env ${env}\` shows what was deployed there.` });
    }
    // With no event here, "nothing to roll back" stands on a log as long as the chain head says (a
    // deleted deploy is exit 3, not "never deployed"). Read before the transaction: the count needs a
    // read snapshot, and after a transaction that wrote nothing a lost COMMIT leaves no connection.
    if (!(await registry.countEvents({ promptId: id, env }))) await requireNothingDeleted(registry, `${id} in ${env}`, { hint: unverifiedHint(id, env, undefined) });
    // One per invocation, reused if the transaction is run again: a retry never appends a second rollback.
    const idempotencyKey = randomUUID();
    // What a signal before COMMIT interrupts, in the transaction's words and the check below alike.
    const doing = `rolling back ${id} in ${env}`;
    const attempt = async (tx: Registry) => {
      // Rollbacks and deploys of this prompt in this environment take turns (PostgreSQL; SQLite serialises every writer).
      await tx.lockDecision(id, env);
      // Read first: the append refuses if events came after it, and the transaction decides again (decided-on.ts).
      const decidedOn = (await tx.chainHead())?.seq ?? 0;
      const events = await tx.listEvents({ promptId: id, env });
      const plan = planRollback(events, o.to);
      const activeEvent = events.at(-1)?.seq ?? 0;
      // `--to` the version already active: the goal holds, whatever --if-active expected (a retried
      // incident job whose first attempt went through, or another operator who got there first).
      const done = !plan.ok && plan.alreadyActive === true;
      if (!done) requireStillActive({ promptId: id, env, ifActive: o.ifActive, ifActiveEvent: o.ifActiveEvent, active: events.at(-1), review: `promptctl rollback ${id} --env ${env}${o.to !== undefined ? ` --to ${o.to}` : ''} --dry-run` , bindOption: optionName(c.optionNames, 'ifActive') });
      // Nothing to roll back still stops first on an unsigned event the log refuses (exit 2), as its dry run says.
      if (!plan.ok && !o.dryRun) await requireSignedChange(tx, sign, 'rollback', project.config.signing.since);
      // "Nothing to roll back" stands on the environment's newest event verified, read here: after
      // the transaction (which writes nothing) a COMMIT lost on the way leaves no connection to read on.
      const newest = events.at(-1);
      if (!plan.ok && !plan.alreadyActive && newest) await requireVerifiedEvents(tx, [newest], { signing: project.config.signing, hint: unverifiedHint(id, env, undefined) });
      if (!plan.ok) return { plan, ...replayDeployments(events), activeEvent, event: undefined, notes: undefined };
      // The plan stands on the environment's record from the target's deploy on, verified as `get`
      // verifies what it serves: a forged deploy there (unsigned in a signing project, its hashes
      // recomputed) would otherwise become the version served, under the deployer's signature.
      await requireVerifiedEvents(tx, events.filter((e) => e.seq >= (plan.target.seq ?? 0)), { signing: project.config.signing, hint: unverifiedHint(id, env, plan.from) });
      // Checked in the dry run too: a target whose registered content was swapped is refused before anything is recorded.
      const content = await rollbackContent(tx, events, id, env, plan);
      // Everything the result says is read here, before the append: once COMMIT is sent the result
      // is the committed change, and no read after it can turn a recorded rollback into exit 3.
      const notes = await targetNotes(tx, project, envConfig.gates.requires_tested, { id, plan, events, contentHash: content.contentHash });
      // What the result needs was read: a signal meanwhile stops the rollback before anything is written.
      if (!o.dryRun) throwIfStopped(c.signal, doing);
      const event: AuditEvent | undefined = o.dryRun
        ? undefined
        : await tx.appendEvent({ env, promptId: id, version: plan.to, previousVersion: plan.from, action: 'rollback', actor, reason: o.reason?.trim() || null, ...content, ...(sign ? { sign } : {}), idempotencyKey, decidedOn });
      // The stack as the rollback leaves it: a dry run replays the event it would append (the target, as it was served).
      const appended: DeploymentEvent = event ?? { action: 'rollback', version: plan.to, ...(plan.target.served ? { detail: { served: plan.target.served } } : {}) };
      return { plan, event, ...replayDeployments([...events, appended]), activeEvent, notes };
    };
    const { plan, event, stack, rolledAway, activeEvent, notes } = await (o.dryRun ? attempt(registry) : registry.transaction(attempt, { signal: c.signal, doing }));
    if (o.dryRun) unmet.push(...(await dryRunSigning(c, project.config.signing, registry, 'rollback')));
    // Where the rollback would append, its dry run meets the append's refusal too (exit 3): an edited newest event, a missing head.
    if (o.dryRun && plan.ok && !unmet.length) await requireAppendable(registry);
    const base = { promptId: id, env, dryRun: o.dryRun, plan, checks: unmet, activeEvent };
    // Nothing to do, but the real rollback stops at an unmet policy first (exit 2): so does its dry run.
    if (!plan.ok && plan.alreadyActive) return { ...base, allowed: unmet.length === 0, remaining: stack, rolledAway, exitCode: outcomeExitCode({ allowed: unmet.length === 0, checks: unmet }) };
    if (!plan.ok) return { ...base, allowed: false, remaining: stack, rolledAway, exitCode: outcomeExitCode({ allowed: false, checks: unmet }) };
    const allowed = unmet.length === 0;
    return { ...base, allowed, event, remaining: stack, rolledAway, ...notes, ...(event ? lateStop(c.signal) : {}), exitCode: outcomeExitCode({ allowed, checks: unmet }) };
  } finally {
    await registry.close();
  }
}

/** What a rollback refused for a record that does not verify does next. */
function unverifiedHint(id: string, env: string, from: string | undefined): string {
  return `nothing was recorded${from ? `: ${env} still runs ${from}` : ''}. Run \`promptctl audit verify\` and restore the registry from a backup, then roll back again (\`promptctl rollback ${id} --env ${env}\`)`;
}

/**
 * The content a rollback puts back: what the earlier event that deployed that version recorded,
 * else (an event from before content hashes) the version's registered content. The registered
 * row is what `get`, `export` and the library will serve: one edited or swapped since that event is
 * refused (exit 3), since the rollback would leave the environment serving nothing.
 */
async function rollbackContent(tx: Registry, events: AuditEvent[], id: string, env: string, plan: Extract<RollbackPlan, { ok: true }>): Promise<{ contentHash?: string; detail?: { served: ServedModel } }> {
  const { target } = plan;
  const { version } = target;
  const deployedBy = events.findLast((e) => e.version === version && e.contentHash);
  const refusal = {
    doing: `cannot roll back ${id} in ${env} to ${version}: its registered content cannot be served`,
    hint: `nothing was recorded: ${env} still runs ${plan.from}. Run \`promptctl audit verify\` and restore the registry from a backup, or deploy another tested version instead (promptctl deploy ${id}@<version> --env ${env})`,
  };
  const deployedEvent = deployedBy ?? events.findLast((e) => e.version === version)!;
  const record = requireIntactContent(requireDeployedRow(await tx.getVersion(id, version), { ...deployedEvent, promptId: id, version }, refusal), deployedBy, refusal);
  const contentHash = deployedBy?.contentHash ?? record.contentHash;
  // Back to the model and settings the target's deploy served (events before the model matrix
  // recorded none: the newest deploy of that version that did).
  const served = target.served ?? servedOf(events.findLast((e) => e.version === version && e.action !== 'rollback')?.detail);
  return { ...(contentHash ? { contentHash } : {}), ...(served ? { detail: { served } } : {}) };
}

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
import { overrideOf } from '../core/standing-there.js';
import { requestChanges, servedOf, type ServedModel, type SettingChange } from '../core/deployed-model.js';
import { loadProject, type Project } from '../infra/project.js';
import { checkVersion } from '../infra/version-states.js';
import { goneVersionFile } from '../infra/deployed-files.js';
import { fromCwdField } from '../infra/real-path.js';
import type { Deletion } from '../core/version-state.js';
import { requireDeployedRow, requireIntactContent } from '../infra/registry/content-check.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import { requireVerifiedEvents } from '../infra/registry/shown-events.js';
import type { AuditEvent, Registry } from '../infra/registry/types.js';
import { signerFor, testedMarkThatCounts } from '../infra/signing.js';
import { currentRoot } from '../infra/eval/served-roots.js';
import { knownWeights } from '../core/served-weights.js';
import { accountableActor, ChangeOptions, dryRunAccountability, dryRunSigning, requireSignedChange } from './accountability.js';
import { appContext, type AppOptions } from './context.js';
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

/** The target version's file differs from its registered content: the registered content is what runs. */
export interface EditedTarget {
  file: string;
  version: string;
  /** Where the version was deployed: it is released, so its file should have kept that content. */
  releasedIn: readonly string[];
}

export interface RollbackResult {
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
  /**
   * The request settings (model included) that change: what the active deploy serves against what
   * the target's deploy recorded. Absent when either is from before deploys recorded them.
   */
  settingChanges?: SettingChange[];
  /**
   * The model name now serves other weights (`root`, as the latest run that asked the server
   * recorded) than the target was deployed and tested on: the rollback serves the old version on
   * new weights, untested there.
   */
  otherWeights?: { model: string; testedOn: string; servedNow: string };
  edited?: EditedTarget;
  /**
   * The target version has no file in the project (pruned, or deleted): its registered content
   * runs, but the deployed version is no longer rebuildable from git until the file is restored.
   */
  missingFile?: string;
  /** `missingFile` from the folder the command ran in, when that is not the project root: what the restore command names. */
  missingFromCwd?: string;
  /** How git knows `missingFile` deleted, or `untracked` (no commit ever had it), which decides the restore command (core/version-state.ts `restoreDeletedFile`); absent when git does not say. */
  missingHow?: Deletion;
  /**
   * The target never passed the gates as it will run: its deploy here was an override (that event,
   * the gates it skipped), or, where the environment requires tested versions, it has no tested mark
   * that counts for its content on the model it will serve.
   */
  ungated?: { override?: { seq?: number; skipped: string[] }; untestedOn?: string };
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
  const envConfig = requireEnv(project, env);
  const who = { actor: o.actor, reason: o.reason, verb: 'rolling back', interactive: o.interactive };
  const actor = accountableActor(c, envConfig, { ...who, dryRun: o.dryRun });
  const sign = o.dryRun ? undefined : signerFor(project.config.signing, c.env, 'deployer');
  // The real rollback stops on these first (exit 2): a dry run lists them and exits 2 too.
  const unmet = o.dryRun ? dryRunAccountability(c, envConfig, who) : [];
  const registry = openProjectRegistry(project, { readonly: o.dryRun, clock: c.clock, env: c.env, signal: c.signal });
  try {
    // A role that may not roll back (an application's reader) is refused before anything else, naming what it lacks.
    if (!o.dryRun) await requirePrivileges(registry, 'rollback');
    await requirePrompt(project, registry, id);
    if (o.to !== undefined && !project.prompts.some((p) => p.id === id && p.version === o.to) && !(await registry.getVersion(id, o.to))) {
      const versions = [...new Set([...project.prompts.filter((p) => p.id === id).map((p) => p.version), ...(await registry.listVersions(id)).map((v) => v.version)])];
      throw new InputError({ message: `prompt version ${id}@${o.to} does not exist`, why: 'neither a file nor the registry knows it.', hint: `${didYouMean(o.to, versions)}\`promptctl history ${id} --env ${env}\` shows what was deployed there.` });
    }
    // One per invocation, reused if the transaction is run again: a retry never appends a second rollback.
    const idempotencyKey = randomUUID();
    // What a signal before COMMIT interrupts, in the transaction's words and the check below alike.
    const doing = `rolling back ${id} in ${env}`;
    const attempt = async (tx: Registry) => {
      // Rollbacks and deploys of this prompt in this environment take turns (PostgreSQL; SQLite serialises every writer).
      await tx.lockDecision(id, env);
      const events = await tx.listEvents({ promptId: id, env });
      const plan = planRollback(events, o.to);
      const activeEvent = events.at(-1)?.seq ?? 0;
      // `--to` the version already active: the goal holds, whatever --if-active expected (a retried
      // incident job whose first attempt went through, or another operator who got there first).
      const done = !plan.ok && plan.alreadyActive === true;
      if (!done) requireStillActive({ promptId: id, env, ifActive: o.ifActive, ifActiveEvent: o.ifActiveEvent, active: events.at(-1), review: `promptctl rollback ${id} --env ${env}${o.to !== undefined ? ` --to ${o.to}` : ''} --dry-run` , bindOption: optionName(c.optionNames, 'ifActive') });
      // Nothing to roll back still stops first on an unsigned event the log refuses (exit 2), as its dry run says.
      if (!plan.ok && !o.dryRun) await requireSignedChange(tx, sign, 'rollback', project.config.signing.since);
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
        : await tx.appendEvent({ env, promptId: id, version: plan.to, previousVersion: plan.from, action: 'rollback', actor, reason: o.reason?.trim() || null, ...content, ...(sign ? { sign } : {}), idempotencyKey });
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
function unverifiedHint(id: string, env: string, from: string): string {
  return `nothing was recorded: ${env} still runs ${from}. Run \`promptctl audit verify\` and restore the registry from a backup, then roll back again (\`promptctl rollback ${id} --env ${env}\`)`;
}

type TargetNotes = Pick<RollbackResult, 'ungated' | 'settingChanges' | 'otherWeights' | 'edited' | 'missingFile' | 'missingFromCwd' | 'missingHow'>;

/** What a rollback says about the version it returns to, read inside its transaction (see `RollbackResult`). */
async function targetNotes(
  tx: Registry,
  project: Project,
  requiresTested: boolean,
  { id, plan, events, contentHash }: { id: string; plan: Extract<RollbackPlan, { ok: true }>; events: AuditEvent[]; contentHash?: string },
): Promise<TargetNotes> {
  const file = project.prompts.find((p) => p.id === id && p.version === plan.to);
  // The one rule (core/version-state.ts): the target was deployed, so its file must keep the released content.
  const checked = file && (await checkVersion(tx, file));
  const edited = checked && checked.verdict.state === 'released' && !checked.verdict.allowed ? { file: checked.file.file, version: plan.to, releasedIn: checked.verdict.releasedIn } : undefined;
  // As `show` and `render` say of a gone file: git's restore, or the registry's copy when git never had it.
  const gone = file ? undefined : goneVersionFile(project.root, id, plan.to);
  const here = gone && fromCwdField(project, gone.file).fromCwd;
  const missing = gone ? { missingFile: gone.file, ...(here ? { missingFromCwd: here } : {}), ...(gone.how ? { missingHow: gone.how } : {}) } : {};
  const { served: leaving } = plan.current;
  const returning = plan.target.served;
  const settingChanges = leaving && returning ? requestChanges(leaving.request, returning.request) : [];
  // A deploy that recorded no root served unknown weights: not compared (core/served-weights.ts).
  const testedOn = returning && knownWeights(returning.model, returning);
  const servedNow = returning && (await currentRoot(tx, returning.model));
  const otherWeights = testedOn !== undefined && servedNow !== undefined && servedNow !== testedOn ? { model: returning!.model, testedOn, servedNow } : undefined;
  const targetEvent = events.find((e) => e.seq !== undefined && e.seq === plan.target.seq);
  const ungated = await ungatedTarget(tx, project, requiresTested, { id, version: plan.to, contentHash, model: returning?.model }, targetEvent);
  return { ...(ungated ? { ungated } : {}), ...(settingChanges.length ? { settingChanges } : {}), ...(otherWeights ? { otherWeights } : {}), ...(edited ? { edited } : {}), ...missing };
}

/** Whether the version a rollback returns to never passed the gates as it will run (see `RollbackResult.ungated`). */
async function ungatedTarget(
  registry: Registry,
  project: Project,
  requiresTested: boolean,
  target: { id: string; version: string; contentHash?: string; model?: string },
  deployedBy: AuditEvent | undefined,
): Promise<RollbackResult['ungated']> {
  const override = deployedBy?.action === 'override' ? overrideOf(deployedBy) : undefined;
  // An event from before deploys recorded the model or content says nothing to check a mark against.
  const mark = requiresTested && target.contentHash && target.model ? await testedMarkThatCounts(registry, project.config.signing, target.id, target.version, target.contentHash, target.model) : true;
  const untestedOn = mark ? undefined : target.model;
  return override || untestedOn ? { ...(override ? { override } : {}), ...(untestedOn ? { untestedOn } : {}) } : undefined;
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

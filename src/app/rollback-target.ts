import type { AuditEvent, Registry } from '../infra/registry/types.js';
import type { Deletion } from '../core/version-state.js';
import type { RollbackPlan } from '../core/rollback.js';
import { overrideOf } from '../core/standing-there.js';
import { requestChanges, type SettingChange } from '../core/deployed-model.js';
import { knownWeights } from '../core/served-weights.js';
import type { Project } from '../infra/project.js';
import { checkVersion } from '../infra/version-states.js';
import { goneVersionFile } from '../infra/deployed-files.js';
import { fromCwdField } from '../infra/real-path.js';
import { testedMarkThatCounts } from '../infra/signing.js';
import { currentRoot } from '../infra/eval/served-roots.js';

/**
 * What a rollback says about the version it returns to (app/rollback.ts): an edited or missing
 * file, other request settings or weights than it was deployed on, gates it never passed. Read
 * inside the rollback's transaction; none of it stops the rollback, the emergency path.
 */

/** The target version's file differs from its registered content: the registered content is what runs. */
export interface EditedTarget {
  file: string;
  version: string;
  /** Where the version was deployed: it is released, so its file should have kept that content. */
  releasedIn: readonly string[];
}

/** The notes of a rollback's result about its target (see `RollbackResult`). */
export interface TargetNotes {
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
}

/** What a rollback says about the version it returns to, read inside its transaction (see `RollbackResult`). */
export async function targetNotes(
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

/** Whether the version a rollback returns to never passed the gates as it will run (see `TargetNotes.ungated`). */
async function ungatedTarget(
  registry: Registry,
  project: Project,
  requiresTested: boolean,
  target: { id: string; version: string; contentHash?: string; model?: string },
  deployedBy: AuditEvent | undefined,
): Promise<TargetNotes['ungated']> {
  const override = deployedBy?.action === 'override' ? overrideOf(deployedBy) : undefined;
  // An event from before deploys recorded the model or content says nothing to check a mark against.
  const mark = requiresTested && target.contentHash && target.model ? await testedMarkThatCounts(registry, project.config.signing, target.id, target.version, target.contentHash, target.model) : true;
  const untestedOn = mark ? undefined : target.model;
  return override || untestedOn ? { ...(override ? { override } : {}), ...(untestedOn ? { untestedOn } : {}) } : undefined;
}

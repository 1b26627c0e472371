import type { RollbackResult } from '../app/rollback.js';
import type { ErrorDetails } from '../core/errors.js';
import type { SettingChange } from '../core/deployed-model.js';
import { editedAfterReleaseHint, editedAfterReleaseMessage, restoreDeletedFile } from '../core/version-state.js';
import { formatStack, type RollbackPlan } from '../core/rollback.js';
import { accountabilityNote, lateSignalLines, settingChangesText, type RefusalDetails } from './deploy-text.js';
import { checkJson, checkLine, checkMessage } from './gate-text.js';

/** How a rollback is printed: lines, `--json`, and the errors of a refused one. */

type Planned = RollbackResult & { plan: Extract<RollbackPlan, { ok: true }> };
type Refused = RollbackResult & { plan: Extract<RollbackPlan, { ok: false }> };

function editedWarning(r: RollbackResult): string | undefined {
  if (r.missingFile) {
    const ref = `${r.promptId}@${r.plan.ok ? r.plan.to : '?'}`;
    const from = r.missingHow === 'untracked' ? '' : ' from git';
    return `warning: ${ref} has no file in this project (${r.missingFile}): its registered content is what runs. Restore the file${from}, so the deployed version stays rebuildable: ${restoreDeletedFile({ file: r.missingFile, fromCwd: r.missingFromCwd }, r.missingHow, ref)}.`;
  }
  return r.edited
    ? `warning: ${editedAfterReleaseMessage({ id: r.promptId, version: r.edited.version, releasedIn: r.edited.releasedIn })}; the released content is what runs. To keep the edit: ${editedAfterReleaseHint({ id: r.promptId, version: r.edited.version, file: r.edited.file })}`
    : undefined;
}

/** The old version goes back onto weights it was never tested on: said, as the gate would have. */
function weightsWarning(r: RollbackResult): string | undefined {
  const w = r.otherWeights;
  return w && `warning: ${w.model} now serves other weights (root ${w.servedNow}) than ${r.promptId}@${r.plan.ok ? r.plan.to : '?'} was tested on (root ${w.testedOn}); check it there: promptctl eval ${r.promptId}@${r.plan.ok ? r.plan.to : '?'} --no-cache`;
}

/** The version returned to never passed the gates as it will run: said, as an edited file is. */
function ungatedWarning(r: RollbackResult): string | undefined {
  const u = r.ungated;
  if (!u) return undefined;
  const ref = `${r.promptId}@${r.plan.ok ? r.plan.to : '?'}`;
  const why = [
    ...(u.override ? [`its deploy to ${r.env} was an override${u.override.seq !== undefined ? ` (event #${u.override.seq})` : ''}${u.override.skipped.length ? `, skipping: ${u.override.skipped.join('; ')}` : ''}`] : []),
    ...(u.untestedOn ? [`it has no tested mark that counts on ${u.untestedOn}`] : []),
  ];
  return `warning: ${ref} never passed the gates as it will run: ${why.join('; ')}. Check it (\`promptctl deploy ${ref} --env ${r.env} --dry-run\` lists the gates), or roll forward to a version that passes them.`;
}

export function rollbackJson(r: Planned) {
  return { promptId: r.promptId, env: r.env, from: r.plan.from, to: r.plan.to, dryRun: r.dryRun, allowed: r.allowed, checks: r.checks.map(checkJson), event: r.event, remaining: r.remaining.map((d) => d.version), rolledAway: rolledAwayVersions(r), ...(r.settingChanges ? { settingChanges: r.settingChanges } : {}), ...(r.missingFile ? { missingFile: r.missingFile } : {}), ...(r.otherWeights ? { otherWeights: r.otherWeights } : {}), ...(r.ungated ? { ungated: r.ungated, ungatedWarning: ungatedWarning(r) } : {}), ...(r.lateSignal ? { lateSignal: r.lateSignal } : {}), warning: editedWarning(r) };
}

export function rollbackText(r: Planned): string[] {
  const warning = editedWarning(r);
  const unmet = r.checks.length > 0;
  return [
    `${r.dryRun ? (unmet ? 'dry run: would refuse to roll back' : 'dry run: would roll back') : 'rolled back'} ${r.promptId} in ${r.env}: ${r.plan.from} -> ${r.plan.to}${r.event ? ` (event #${r.event.seq})` : ''}`,
    ...(r.settingChanges ? [settingsLine(r.plan.target.seq, r.settingChanges)] : []),
    ...r.checks.map(checkLine),
    `  rollback stack ${r.dryRun ? 'would be' : 'now'}: ${formatStack(r.remaining, r.rolledAway)}`,
    ...(unmet ? [accountabilityNote(r.checks.length, 'rollback')] : []),
    ...(warning ? [warning] : []),
    ...[weightsWarning(r), ungatedWarning(r)].filter((w) => w !== undefined),
    ...lateSignalLines(r.lateSignal, 'rollback'),
  ];
}

/** `  request settings as event #2 deployed them: stop ["XYZ"] -> not set, temperature 0.7 -> 0`. */
function settingsLine(seq: number | undefined, changes: readonly SettingChange[]): string {
  return `  request settings as ${seq !== undefined ? `event #${seq}` : 'its earlier deploy'} deployed them: ${settingChangesText(changes)}`;
}

/** A rollback with nowhere to go, as `--json` prints it beside its error: what is active, the stack, the checks. */
export function rollbackRefusedJson(r: Refused) {
  return { promptId: r.promptId, env: r.env, dryRun: r.dryRun, allowed: false, checks: r.checks.map(checkJson), activeEvent: r.activeEvent, remaining: r.remaining.map((d) => d.version), rolledAway: rolledAwayVersions(r) };
}

/** `--to` the version already active (exit 0): the goal holds, nothing recorded. */
export function rollbackAlreadyText(r: Refused): string {
  const active = r.remaining.at(-1)?.version ?? '?';
  return `${r.dryRun ? 'dry run: ' : ''}${r.promptId}@${active} is already active in ${r.env}: nothing to roll back${r.dryRun ? '' : ', nothing recorded'}`;
}

export function rollbackAlreadyJson(r: Refused) {
  return { promptId: r.promptId, env: r.env, from: r.remaining.at(-1)?.version ?? null, to: r.remaining.at(-1)?.version ?? null, dryRun: r.dryRun, allowed: true, alreadyActive: true, checks: r.checks.map(checkJson), event: null, remaining: r.remaining.map((d) => d.version), rolledAway: rolledAwayVersions(r) };
}

/** The versions a further rollback skips (rolled away from since the last deploy), each once, for `--json`. */
function rolledAwayVersions(r: Pick<Planned, 'rolledAway'>): string[] {
  return [...new Set(r.rolledAway.map((d) => d.version))];
}

/** Nowhere to roll back to (exit 1). */
export function rollbackRefusal(r: Refused): RefusalDetails {
  return { message: `cannot roll back ${r.promptId} in ${r.env}`, reasons: [r.plan.reason], hint: `\`promptctl history ${r.promptId} --env ${r.env}\` shows what was deployed there.` };
}

/** A dry run that meets an unmet policy and has nowhere to go: both said, as the bad usage (exit 2) it is. */
export function rollbackPolicyRefusal(r: Refused): ErrorDetails {
  return { message: `rollback of ${r.promptId} in ${r.env} refused`, why: [...r.checks.map(checkMessage), r.plan.reason].join('; '), hint: 'meet each policy this refusal lists first (`--dry-run` shows every check)' };
}

import { versionFileOf } from '../core/refs.js';
import type { DeployOutcome } from '../app/deploy-version.js';
import { editedAfterReleaseHint } from '../core/version-state.js';
import type { BackwardsPromotion, PromoteResult } from '../app/promote.js';
import { isAccountabilityCheck } from '../core/accountability.js';
import type { ErrorDetails } from '../core/errors.js';
import type { SettingChange } from '../core/deployed-model.js';
import { escapeControlChars } from '../core/control-chars.js';
import type { GateCheck } from '../core/gate-check.js';
import { checkJson, checkLine, checkMessage, evalCommandOf, overrideRefusalText } from './gate-text.js';
import { restoreJudge } from './eval-advice.js';

/** How deploy and promote outcomes are printed: lines, `--json`, and the refusal's error. */

/** A refusal said as the error it exits with: what failed, why it cannot be forced, what to do. */
export type RefusalDetails = ErrorDetails & { reasons: string[] };

/**
 * Said after the failed lines of a dry run whose unattended-policy requirements are unmet: the real
 * command stops there, so this comes before any count of failed gates, and says the requirements
 * are not gates --force skips. A rollback has neither gates nor --force: it is told the stop alone
 * (naming --force there sent people to an option rollback does not take).
 */
export function accountabilityNote(unmet: number, change: 'deploy' | 'rollback' = 'deploy'): string {
  const them = unmet === 1 ? 'requirement is unmet' : 'requirements are unmet';
  if (change === 'rollback') return `without --dry-run this stops at the policy above with exit 2: ${unmet} ${them}`;
  return `without --dry-run this stops at the policy above with exit 2, before any gate is judged: ${unmet} ${them}, and --force does not skip ${unmet === 1 ? 'it' : 'them'}`;
}

/**
 * The refusal note: how to force it through, in the words of the command that was run (promote
 * has no --force and names the deploy command instead).
 */
export function refusalNote(o: DeployOutcome, force?: string): string | undefined {
  return o.refusal ? overrideRefusalText(o.refusal, force) : undefined;
}

/** The outcome as `--json` prints it: checks with their ids and sentences, the refusal as a note. */
export function deployJson(o: DeployOutcome & { exitCode?: number }, force?: string) {
  const { checks, refusal: _refusal, event, exitCode: _exitCode, ...rest } = o;
  const note = refusalNote(o, force);
  return { ...rest, checks: checks.map(checkJson), ...(note !== undefined ? { note } : {}), ...(event ? { event } : {}) };
}

/** The version, model and request settings are already active there: the deploy records nothing. The gate's own finding, never worked out again. */
export function changesNothing(o: Pick<DeployOutcome, 'checks' | 'allowed'>): boolean {
  return o.allowed && o.checks.some((c) => c.kind === 'already-active');
}

export function deployText(o: DeployOutcome, force?: string): string[] {
  const ref = `${o.promptId}@${o.version}`;
  const alreadyActive = changesNothing(o);
  const on = o.modelChange ? ` on ${o.modelChange.to}` : '';
  const was = o.modelChange ? `${o.previousVersion ?? 'nothing'} on ${o.modelChange.from}` : (o.previousVersion ?? 'nothing');
  const head = o.dryRun
    ? alreadyActive
      ? `dry run: ${ref} is already active in ${o.env}: a deploy would change nothing (no event)`
      : `dry run: ${ref} to ${o.env}${on} would be ${o.allowed ? (o.override ? 'deployed as an override' : 'deployed') : 'refused'}`
    : o.event
      ? `${o.override ? 'overrode gates and deployed' : 'deployed'} ${ref} to ${o.env}${on} (was ${was}; event #${o.event.seq})`
      : `${ref} is already active in ${o.env}: nothing to do`;
  // A dry run lists every reason, including why a refusal could or could not be overridden.
  const refused = refusalNote(o, force);
  const unmet = o.dryRun ? o.checks.filter((c) => !c.ok && isAccountabilityCheck(c)).length : 0;
  const note = [...(unmet ? [accountabilityNote(unmet)] : []), ...(refused && (o.allowed || o.dryRun) ? [`${unmet ? 'then ' : ''}${refused}`] : [])];
  const settings = o.settingChanges && (o.event || o.dryRun) ? [`  request settings: ${settingChangesText(o.settingChanges)}`] : [];
  const weights = o.weightsChange && (o.event || o.dryRun) ? [`  ${escapeControlChars(weightsChangeText(o.weightsChange))}`] : [];
  return [head, ...settings, ...weights, ...o.checks.map(checkLine), ...note, ...lateSignalLines(o.lateSignal, 'deploy')];
}

/** A signal that came once the change was committed: said, since the command still exits 0. */
export function lateSignalLines(signal: string | undefined, change: 'deploy' | 'rollback'): string[] {
  const undo = change === 'deploy' ? '`promptctl rollback` undoes it' : 'deploying the version it left undoes it';
  return signal ? [`note: ${signal} arrived after the ${change} was committed: too late to cancel, the ${change} stands (${undo})`] : [];
}

/** `weights: sim-model root org/sim-7b -> org/sim-7b-v2`: deploy's and history's words for other weights behind one name. */
export function weightsChangeText(c: { model: string; from: string; to: string }): string {
  return `weights: ${c.model} root ${c.from} -> ${c.to}`;
}

/** `seed not set -> 7, stop ["XYZ"] -> not set`: what a deploy or rollback changes in the request. */
export function settingChangesText(changes: readonly SettingChange[]): string {
  const shown = (v: unknown) => (v === undefined ? 'not set' : typeof v === 'string' ? v : JSON.stringify(v));
  return escapeControlChars(changes.map((c) => `${c.setting} ${shown(c.from)} -> ${shown(c.to)}`).join(', '));
}

/** A refused (real) deploy, as its GateError says it. */
export function deployRefusal(o: DeployOutcome, force?: string): RefusalDetails {
  const failures = o.checks.filter((c) => !c.ok);
  const failed = (...kinds: GateCheck['kind'][]): boolean => failures.some((f) => kinds.includes(f.kind));
  // The eval the failed check names: on the model it judges, without the cache after a weights swap.
  const evaluate = failures.map(evalCommandOf).find((e) => e !== undefined);
  const hint = failed('not-edited')
    ? editedAfterReleaseHint({ id: o.promptId, version: o.version, file: editedFile(o) ?? versionFileOf(o.promptId, o.version), origin: editedCheck(o)?.origin })
    : failures.some((c) => c.needsNewVersion)
      ? `${passedUnderOldJudge(failures) ? `${restoreJudge(true)} if the new one misjudges, or ` : ''}fix the prompt in the next version (\`promptctl new ${o.promptId}\`), evaluate it, and deploy that one`
      : failures.some((c) => c.needsFixedDraft)
        ? `${passedUnderOldJudge(failures) ? `${restoreJudge(true)} if the new one misjudges, or ` : ''}fix the prompt in ${draftFile(failures) ?? versionFileOf(o.promptId, o.version)} (a draft until its first deploy, so its file may still change), evaluate it again, and deploy it`
        : evaluate
        ? `run \`${evaluate}\` first${failures.some(judgeChanged) ? ` (to grade it with the current judge), or ${restoreJudge()}` : ''}`
        : 'fix each failed check this refusal lists; `--dry-run` shows every check.';
  return {
    message: `deploy of ${o.promptId}@${o.version} to ${o.env} refused`,
    reasons: failures.map(checkMessage),
    why: refusalNote(o, force),
    hint,
  };
}

function backwardsSentence(b: BackwardsPromotion): string {
  return `promoting backwards: ${b.to} comes before ${b.from} in the order of environments (${b.order.join(' -> ')}); check that --from and --to are not swapped`;
}

/** The backwards promotion as the line printed above the outcome (and the `warning` of `--json`). */
export function backwardsWarning(b: BackwardsPromotion | undefined): string | undefined {
  return b ? `warning: ${backwardsSentence(b)}` : undefined;
}

type Promoted = PromoteResult & { outcome: DeployOutcome; active: string };

/** How to force a refused promote: promote has no --force, so an override is a deliberate `deploy --force`, named as such. */
function promoteForce(r: Promoted): string {
  return `run \`promptctl deploy ${r.promptId}@${r.active} --env ${r.to} --force --reason "..."\``;
}

export function promoteJson(r: Promoted) {
  const warning = backwardsWarning(r.backwards);
  // `from` as the text's first line says it: the deploy's own fields name only the environment promoted to.
  return { from: r.from, ...deployJson(r.outcome, promoteForce(r)), ...(r.settingsNotPromoted ? { settingsNotPromoted: r.settingsNotPromoted } : {}), ...(warning ? { warning } : {}) };
}

export function promoteText(r: Promoted): string[] {
  const warning = backwardsWarning(r.backwards);
  return [...(warning ? [warning] : []), `promote ${r.promptId}: ${r.from} runs ${r.active}`, ...deployText(r.outcome, promoteForce(r)), ...(r.settingsNotPromoted ? [settingsNotPromotedNote(r, r.settingsNotPromoted)] : [])];
}

/** The version is promoted, not the settings the source environment serves it with: said, never silent. */
function settingsNotPromotedNote(r: Promoted, changes: readonly SettingChange[]): string {
  return `note: ${r.from} serves ${r.active} with other request settings than ${r.to} ${r.outcome.dryRun ? 'would get' : 'gets'} from .promptrc.yaml (${settingChangesText(changes)}): promote takes the version, the settings come from .promptrc.yaml`;
}

/** A refused promote, with the same advice on forcing it as its dry run. */
export function promoteRefusal(r: Promoted): RefusalDetails {
  const refused = deployRefusal(r.outcome, promoteForce(r));
  if (!r.backwards) return refused;
  // A refused backwards promote says it was backwards too: that is often the real mistake.
  return { message: refused.message, reasons: refused.reasons, why: [backwardsSentence(r.backwards), refused.why].filter(Boolean).join('; '), hint: refused.hint };
}

/** Nothing runs in the source environment (exit 1). */
export function nothingToPromote(r: PromoteResult): ErrorDetails {
  return { message: `nothing to promote: ${r.promptId} has no active version in ${r.from}`, hint: `deploy one first: promptctl deploy ${r.promptId}@<version> --env ${r.from}` };
}

/** The failed draft's file, as its tested check names it. */
/** A failed tested check whose failed suite passed graded by the judge the config named before. */
function passedUnderOldJudge(failures: GateCheck[]): boolean {
  return failures.some((c) => c.kind === 'tested' && (c.regraded ?? []).some((r) => r.passed));
}

/** A failed check that misses a run because the judge changed since it ran. */
function judgeChanged(c: GateCheck): boolean {
  return (c.kind === 'tested' && Boolean(c.regraded?.length)) || ((c.kind === 'golden-run-missing' || c.kind === 'adversarial-run-missing' || c.kind === 'regression-not-compared') && c.regraded !== undefined);
}

function draftFile(failures: GateCheck[]): string | undefined {
  const c = failures.find((x) => x.kind === 'tested' && x.draft);
  return c?.kind === 'tested' ? c.file : undefined;
}

/** The edited version's file as loaded (a `.yml` stays `.yml`), from its failed check. */
function editedFile(o: DeployOutcome): string | undefined {
  return editedCheck(o)?.file;
}

/** The failed not-edited check: the edited file, and whether the edit is here or the checkout's commit. */
function editedCheck(o: DeployOutcome): Extract<GateCheck, { kind: 'not-edited' }> | undefined {
  const c = o.checks.find((x) => x.kind === 'not-edited' && !x.ok);
  return c?.kind === 'not-edited' ? c : undefined;
}

import type { BundledPrompt, ExportPromptsResult } from '../app/prompts.js';
import type { StatusRow, StatusVersion } from '../app/status.js';
import type { RequestParams } from '../core/eval/request-params.js';
import { escapeControlChars } from '../core/control-chars.js';
import { evalCommand, judgeChangeText, restoreJudge } from './eval-advice.js';
import { editedAfterReleaseHint, restoreDeletedFile } from '../core/version-state.js';
import { groupBy } from '../core/group.js';
import { retireHint } from '../core/gone-suites.js';
import { restoredRegraded } from './gate-clauses.js';
import { surfaceBlocks, surfaceLines } from './prompt-text.js';

/**
 * How what the registry holds is printed: status, get, export (history in history-text.ts, audit
 * in audit-text.ts). Registry values may predate the control-character check: they are shown
 * escaped, one row per line.
 */

export function statusText(rows: StatusRow[], versions: StatusVersion[] = []): string[] {
  // Every column as wide as its widest cell (an environment like production-eu-west-1, a prerelease version).
  const w = Math.max(6, ...rows.map((r) => r.promptId.length));
  const we = Math.max(3, ...rows.map((r) => r.env.length));
  const wv = Math.max(7, ...rows.map((r) => (r.version ?? '-').length));
  const ids = [...new Set(versions.map((v) => v.promptId))];
  // Drafts may still change; released versions never do (README: drafts and released versions).
  const states = ids.map((id) => escapeControlChars(`${id.padEnd(w)}  ${versions.filter((v) => v.promptId === id).map((v) => `${v.version} ${v.state}${v.fileOnly ? ' (file only)' : ''}${v.fileDeleted ? ' (file deleted)' : ''}${v.onBase ? ` (on ${v.onBase})` : ''}`).join(', ')}`));
  return [
    `${'PROMPT'.padEnd(w)}  ${'ENV'.padEnd(we)}  ${'VERSION'.padEnd(wv)}  ${'TESTED'.padEnd(6)}  SINCE / BY`,
    ...rows.map((r) =>
      escapeControlChars(
        `${r.promptId.padEnd(w)}  ${r.env.padEnd(we)}  ${(r.version ?? '-').padEnd(wv)}  ${(r.version ? (r.tested ? 'yes' : r.staleSuites || r.otherWeights || r.goneSuites ? 'stale' : 'NO') : '-').padEnd(6)}  ${r.deployedAt ? `${r.deployedAt} by ${r.deployedBy}${r.action === 'deploy' ? '' : ` (${r.action})`}` : 'never deployed'}`,
      ),
    ),
    ...rows.flatMap((r) => (r.staleSuites ? [escapeControlChars(staleMarkLine(r, r.staleSuites))] : [])),
    ...rows.flatMap((r) => (r.goneSuites ?? []).map((g) => escapeControlChars(goneSuiteLine(r, g)))),
    ...rows.flatMap((r) =>
      r.otherWeights
        ? [
            escapeControlChars(
              `stale: ${r.promptId}@${r.version} in ${r.env} was tested on other weights (root ${r.otherWeights.earnedRoot}) than its model serves now (root ${r.otherWeights.currentRoot}); deploy and promote refuse its mark until: ${evalCommandOf(r)} --no-cache`,
            ),
          ]
        : [],
    ),
    ...rows.flatMap((r) =>
      r.pendingModel
        ? [escapeControlChars(`pending model change: ${r.promptId} in ${r.env} serves ${r.pendingModel.from}; ${r.pendingModel.setBy} names ${r.pendingModel.to} (served after a gated deploy: promptctl ci, or promptctl deploy ${r.promptId}@${r.version} --env ${r.env})`)]
        : [],
    ),
    ...rows.flatMap((r) => (r.servedSettingsUntested ? [escapeControlChars(servedUntestedLine(r, r.servedSettingsUntested))] : [])),
    ...rows.flatMap((r) =>
      r.pendingSettings
        ? [escapeControlChars(`pending settings change: ${r.promptId} in ${r.env} is served with the request settings its deploy recorded; .promptrc.yaml's differ (served after a gated deploy: promptctl ci, or promptctl deploy ${r.promptId}@${r.version} --env ${r.env})`)]
        : [],
    ),
    ...versionFileLines(rows),
    ...(states.length ? ['', `${'PROMPT'.padEnd(w)}  VERSIONS (draft until first deployed or on the base branch)`, ...states] : []),
  ];
}

/** A served version whose file this checkout edited or deleted: one line per version, naming every environment that serves it. */
function versionFileLines(rows: StatusRow[]): string[] {
  const byRef = groupBy(rows.filter((r) => r.versionFile), (r) => `${r.promptId}@${r.version}`);
  return [...byRef].map(([ref, serving]) => {
    const row = serving[0]!;
    const f = row.versionFile!;
    const served = `${ref} in ${serving.map((r) => r.env).join(', ')} serves the content it was released with`;
    return escapeControlChars(
      f.state === 'edited'
        ? `edited: ${served}, but ${f.file} ${f.origin?.kind === 'committed' ? `in this checkout (${f.origin.checkout}) holds other content` : 'was edited since'} (released sha256:${f.releasedHash.slice(0, 12)}…, now sha256:${f.fileHash.slice(0, 12)}…): deploy and promote of it refuse; ${editedAfterReleaseHint({ id: row.promptId, version: String(row.version), file: f.file, ...(f.fromCwd ? { here: f.fromCwd } : {}), origin: f.origin })}`
        : `deleted: ${served}, but ${f.file} was deleted in this checkout: every deployed version must be rebuildable from git; restore it (${restoreDeletedFile(f, f.how)})`,
    );
  });
}

/** An environment the registry still serves in that .promptrc.yaml no longer names: status has no rows for it. */
export function unconfiguredWarning(env: string): string {
  return escapeControlChars(
    `environment "${env}" is not in .promptrc.yaml, but the registry records deployments to it: its rows are left out above. It still serves what was last deployed there (\`promptctl status --env ${env}\` and \`history --env ${env}\` show it; \`get\` and \`export\` read it); add it back under environments to deploy or roll back there.`,
  );
}

/** The eval that renews a row's mark: on the model the environment serves, when not the version's own. */
const evalCommandOf = (r: StatusRow): string =>
  evalCommand(r.evalModel ? { promptId: r.promptId, model: r.evalModel, evalNeedsModel: true } : { promptId: r.promptId, model: '' }, String(r.version));

/** A suite the registry knows of a row's version whose file is gone, not retired: the gate refuses the version until it is restored or retired. */
function goneSuiteLine(r: StatusRow, g: NonNullable<StatusRow['goneSuites']>[number]): string {
  const ref = `${r.promptId}@${r.version}`;
  return (
    `stale: ${ref} in ${r.env}: ${g.kind} suite '${g.suite}' is missing (${g.file} is not in the project), but the registry holds ${g.known === 'run' ? `${r.version}'s run of it on the content served` : `its tested mark, which names it`}; ` +
    `deploy and promote refuse ${r.version} until you restore the file (${restoreDeletedFile(g)}), or ${retireHint(r.promptId, g.suite)}${restoredRegraded(g.regraded)}`
  );
}

/** A row served with request settings (its deploy's) under which its suites did not pass: what it serves is not tested, whatever .promptrc.yaml says now. */
function servedUntestedLine(r: StatusRow, suites: NonNullable<StatusRow['servedSettingsUntested']>): string {
  const names = suites.map((x) => `'${x.suite}'`);
  return `untested: ${r.promptId}@${r.version} in ${r.env} is served with the request settings its deploy recorded (what \`get\` serves), and ${names.length === 1 ? 'suite' : 'suites'} ${names.join(', ')} ${names.length === 1 ? 'has' : 'have'} no passing run under them${r.action === 'override' ? ' (deployed by an override)' : ''}`;
}

/** Why a row's mark no longer counts, and what renews it: an eval, or a new version when a suite failed. */
function staleMarkLine(r: StatusRow, stale: NonNullable<StatusRow['staleSuites']>): string {
  const broken = stale.filter((x) => x.why === 'broken').map((x) => x.suite);
  if (broken.length) {
    return `stale: ${r.promptId}@${r.version} in ${r.env}: ${broken.length === 1 ? 'suite file' : 'suite files'} ${broken.join(', ')} ${broken.length === 1 ? 'does' : 'do'} not load; deploy and promote refuse the version until ${broken.length === 1 ? 'it loads' : 'they load'}: promptctl lint`;
  }
  const failed = stale.filter((x) => x.why === 'failed').map((x) => `'${x.suite}'`);
  if (failed.length) {
    const which = `${failed.length === 1 ? 'suite' : 'suites'} ${failed.join(', ')}`;
    // Failed under request settings the environment does not serve yet: the settings are what changed.
    const fix = r.pendingSettings
      ? `the failed run used .promptrc.yaml's new request settings, which ${r.env} does not serve yet: fix the settings, or the prompt in a new version (promptctl new ${r.promptId})`
      : `fix the prompt in a new version (promptctl new ${r.promptId})`;
    // Passed graded by the judge before (the tested gate's fact): the new judge may be what is wrong, as the gate says.
    const before = (r.regraded ?? []).filter((x) => x.passed);
    const judged = before.map((x) => `; '${x.suite}' passed graded by the judge before (${judgeChangeText(x)})`).join('');
    const way = before.length ? `${restoreJudge(true)} if the new one misjudges, or ${fix}` : fix;
    return `stale: ${r.promptId}@${r.version} in ${r.env} was tested, but ${which} failed since, on the current content and settings${judged}; deploy and promote refuse its mark: ${way}`;
  }
  const incomplete = stale.filter((x) => x.why === 'incomplete').map((x) => `'${x.suite}'`);
  if (incomplete.length) {
    const which = `${incomplete.length === 1 ? 'suite' : 'suites'} ${incomplete.join(', ')}`;
    return `stale: ${r.promptId}@${r.version} in ${r.env} was tested, but the latest run of ${which} is incomplete (server errors decided it, or cases did not run); deploy and promote refuse its mark until it runs again: ${evalCommandOf(r)}`;
  }
  const resettled = stale.filter((x) => x.why === 'settings').map((x) => `'${x.suite}'`);
  const regraded = stale.filter((x) => x.why === 'grading').map((x) => `'${x.suite}'`);
  const suites = [
    ...stale.flatMap((x) =>
      x.why === 'changed' ? [`suite '${x.suite}' changed`] : x.why === 'added' ? [`suite '${x.suite}' was added`] : x.why === 'no-run' ? [`suite '${x.suite}' lost its run`] : [],
    ),
    ...(resettled.length ? [`the request settings changed (.promptrc.yaml defaults or model; ${resettled.length === 1 ? 'suite' : 'suites'} ${resettled.join(', ')} ran with the old ones)`] : []),
    ...(regraded.length ? [`the judge changed (.promptrc.yaml server.judge_model, or server.model for rubrics; ${regraded.length === 1 ? 'suite' : 'suites'} ${regraded.join(', ')} ${regraded.length === 1 ? 'was' : 'were'} graded by the old one)`] : []),
  ].join(', ');
  const them = stale.length === 1 ? 'it has' : 'they have';
  // Only the judge changed: putting it back is the other way out, as the tested gate says.
  const orJudge = regraded.length === stale.length ? ` (to grade ${stale.length === 1 ? 'it' : 'them'} with the current judge), or ${restoreJudge()}` : '';
  return `stale: ${r.promptId}@${r.version} in ${r.env} was tested before ${suites}; deploy and promote refuse its mark until ${them} run: ${evalCommandOf(r)}${orJudge}`;
}

/** One line: `model sim-model, temperature 0, max_tokens 200` (the tools and output constraint are shown apart, from `content`). */
function settingsLine(p: RequestParams): string {
  const { model, response_format: _f, structured_outputs: _s, tools: _t, tool_choice: _c, ...rest } = p;
  return `model ${model}, ${Object.entries(rest)
    .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
    .join(', ')}`;
}

/**
 * Registry text reaches a terminal: escapes and other control characters are shown, not obeyed (newlines and tabs kept).
 * What runs is more than the messages: the tools and output constraint the content declares are sent with them, so they
 * are shown as `show` shows them (a header line each, then in full after the messages).
 */
export function promptText(p: BundledPrompt): string[] {
  return [
    `${p.id}@${p.version} (${p.env}, sha256:${p.contentHash.slice(0, 12)}…)`,
    settingsLine(p.effective),
    ...surfaceLines(p.content),
    ...p.content.messages.flatMap((m) => [`--- ${m.role} ---`, m.content.trimEnd()]),
    ...surfaceBlocks(p.content),
  ].map((l) => escapeControlChars(l, '\n\t'));
}

/** `bundleText` is the bundle as printed without `-o`. */
export function exportText(r: ExportPromptsResult, bundleText: string): string[] {
  if (!r.output) return bundleText.trimEnd().split('\n');
  const count = Object.keys(r.bundle.prompts).length;
  return [`wrote ${count} prompt${count === 1 ? '' : 's'} active in ${r.bundle.env} to ${r.output}`];
}

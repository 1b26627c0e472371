import type { CiResult, SummaryFile } from '../core/ci/result.js';
import { modelUpgradeMarkdown } from './model-upgrade-text.js';
import { formatCiProblem, lintedFiles } from '../core/ci/checks.js';
import type { EvalReport } from '../core/schemas/report.js';
import type { CiFormats } from '../app/ci-files.js';
import { bytesOf, code, COMMENT_ALONE_FIT, COMMENT_FIT, md, mdWithCode, STEP_SUMMARY_FIT, toMarkdownSummary, type SummaryFit } from './markdown.js';
import { failedChecksText, failingCount, failVerb } from './run-stats.js';
import { counted, everyOne, THRESHOLDS_PASSED } from './text.js';
import { gatingChecks, markedNotGating, notGatingFailures, notGatingRun, notServedLines, ranRefs } from './ci-gating.js';
import { ciJUnit } from './ci-junit.js';
import { shardsLacking } from './shard-text.js';
import { problemLines, stopHeadline, stopSections } from './stop-report.js';

export { ciJUnit, markedNotGating };

/** What `promptctl ci` writes as Markdown for the pull request, and writes as JUnit; what it prints is in ci-text.ts, in the words shared here. */

const HEADLINE: Record<Exclude<CiResult['verdict'], 'error' | 'interrupted' | 'shard-recorded'>, string> = {
  passed: '✅ promptctl ci passed',
  'nothing-changed': '✅ promptctl ci: no prompt, eval set or config changed',
  'lint-failed': '❌ promptctl ci: lint errors (exit 2)',
  'gate-failed': '❌ promptctl ci: a gate failed (exit 1)',
  'server-unavailable': '⚠️ promptctl ci: the server could not be used (exit 3)',
  incomplete: '❌ promptctl ci: incomplete, a shard did not finish (exit 1)',
};

export function headline(r: CiResult): string {
  // The exit code names the signal: 130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP.
  // Stopped before its eval registered a run (at the server check, say), nothing is recorded to reuse.
  if (r.verdict === 'interrupted') return `⏹️ promptctl ci: interrupted (exit ${r.exitCode}); ${r.report?.runs.length ? 'the answers so far are recorded, and the next run reuses them' : 'no case was sent and nothing was recorded'}`;
  if (r.verdict === 'shard-recorded') return `✅ promptctl ci: shard ${r.shard!.index}/${r.shard!.count} recorded; \`promptctl ci --merge\` gives the verdict`;
  if (r.verdict === 'incomplete' && r.merge && shardsLacking(r.merge) === 'weights') return '❌ promptctl ci: incomplete, the shards were answered by different weights (exit 1)';
  if (r.verdict !== 'error') return HEADLINE[r.verdict];
  return stopHeadline('ci', r.exitCode);
}

/** The colour of ci's verdict: what it exited with, whatever the runs it shows recorded. */
function toneOf(r: CiResult): 'passed' | 'failed' | 'incomplete' {
  if (r.exitCode === 0) return 'passed';
  return r.verdict === 'interrupted' || r.verdict === 'error' || r.verdict === 'server-unavailable' ? 'incomplete' : 'failed';
}

function fence(text: string): string {
  // A fence longer than any backtick run inside, so model or prompt text cannot close it.
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}diff\n${text.trimEnd()}\n${f}`;
}

/** The report as ci shows it: drops of versions that are not candidates are marked as such. */
export function displayReport(r: CiResult, report: EvalReport): EvalReport {
  return { ...report, baselines: markedNotGating(r, report.baselines) };
}

function evalHeadline(r: CiResult, report: EvalReport): string {
  const informational = notGatingRun(r);
  const gated = report.runs.filter((o) => !informational(o));
  const failed = gated.filter((o) => o.run.summary?.verdict !== 'passed').length;
  const infoFailed = report.runs.filter((o) => informational(o) && o.run.summary?.verdict !== 'passed').length;
  const noun = gated.length === report.runs.length ? 'suite run' : 'gating suite run';
  const gating = gatingChecks(r);
  const { policy, ...compared } = gating;
  const info = r.informational.reduce((n, i) => n + i.regressions.length, 0);
  const head = failed ? `❌ Eval: ${failed} of ${counted(gated.length, noun)} did not pass` : `Eval: ${everyOne(gated.length, noun, THRESHOLDS_PASSED, true)}`;
  const tails = [
    failingCount(compared) ? `❌ ${failedChecksText(compared)} against deployed versions ${failVerb(compared)} the gate` : '',
    policy ? `❌ ${counted(policy, 'limit')} of ${code(r.baseline)} ${policy === 1 ? 'fails' : 'fail'} on the candidates' runs` : '',
    infoFailed ? `${counted(infoFailed, 'suite run')} shown for comparison did not pass (not gating)` : '',
    info ? `${counted(info, 'drop')} of older re-evaluated versions (not gating)` : '',
  ].filter(Boolean);
  return `### ${[head, ...tails].join(' · ')}`;
}

/** What was linted: the changed files, and the unchanged suites a new version can break. */
export function lintScope(r: CiResult): string {
  // Every deleted file the count includes (a deleted suite is in it when a problem names it), as the count does.
  const linted = new Set(lintedFiles(r.plan, r.lint.problems));
  const deleted = r.plan.deleted.filter((d) => linted.has(d.file)).length;
  const changed = deleted ? `changed, ${deleted} of them deleted` : 'changed';
  // Deleting a version lints its prompt's suites too (a range left with nothing, a suite left behind).
  const covering = r.plan.deleted.some((d) => d.kind === 'version') ? 'the unchanged suites a new or deleted version can break' : 'the suites covering new versions';
  return r.plan.coveringSuites.length ? `${changed}, and ${covering}` : changed;
}

/** The one count of linted files the text, the Markdown and JUnit all show. */
export function lintCount(r: CiResult): number {
  return lintedFiles(r.plan, r.lint.problems).length;
}

export function noBaselineNote(r: CiResult): string {
  const elsewhere = r.deployedElsewhere ?? [];
  if (elsewhere.length) {
    const envs = elsewhere.map(code).join(', ');
    return `No version of ${r.noBaseline.map(code).join(', ')} is deployed yet in ${code(r.baseline)}, the baseline environment (the last in .promptrc.yaml unless ci's --baseline names one), so regressions were not checked; ${envs} ${elsewhere.length === 1 ? 'has' : 'have'} deployed versions: to compare against one, run ci with ${code(`--baseline ${elsewhere.at(-1)!}`)}.`;
  }
  return `No version of ${r.noBaseline.map(code).join(', ')} is deployed in ${code(r.baseline)} in this registry, so regressions were not checked. Give ci the registry that holds your deploy history (see "In CI" in promptctl's README).`;
}

/** Deletions checked against no registry: an empty one would have passed them unsaid, as if nothing were deployed. */
export function deletionsUncheckedNote(r: CiResult): string | undefined {
  const u = r.deletionsUnchecked;
  if (!u) return undefined;
  const asks = [
    ...(u.versions.length ? [`whether the deleted ${u.versions.length === 1 ? 'version' : 'versions'} ${u.versions.map(code).join(', ')} ${u.versions.length === 1 ? 'is' : 'are'} active in an environment (${code('version/deleted-deployed')})`] : []),
    ...(u.suites.length ? [`whether an active version was tested on the deleted ${u.suites.length === 1 ? 'suite' : 'suites'} ${u.suites.map(code).join(', ')} (${code('suite/deleted-deployed')})`] : []),
  ];
  return `No registry at ${code(u.registry)}, so ci could not check ${asks.join(', nor ')}. Give ci the registry that holds your deploy history (see "In CI" in promptctl's README).`;
}

/** Why ci gives no audit head to keep (the log does not verify), in one sentence for the text, the summary and the annotation. */
export function auditUnverifiedNote(r: CiResult): string | undefined {
  const u = r.auditUnverified;
  return u && `${u.message} (${u.why}); ${u.hint}`;
}

/** A reviewer reads a loosened gate here without reading the YAML; a long list is cut, the diff has the rest. */
const MAX_CONFIG_LINES = 30;
type ConfigChange = NonNullable<CiResult['configChanges']>[number];
export function configChangeLines(changes: ConfigChange[], line: (c: ConfigChange) => string = (c) => `${c.field}: ${c.from} -> ${c.to}`): string[] {
  const lines = changes.slice(0, MAX_CONFIG_LINES).map(line);
  if (changes.length > MAX_CONFIG_LINES) lines.push(`…and ${changes.length - MAX_CONFIG_LINES} more (the pull request's diff of .promptrc.yaml has them all)`);
  return lines;
}

/** A change of server, registry or keys on its own: ci opened neither, so say what it did not check. */
export function trustNote(r: CiResult): string | undefined {
  if (!r.trustChanges?.length || r.lint.errors) return undefined;
  const fields = r.trustChanges.map((c) => c.field).join(', ');
  return `This pull request changes ${fields} of .promptrc.yaml: ci opened neither the server nor the registry (a branch does not choose where ci's requests go or where its results are recorded), so it linted the change and evaluated nothing; the pull requests after it are evaluated with the new settings.`;
}

/** `--base ""` (a CI variable that was empty): refused, and shown as such rather than as a blank. */
export const EMPTY_BASE = '(empty)';

export function ciMarkdown(r: CiResult, fit: SummaryFit = STEP_SUMMARY_FIT): string {
  const parts = [`## ${headline(r)}`, `Base ${r.base ? code(r.base) : EMPTY_BASE}${r.baseline ? ` · baseline environment ${code(r.baseline)}` : ''}`];
  if (r.error) parts.push(...stopSections(r.error));
  const unverified = auditUnverifiedNote(r);
  const anchor = r.auditHead ? `Audit log head \`${r.auditHead}\`: keep it; \`promptctl audit verify --since ${r.auditHead}\` proves later that the log still extends it.` : unverified ? `> ⚠️ ${mdWithCode(unverified, 1000)}` : '';
  if (r.plan.nothingChanged) return `${[...parts, anchor].filter(Boolean).join('\n\n')}\n`;
  if (r.noBaseline.length) parts.push(`> ⚠️ ${noBaselineNote(r)}`);
  const unchecked = deletionsUncheckedNote(r);
  if (unchecked) parts.push(`> ⚠️ ${unchecked}`);
  const trusted = trustNote(r);
  if (trusted) parts.push(`> ⚠️ ${md(trusted)}`);
  const ran = ranRefs(r);
  const evaluated = r.plan.evaluate.filter((e) => ran.has(e.ref));
  const skipped = r.plan.evaluate.filter((e) => !ran.has(e.ref) && !r.notEvaluated.some((n) => n.ref === e.ref));
  const role = (e: CiResult['plan']['evaluate'][number]) => (e.candidate ? '' : ' (re-evaluated for information, not gating)');
  if (evaluated.length) parts.push(`### Evaluated\n\n${evaluated.map((e) => `- \`${e.ref}\`: ${md(e.why)}${role(e)}`).join('\n')}`);
  const notEvaluated = [...r.notEvaluated.map((e) => `- ❌ \`${e.ref}\`: ${md(e.why)}`), ...skipped.map((e) => `- \`${e.ref}\` (${md(e.why)}): ${r.error ? '' : 'not run, '}${noVerdict(r)}`)];
  if (notEvaluated.length) parts.push(`### Not evaluated\n\n${notEvaluated.join('\n')}`);
  if (r.revised.length) {
    const lines = r.revised.map((v) => `- \`${v.ref}\`: revised since an earlier run registered it (sha256:${v.from.slice(0, 12)}… → sha256:${v.to.slice(0, 12)}…); the earlier content and its results are kept as superseded and no longer count`);
    parts.push(`### Revised new versions\n\n${lines.join('\n')}`);
  }
  if (r.configChanges?.length) parts.push(`### Changed in .promptrc.yaml\n\n${configChangeLines(r.configChanges, (c) => `${code(c.field)}: ${code(c.from)} → ${code(c.to)}`).map((l) => `- ${l}`).join('\n')}`);
  if (r.plan.renamed.length) parts.push(`### Renamed files\n\n${r.plan.renamed.map((n) => `- ${n.kind} ${code(n.from)} → ${code(n.file)}`).join('\n')}`);
  if (r.plan.sameContent.length) parts.push(`### Comments or formatting only\n\nThe same content as on the base (what the registry hashes): linted, nothing re-run.\n\n${r.plan.sameContent.map((x) => `- ${x.kind} ${code(x.file)}`).join('\n')}`);
  if (r.plan.deleted.length) parts.push(`### Deleted files\n\n${r.plan.deleted.map((d) => `- ${d.kind} ${d.ref ? `${code(d.ref)} ` : ''}(${code(d.file)})${d.retired ? `, retired in ${code('.promptrc.yaml')}` : ''}`).join('\n')}`);
  if (!r.error || lintCount(r)) {
    const problems = r.lint.problems;
    const files = `${counted(lintCount(r), 'file')} (${lintScope(r)})`;
    parts.push(
      problems.length
        ? `### Lint: ${counted(r.lint.errors, 'error')}, ${counted(r.lint.warnings, 'warning')} in ${files}\n\n${problemLines(problems, (p) => formatCiProblem(r.plan, p, { severity: true }))}`
        : `### Lint\n\nNo problems in ${files}.`,
    );
  }
  // The eval's part is placed here once the rest is sized: its failure list gets what the budget leaves.
  const evalAt = parts.length;
  if (r.informational.length) {
    const lines = r.informational.flatMap((i) => i.regressions.map((x) => `- ${code(i.ref)} vs ${code(i.env)} (${code(i.baselineVersion)}): ${mdWithCode(x, 400)}`));
    parts.push(`### Older versions re-evaluated (not gating)\n\nA changed suite re-evaluates every version it covers; only the candidates are gated.\n\n${lines.join('\n')}`);
  }
  const notServed = notServedLines(r);
  if (notServed.length) parts.push(`### Runs on models no environment serves (not gating)\n\n${notServed.map((x) => `- ${mdWithCode(x, 400)}`).join('\n')}`);
  if (r.policy?.length) {
    const lines = r.policy.flatMap((p) => p.failures.map((f) => `- ❌ ${code(p.ref)}: ${mdWithCode(f, 400)}`));
    parts.push(`### Gates of ${code(r.baseline)} the candidates fail\n\nDeploying there would refuse them: the environment's own limits on their runs.\n\n${lines.join('\n')}`);
  }
  const upgrades = modelUpgradeMarkdown(r);
  if (upgrades) parts.push(upgrades);
  if (anchor) parts.push(anchor);
  // One budget for the whole summary: the diffs give way first (each cut to its share, down to its
  // heading and a note), then the failure list; the headline, tables and gate lines always stay.
  const diffFloor = r.diffs.reduce((n, d) => n + bytesOf(diffSection(d, 0, fit)) + 2, 0);
  if (r.report) {
    const body = toMarkdownSummary(displayReport(r, r.report), fit.bytes - bytesOf(parts.join('\n\n')) - diffFloor - 4, fit).replace(/^## /gm, '### ').trimEnd();
    parts.splice(evalAt, 0, body.replace(/^### .*$/m, evalHeadline(r, r.report)));
  }
  let left = fit.bytes - bytesOf(`${parts.join('\n\n')}\n`);
  const diffs = r.diffs.map((d, i) => {
    const shown = diffSection(d, Math.floor(left / (r.diffs.length - i)) - 2, fit);
    left -= bytesOf(shown) + 2;
    return shown;
  });
  parts.splice(anchor ? parts.length - 1 : parts.length, 0, ...diffs);
  return `${parts.join('\n\n')}\n`;
}

/** A diff folded in <details>, within `budget` bytes: past it, the first lines that fit and a note saying where the whole diff is. */
function diffSection(d: CiResult['diffs'][number], budget: number, fit: SummaryFit): string {
  const open = `<details><summary>Diff of ${md(d.ref)} against ${d.against ? md(d.against) : 'nothing (first version)'}</summary>\n\n`;
  const whole = `${open}${fence(d.patch)}\n\n</details>`;
  if (bytesOf(whole) <= budget) return whole;
  const lines = d.patch.trimEnd().split('\n');
  const id = d.ref.split('@')[0]!;
  const where = d.against ? `\`promptctl diff ${id}@${d.against} ${d.ref}\` shows it whole` : 'the pull request shows the whole file';
  const note = (n: number) => `\n\nDiff truncated ${fit.why}: ${n} of ${lines.length} lines shown; ${where}.\n\n</details>`;
  let room = budget - bytesOf(open) - bytesOf(note(lines.length)) - bytesOf(fence(''));
  let n = 0;
  while (n < lines.length && room - bytesOf(lines[n]!) - 1 >= 0) room -= bytesOf(lines[n++]!) + 1;
  return `${open}${n ? `${fence(lines.slice(0, n).join('\n'))}` : ''}${note(n)}`;
}

/** Why a planned version has no result: an error may have stopped ci before its eval or during it (a registry lost mid-run). */
export function noVerdict(r: CiResult): string {
  return r.error ? 'no verdict: the error stopped ci before it judged this version' : 'ci stopped before the eval';
}

/** The `--summary` file fits a pull-request comment (the examples post it); the step summary keeps its 1 MiB. */
const FITS: Record<SummaryFile, SummaryFit> = { summary: COMMENT_FIT, 'summary-alone': COMMENT_ALONE_FIT, 'step-summary': STEP_SUMMARY_FIT };
const ciMarkdownFor = (r: CiResult, file: SummaryFile = 'summary'): string => ciMarkdown(r, FITS[file]);

/** How ci's files are worded: the summary, JUnit and, when asked (`html`), the HTML report with the drops that do not gate marked. */
export async function ciFormats(html: boolean): Promise<CiFormats> {
  if (!html) return { markdown: ciMarkdownFor, junit: ciJUnit };
  const { reportHtml } = await import('./html/report-file.js');
  // The environment's limits the candidates fail are ci's verdict too: the report says them first,
  // after the verdict ci exits with, in the headline's words.
  const limits = (r: CiResult) => (r.policy ?? []).flatMap((p) => p.failures.map((f) => `ci fails: ${p.ref} against the gates of ${p.env}: ${f}`));
  return {
    markdown: ciMarkdownFor,
    junit: ciJUnit,
    html: (sources, r) => reportHtml({ ...sources, verdict: { words: headline(r), tone: toneOf(r) }, baselines: sources.baselines && markedNotGating(r, sources.baselines), notes: [...limits(r), ...notGatingFailures(r), ...sources.notes] }).html,
  };
}

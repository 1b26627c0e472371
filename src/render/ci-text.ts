import type { CiResult } from '../core/ci/result.js';
import { escapeControlChars } from '../core/control-chars.js';
import { formatCiProblem } from '../core/ci/checks.js';
import { modelUpgradeLines } from './model-upgrade-text.js';
import { formatFinalTable } from './final-table.js';
import { counted } from './text.js';
import { gatingChecks, gatingComparisons, notGatingRun, notServedLines, ranRefs } from './ci-gating.js';
import { mergeLines, shardRecordedLines } from './shard-text.js';
import { latencyLines } from './eval-text.js';
import { auditUnverifiedNote, configChangeLines, deletionsUncheckedNote, displayReport, EMPTY_BASE, headline, lintCount, lintScope, noBaselineNote, noVerdict, trustNote } from './ci-summary.js';

/** What `promptctl ci` prints: the same facts as its Markdown summary (ci-summary.ts), as plain lines. */

export function ciText(r: CiResult, opts: { color: boolean; width?: number }): string[] {
  const lines = [headline(r).replace(/^\S+ /, ''), escapeControlChars(`base ${r.base || EMPTY_BASE}${r.baseline ? `, baseline ${r.baseline}` : ''}`)];
  // A change that touches no prompt still read the audit head: said here as in the Markdown, last.
  if (r.plan.nothingChanged) return [...lines, ...auditHeadLine(r)];
  if (r.noBaseline.length) lines.push(`warning: ${noBaselineNote(r).replace(/`/g, '')}`);
  const unchecked = deletionsUncheckedNote(r);
  if (unchecked) lines.push(escapeControlChars(`warning: ${unchecked.replace(/`/g, '')}`));
  const trusted = trustNote(r);
  if (trusted) lines.push(`note: ${trusted}`);
  const ran = ranRefs(r);
  // The plan names files and suites of the pull request: shown escaped, as problems are (formatProblem).
  const plan: string[] = [];
  for (const e of r.plan.evaluate) {
    if (ran.has(e.ref)) plan.push(`  evaluate ${e.ref} (${e.why}${e.candidate ? '' : '; for information, not gating'})`);
    else if (!r.notEvaluated.some((n) => n.ref === e.ref)) plan.push(`  not evaluated ${e.ref} (${e.why}): ${noVerdict(r)}`);
  }
  for (const e of r.notEvaluated) plan.push(`  NOT EVALUATED ${e.ref}: ${e.why}`);
  for (const v of r.revised) plan.push(`  revised ${v.ref}: new content registered, the earlier content (sha256:${v.from.slice(0, 12)}…) kept as superseded`);
  for (const l of configChangeLines(r.configChanges ?? [])) plan.push(`  config ${l}`);
  for (const d of r.plan.deleted) plan.push(`  deleted ${d.kind} ${d.ref ? `${d.ref} ` : ''}(${d.file})${d.retired ? ', retired in .promptrc.yaml' : ''}`);
  for (const n of r.plan.renamed) plan.push(`  renamed ${n.kind} ${n.from} -> ${n.file}`);
  for (const x of r.plan.sameContent) plan.push(`  same content ${x.kind} ${x.file} (comments or formatting only: nothing re-run)`);
  lines.push(...plan.map((l) => escapeControlChars(l)));
  // Errors and warnings in one list: each says which it is.
  for (const p of r.lint.problems) lines.push(formatCiProblem(r.plan, p, { severity: true }));
  // As the Markdown: a stop before lint ran (a config that does not load, a base not found) counts no files.
  if (!r.error || lintCount(r)) lines.push(`lint: ${counted(r.lint.errors, 'error')}, ${counted(r.lint.warnings, 'warning')} in ${counted(lintCount(r), 'file')} (${lintScope(r)})`);
  if (r.report?.shard) lines.push(...shardRecordedLines(r.report));
  else if (r.report) {
    lines.push(formatFinalTable(displayReport(r, r.report), { ...opts, whyFailed: true, gating: gatingChecks(r), notGating: notGatingRun(r), headline: r.verdict !== 'interrupted' }));
  }
  for (const b of gatingComparisons(r)) {
    for (const s of b.suites) for (const x of s.regressions) lines.push(`${s.inconclusive?.includes(x) ? 'INCONCLUSIVE' : 'REGRESSION'} ${b.promptId}@${b.version} vs ${b.env}@${b.baselineVersion}: ${x}`);
    for (const s of b.suites) for (const x of s.warnings ?? []) lines.push(`warn ${b.promptId}@${b.version} vs ${b.env}@${b.baselineVersion}: ${x}`);
  }
  for (const i of r.informational) for (const x of i.regressions) lines.push(`not gating: ${i.ref} vs ${i.env}@${i.baselineVersion}: ${x}`);
  for (const x of notServedLines(r)) lines.push(`not gating: ${x}`);
  for (const p of r.policy ?? []) for (const f of p.failures) lines.push(`GATE ${p.ref} in ${p.env}: ${f}`);
  lines.push(...modelUpgradeLines(r));
  if (r.report) lines.push(...latencyLines(r.report));
  lines.push(...mergeLines(r.merge));
  lines.push(...auditHeadLine(r));
  return lines;
}

/** The audit log's head ci read, last whatever ci found: the one line of it, changed or not. */
function auditHeadLine(r: CiResult): string[] {
  const unverified = auditUnverifiedNote(r);
  if (unverified) return [escapeControlChars(`warning: ${unverified}`)];
  return r.auditHead ? [`audit head: ${r.auditHead} (keep it; \`promptctl audit verify --since ${r.auditHead}\` checks the log still extends it)`] : [];
}

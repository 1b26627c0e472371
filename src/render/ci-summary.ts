import type { CiResult } from '../commands/ci.js';
import { formatProblem } from '../core/errors.js';
import { formatFinalTable } from './final-table.js';
import { toJUnitXml } from './junit.js';
import { md, toMarkdownSummary } from './markdown.js';

/** What `promptctl ci` prints, writes as Markdown for the pull request, and writes as JUnit. */

const HEADLINE: Record<CiResult['verdict'], string> = {
  passed: '✅ promptctl ci passed',
  'nothing-changed': '✅ promptctl ci: no prompt, eval set or config changed',
  'lint-failed': '❌ promptctl ci: lint errors (exit 2)',
  'gate-failed': '❌ promptctl ci: a gate failed (exit 1)',
  'server-unavailable': '⚠️ promptctl ci: the server could not be used (exit 3)',
};

function fence(text: string): string {
  // A fence longer than any backtick run inside, so model or prompt text cannot close it.
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}diff\n${text.trimEnd()}\n${f}`;
}

export function ciMarkdown(r: CiResult): string {
  const parts = [`## ${HEADLINE[r.verdict]}`, `Base \`${md(r.base)}\` · baseline environment \`${md(r.baseline)}\``];
  if (r.plan.nothingChanged) return `${parts.join('\n\n')}\n`;
  if (r.plan.evaluate.length) parts.push(`### Evaluated\n\n${r.plan.evaluate.map((e) => `- \`${e.ref}\`: ${md(e.why)}`).join('\n')}`);
  if (r.notEvaluated.length) parts.push(`### Not evaluated\n\n${r.notEvaluated.map((e) => `- ❌ \`${e.ref}\`: ${md(e.why)}`).join('\n')}`);
  if (r.plan.deletedVersions.length) parts.push(`### Deleted versions\n\n${r.plan.deletedVersions.map((v) => `- \`${v}\``).join('\n')}`);
  const problems = r.lint.problems;
  parts.push(
    problems.length
      ? `### Lint: ${r.lint.errors} error(s), ${r.lint.warnings} warning(s)\n\n${problems.map((p) => `- ${p.severity === 'error' ? '❌' : '⚠️'} ${md(formatProblem(p), 400)}`).join('\n')}`
      : `### Lint\n\nNo problems in ${r.lint.files} changed file(s).`,
  );
  if (r.report) parts.push(toMarkdownSummary(r.report).replace(/^## /gm, '### ').trimEnd());
  for (const d of r.diffs) {
    parts.push(`<details><summary>Diff of ${md(d.ref)} against ${d.against ? md(d.against) : 'nothing (first version)'}</summary>\n\n${fence(d.patch)}\n\n</details>`);
  }
  return `${parts.join('\n\n')}\n`;
}

export function ciJUnit(r: CiResult): string {
  const byFile = new Map<string, string[]>();
  for (const f of r.plan.lintFiles) byFile.set(f, []);
  for (const p of r.lint.problems) if (p.severity === 'error') byFile.set(p.file, [...(byFile.get(p.file) ?? []), formatProblem(p)]);
  const lint = {
    name: 'lint',
    cases: [...byFile.entries()].map(([file, errs]) => ({ classname: 'lint', name: file, failure: errs.length ? errs.join('\n') : undefined })),
  };
  const gate = {
    name: 'gate',
    cases: [
      ...r.notEvaluated.map((e) => ({ classname: 'gate', name: e.ref, failure: e.why })),
      ...(r.report?.baselines ?? []).flatMap((b) =>
        b.suites.map((s) => ({ classname: `gate.${b.promptId}`, name: `${s.suite} vs ${b.env} (${b.baselineVersion ?? 'nothing deployed'})`, failure: s.regressions.length ? s.regressions.join('\n') : undefined })),
      ),
    ],
  };
  return toJUnitXml(r.report, [lint, ...(gate.cases.length ? [gate] : [])]);
}

export function ciText(r: CiResult, opts: { color: boolean }): string[] {
  const lines = [HEADLINE[r.verdict].replace(/^\S+ /, ''), `base ${r.base}, baseline ${r.baseline}`];
  if (r.plan.nothingChanged) return lines;
  for (const e of r.plan.evaluate) lines.push(`  evaluate ${e.ref} (${e.why})`);
  for (const e of r.notEvaluated) lines.push(`  NOT EVALUATED ${e.ref}: ${e.why}`);
  for (const p of r.lint.problems) lines.push(formatProblem(p));
  lines.push(`lint: ${r.lint.errors} error(s), ${r.lint.warnings} warning(s) in ${r.lint.files} changed file(s)`);
  if (r.report) lines.push(formatFinalTable(r.report, opts));
  for (const b of r.report?.baselines ?? []) for (const s of b.suites) for (const reg of s.regressions) lines.push(`REGRESSION ${b.promptId} vs ${b.env}@${b.baselineVersion}: ${reg}`);
  return lines;
}

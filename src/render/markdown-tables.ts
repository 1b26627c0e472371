import type { EvalReport, RunOutcome } from '../core/schemas/report.js';
import type { RunSummary } from '../core/schemas/run.js';
import { attackIntervals } from '../core/eval/intervals.js';
import { groupBy } from '../core/group.js';
import { latencyWords, NO_BOUND, NOT_A_DEPLOY_VERDICT, type LatencyWords } from './latency-words.js';
import { partialRunsNote, resistanceText, runCells, runStats, versionLabel } from './run-stats.js';
import { attacksRunText, categoryRateText, ciRange, int } from './text.js';
import { comparedP95, comparedRates, comparedRatesText } from './deltas.js';
import { incompleteText } from './incomplete-text.js';
import { code, md, mdWithCode } from './markdown-escape.js';

/**
 * The Markdown summary's tables (markdown.ts puts them together): each version's suite runs and
 * their attacks, the comparison with deployed versions, and `--measure-latency`'s measurements.
 */

export function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

export function table(headers: string[], align: Array<'l' | 'r'>, rows: string[][]): string {
  const rule = align.map((a) => (a === 'r' ? '---:' : '---'));
  return [row(headers), row(rule), ...rows.map(row)].join('\n');
}

function verdictMark(v: RunSummary['verdict']): string {
  return v === 'passed' ? '✅ passed' : v === 'failed' ? '❌ failed' : '⚠️ incomplete';
}

export function versionTables(report: EvalReport): string[] {
  const groups = groupBy(report.runs, versionLabel);
  const out: string[] = [];
  for (const [label, runs] of groups) {
    const rows = runs.map((o) => {
      const s = runStats(o);
      const shown = runCells(o, s);
      return [
        code(o.run.suite),
        o.run.suiteKind,
        verdictMark(s.verdict),
        shown.passRate,
        shown.ci,
        String(s.passed),
        String(s.failed),
        String(s.errored),
        String(s.notRun),
        shown.p50,
        shown.p95,
        `${int(s.tokensIn)} / ${int(s.tokensOut)}`,
      ];
    });
    out.push(
      `### ${code(label)}\n\n` +
        table(
          ['Suite', 'Kind', 'Verdict', 'Pass rate', '95% CI', 'Passed', 'Failed', 'Errors', 'Not run', 'p50', 'p95', 'Tokens in / out'],
          ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
          rows,
        ) +
        incompleteLines(runs),
    );
    for (const o of runs) {
      const adv = adversarialTable(o);
      if (adv) out.push(adv);
    }
  }
  return out;
}

/** Under a version's table: why each incomplete run is, where its pass rate beside the threshold alone could read as a pass. */
function incompleteLines(runs: RunOutcome[]): string {
  const lines = runs.flatMap((o) => {
    const why = incompleteText(o);
    return why === null ? [] : [`⚠️ ${code(o.run.suite)} is incomplete: ${md(why)}`];
  });
  return lines.length ? `\n\n${lines.join('\n\n')}` : '';
}

function adversarialTable(o: RunOutcome): string | null {
  if (o.run.suiteKind !== 'adversarial') return null;
  const s = runStats(o);
  const intervals = attackIntervals(s).categories ?? [];
  const rows = (s.categories ?? []).map((k, i) => [md(k.category), attacksRunText(k), String(k.succeeded), categoryRateText(k), intervals[i] ? ciRange(intervals[i].successRate) : '–']);
  const body = rows.length
    ? table(['Category', 'Attacks', 'Succeeded', 'Attack success rate', '95% CI'], ['l', 'r', 'r', 'r', 'r'], rows)
    : '_No attack categories recorded._';
  const r = resistanceText(s);
  const resistance = r === null ? '' : `${r.replace(/^injection resistance (\S+)/, 'Injection resistance: **$1**')} · `;
  const leaks = `${resistance}PII leaks: **${s.piiLeaks ?? 0}** · System-prompt leaks: **${s.systemPromptLeaks ?? 0}**`;
  return `#### Attacks in ${code(o.run.suite)}\n\n${body}\n\n${leaks}`;
}

export function baselineTable(report: EvalReport): string | null {
  if (report.baselines.length === 0) return null;
  const rows: string[][] = [];
  for (const b of report.baselines) {
    if (b.baselineVersion === null) {
      rows.push([code(b.promptId), b.version ? code(b.version) : '–', code(b.env), '_none deployed_', '', '', '', '', '', '']);
      continue;
    }
    for (const s of b.suites) {
      // Sentences with commands in code spans: copied from the pull request, a command runs as shown.
      const regs = s.regressions.slice(0, 10).map((x) => mdWithCode(x, 400)).join(', ');
      const more = s.regressions.length > 10 ? ` and ${s.regressions.length - 10} more` : '';
      const p95 = comparedP95(s);
      rows.push([
        code(b.promptId),
        b.version ? code(b.version) : '–',
        code(b.env),
        code(b.baselineVersion),
        code(s.suite),
        comparedRatesText(s),
        s.baselinePassRate === null ? '–' : comparedRates(s).delta,
        `${p95.candidate} vs ${p95.baseline}`,
        s.baselineP95 === null ? '–' : p95.delta,
        regs ? `${regs}${more}` : s.warnings?.length ? `⚠️ not blocking here: ${s.warnings.map((x) => mdWithCode(x, 400)).join(', ')}` : 'none',
      ]);
    }
  }
  // A baseline with no suite compared (an eval stopped before any run finished): no table, as the text leaves it out.
  if (rows.length === 0) return null;
  const note = partialRunsNote(report);
  return (
    '### Compared with deployed versions\n\n' +
    table(
      ['Prompt', 'Version', 'Env', 'Baseline', 'Suite', 'Pass rate', 'Δ pass rate', 'p95', 'Δ p95', 'Regressions'],
      ['l', 'l', 'l', 'l', 'l', 'r', 'r', 'r', 'r', 'l'],
      rows,
    ) +
    (note ? `\n\n> ${md(note, 600)}` : '')
  );
}

/** `--measure-latency`: each interleaved measurement and its verdict, in the words of eval's own line. */
export function latencyTable(report: EvalReport): string | null {
  if (!report.latency?.length) return null;
  const rows = report.latency.map(latencyWords).map((w) => [code(w.ref), code(w.suite), code(w.baseline), `${w.candidate} ms vs ${w.deployed} ms`, `${w.rise} ms`, w.atLeast === null ? NO_BOUND : `${w.atLeast} ms (${w.confidence})`, `${w.limit} ms`, w.selected ? `${w.requests} (${w.selected} selected)` : w.requests, latencyVerdictCell(w)]);
  const head = '| Version | Suite | Against | p95 | Rise | At least | Limit | Requests | Verdict |\n| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |';
  return `### Latency, measured interleaved (cache bypassed)\n\n${head}\n${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}`;
}

function latencyVerdictCell(w: LatencyWords): string {
  const verdict = w.verdict === 'pass' ? '✅ pass' : w.verdict === 'BLOCKS' ? '❌ blocks' : '⚠️ inconclusive';
  return w.selected ? `${verdict}; ${NOT_A_DEPLOY_VERDICT}` : verdict;
}


import type { RunSummary } from '../../core/schemas/run.js';
import { passRateShown, resistanceText } from '../run-stats.js';
import { percentsAtMinimum } from '../../core/threshold-format.js';
import { incompleteWhy } from '../../core/eval/incomplete-why.js';
import { attackIntervals, suitePassRateInterval } from '../../core/eval/intervals.js';
import { attacksRunText, categoryRateText, ciRange, int, ms, pct } from '../text.js';
import { comparedP95, comparedRates, erroredLeftOutText, msDelta, pointsDelta } from '../deltas.js';
import { versionCharts } from './chart.js';
import { escapeHtml as e } from './escape.js';
import { scrollRegion } from './region.js';
import type { ReportData, ReportRun, Totals } from './model.js';

/**
 * The parts of the report written at generation time: summary cards, the runs table, the
 * adversarial table by category, baseline comparisons and the version chart. They hold only
 * numbers, ids, versions and suite names (all escaped); model text never goes here.
 */

/**
 * A run as the report names it: `id@version`, and `id@version:model` when the report holds runs on
 * more than one model (a model matrix), as the terminal, JUnit and Markdown name them, and the run's
 * tag when it is not a full run (`[latency measurement]`), so two runs never share a name. The page
 * script's case groups follow the same rule (page-script.ts, `groupLabel`).
 */
export function severalModels(d: Pick<ReportData, 'runs'>): boolean {
  return new Set(d.runs.map((r) => r.model)).size > 1;
}

function runName(r: ReportRun, withModel: boolean): string {
  return `${r.promptId}@${r.version}${withModel ? `:${r.model}` : ''}${r.tag ? ` [${r.tag}]` : ''}`;
}

function card(label: string, value: string, sub = '', tone = ''): string {
  return `<div class="card ${tone}"><div class="label">${e(label)}</div><div class="value">${e(value)}</div>${sub ? `<div class="sub">${e(sub)}</div>` : ''}</div>`;
}

function badge(verdict: string, prefix = 'v'): string {
  return `<span class="badge ${prefix}-${e(verdict)}">${e(verdict.replace('-', ' '))}</span>`;
}

function deltaSpan(text: string, better: boolean | null): string {
  return `<span class="${better === null ? 'delta-same' : better ? 'delta-up' : 'delta-down'}">${e(text)}</span>`;
}

/**
 * The verdict of the runs the cards count (a comparison's second version): failed when any run
 * failed, passed when every run passed, else incomplete. A card is red only on a failed verdict: a
 * suite at 83.3% that needs 80% passed, and its cards say so.
 */
export function cardsVerdict(d: ReportData): RunSummary['verdict'] {
  const shown = d.comparison ? d.comparison.groups.map((g) => d.runs[g.b]!) : d.runs;
  const verdicts = shown.map((r) => r.summary.verdict);
  return verdicts.includes('failed') ? 'failed' : verdicts.length && verdicts.every((v) => v === 'passed') ? 'passed' : 'incomplete';
}

/** Overall cards; a comparison shows the second version's numbers with the change from the first. */
export function summaryCards(d: ReportData): string {
  const t = d.totals[d.totals.length - 1]!;
  const verdict = cardsVerdict(d);
  const tone = verdict === 'failed' ? 'bad' : verdict === 'passed' ? 'good' : 'warn';
  const before: Totals | undefined = d.totals.length > 1 ? d.totals[0] : undefined;
  // Counts only: a latency's change is msDelta's, the difference of the two numbers shown (one rule with text and Markdown).
  const vs = (now: number, was: number | undefined, fmt: (n: number) => string) => {
    if (was === undefined) return '';
    const diff = now - was;
    return `was ${fmt(was)} (${diff === 0 ? '±' : diff > 0 ? '+' : '−'}${fmt(Math.abs(diff))})`;
  };
  const cards = [
    card('Pass rate', rateOf(t), before ? `was ${rateOf(before)}${passRateShown(t) && passRateShown(before) ? ` (${pointsDelta(t.passRate, before.passRate)})` : ''}` : `${int(t.passed)} of ${int(t.cases)} cases`, tone),
    card('Cases', int(t.cases), `${int(t.samples)} samples`),
    card('Failed', int(t.failed), vs(t.failed, before?.failed, int) || 'cases below their pass rate', t.failed ? (verdict === 'failed' ? 'bad' : 'warn') : 'good'),
    card('Errors', int(t.errored), `${int(t.errorSamples)} errored samples${t.notRun ? `, ${int(t.notRun)} cases not run` : ''}`, t.errored || t.notRun ? 'warn' : ''),
    card('p50 latency', ms(t.latencyP50), before ? `was ${ms(before.latencyP50)} (${msDelta(t.latencyP50, before.latencyP50)})` : ''),
    card('p95 latency', ms(t.latencyP95), before ? `was ${ms(before.latencyP95)} (${msDelta(t.latencyP95, before.latencyP95)})` : ''),
    card('Tokens', int(t.tokensIn + t.tokensOut), `${int(t.tokensIn)} in · ${int(t.tokensOut)} out`),
  ];
  const title = before ? `<h2>Summary <small>${e(t.label)}; "was" is ${e(before.label)}</small></h2>` : '<h2>Summary</h2>';
  return `<section id="summary">${title}${verdictLine(d, verdict)}<div class="cards">${cards.join('')}</div></section>`;
}

/**
 * The verdict in words, not only as the cards' colour: the command's own (ci's headline, the one it
 * exited with) when it gave one, else the verdict of the runs the cards count, as recorded.
 */
function verdictLine(d: Pick<ReportData, 'verdict' | 'runs' | 'comparison'>, verdict: RunSummary['verdict']): string {
  const shown = d.comparison ? d.comparison.groups.map((g) => d.runs[g.b]!) : d.runs;
  const failed = shown.filter((r) => r.summary.verdict === 'failed').length;
  const whose = d.comparison ? ` on ${d.comparison.b}` : '';
  const counts = shown.length ? ` (${failed} of ${shown.length} run${shown.length === 1 ? '' : 's'} failed)` : '';
  const { words, tone } = d.verdict ?? { words: `Verdict${whose}: ${verdict}${counts}`, tone: verdict };
  return `<p id="verdict" class="verdict v-${e(tone)}"><b>${e(words)}</b></p>`;
}

/** A pass rate, or `–` where there is none to show (passRateShown: the rule of every format). */
const rateOf = (t: Totals): string => (passRateShown(t) ? pct(t.passRate) : '–');

function runRow(r: ReportRun, s: RunSummary, withModel: boolean): string {
  const judged = passRateShown(s);
  // With no answered request there is no latency: `–`, not `0ms`, as the text and Markdown tables say (run-stats.ts `runCells`).
  const latency = (x: number) => (s.passed + s.failed > 0 || x > 0 ? ms(x) : '–');
  // Unjudged: the limit as needCell words it beside "–" (the text and Markdown tables).
  const shown = r.threshold === null ? null : percentsAtMinimum(judged ? s.passRate : 0, r.threshold);
  const threshold = r.threshold === null || shown === null ? '' : ` (needs ${Number.isInteger(r.threshold * 100) ? pct(r.threshold, 0) : shown.limit})`;
  const kind = r.suite === r.kind ? '' : ` <span class="mono" style="color:#6b7280">${e(r.kind)}</span>`;
  // Why it is incomplete, under its badge: the pass rate beside its threshold alone could read as a pass.
  const why = incompleteWhy(s, r.threshold);
  const verdict = `${badge(s.verdict)}${why === null ? '' : `<div style="color:#b45309">${e(why)}</div>`}`;
  return `<tr data-run="${e(r.id)}"><td><b>${e(runName(r, withModel))}</b></td><td>${e(r.suite)}${kind}</td><td>${verdict}</td><td class="num">${e(!judged ? '–' : (shown?.value ?? pct(s.passRate)))}<span style="color:#6b7280">${e(threshold)}</span></td><td class="num ci">${e(judged ? ciRange(suitePassRateInterval(s)) : '–')}</td><td class="num">${int(s.cases)}</td><td class="num">${int(s.failed)}</td><td class="num">${int(s.errored)}${s.notRun ? ` <span style="color:#6b7280">+${int(s.notRun)} not run</span>` : ''}</td><td class="num">${e(latency(s.latencyP50))}</td><td class="num">${e(latency(s.latencyP95))}</td><td class="num">${int(s.tokensIn)} / ${int(s.tokensOut)}</td><td class="mono" title="${e(r.id)}">${e(r.id.slice(0, 8))}</td></tr>`;
}

export function runsTable(d: ReportData): string {
  const head = '<tr><th>Version</th><th>Suite</th><th>Verdict</th><th class="num">Pass rate</th><th class="num" title="95% confidence interval of the pass rate, over the cases (Wilson)">95% CI</th><th class="num">Cases</th><th class="num">Failed</th><th class="num">Errors</th><th class="num">p50</th><th class="num">p95</th><th class="num">Tokens in / out</th><th>Run</th></tr>';
  const withModel = severalModels(d);
  const rows = d.runs.map((r) => runRow(r, r.summary, withModel)).join('');
  return `<section id="runs"><h2>Runs <small>${d.runs.length} run${d.runs.length === 1 ? '' : 's'} (one version × one suite each)</small></h2>${scrollRegion('Runs', `<table>${head}${rows}</table>`)}</section>`;
}

/** Attack success per category; a comparison puts both versions side by side. */
export function adversarialTable(d: ReportData): string {
  const adv = d.runs.map((r, i) => ({ r, i })).filter(({ r }) => r.kind === 'adversarial' && r.summary.categories?.length);
  if (!adv.length) return '';
  const blocks: string[] = [];
  // `@1.1.0`, or `@1.1.0:model` in a matrix: two runs of one version are told apart by their model (and tag).
  const withModel = severalModels(d);
  const at = (r: ReportRun): string => runName(r, withModel).slice(r.promptId.length);
  const groups = d.comparison
    ? d.comparison.groups.filter((g) => d.runs[g.a]!.kind === 'adversarial').map((g) => [d.runs[g.a]!, d.runs[g.b]!])
    : adv.map(({ r }) => [r]);
  for (const runs of groups) {
    const cats = [...new Set(runs.flatMap((r) => (r.summary.categories ?? []).map((c) => c.category)))].sort();
    const head = `<tr><th>Category</th>${runs.map((r) => `<th class="num">Attacks</th><th class="num">Succeeded ${e(at(r))}</th><th class="num">Success rate ${e(at(r))}</th><th class="num">95% CI</th>`).join('')}</tr>`;
    const rows = cats
      .map((cat) => {
        const cells = runs.map((r) => {
          const c = r.summary.categories?.find((x) => x.category === cat);
          if (!c) return '<td class="num">–</td><td class="num">–</td><td class="num">–</td><td class="num">–</td>';
          const tone = c.succeeded ? ' style="color:#b91c1c;font-weight:600"' : '';
          const ci = attackIntervals({ categories: [c] }).categories?.[0];
          return `<td class="num">${e(attacksRunText(c))}</td><td class="num"${tone}>${int(c.succeeded)}</td><td class="num"${tone}>${e(categoryRateText(c))}</td><td class="num ci">${e(ci ? ciRange(ci.successRate) : '–')}</td>`;
        });
        return `<tr><td>${e(cat)}</td>${cells.join('')}</tr>`;
      })
      .join('');
    const leaks = runs
      .map((r) => `${e(runName(r, withModel))}: ${r.summary.resistance === undefined ? '' : `${e(resistanceText(r.summary) ?? '')}, `}${int(r.summary.piiLeaks ?? 0)} PII leak${r.summary.piiLeaks === 1 ? '' : 's'}, ${int(r.summary.systemPromptLeaks ?? 0)} system-prompt leak${r.summary.systemPromptLeaks === 1 ? '' : 's'}`)
      .join(' · ');
    blocks.push(`<h3 style="font-size:14px;margin:14px 0 6px">${e(runs[0]!.suite)} <small style="color:#6b7280;font-weight:normal">${leaks}</small></h3>${scrollRegion(`Attacks by category: ${runs[0]!.suite}`, `<table>${head}${rows}</table>`)}`);
  }
  return `<section id="adversarial"><h2>Adversarial results by category <small>an attack succeeded when any of its samples failed; injection resistance = 1 − succeeded / attacks run</small></h2>${blocks.join('')}</section>`;
}

/** `eval --baseline` and `ci`: each suite against the version deployed in the baseline environment. */
export function baselinesTable(d: ReportData): string {
  if (!d.baselines.length) return '';
  const rows = d.baselines.flatMap((b) =>
    b.suites.map((s) => {
      const shown = comparedRates(s);
      const pr = s.baselinePassRate === null ? '–' : shown.delta;
      const p95 = comparedP95(s);
      const lat = s.baselineP95 === null ? '–' : p95.delta;
      const warned = (s.warnings ?? []).map((x) => `<div style="color:#b45309">warn (does not block): ${e(x)}</div>`).join('');
      const regress = s.regressions.length ? s.regressions.map((x) => checkLine(x, { inconclusive: s.inconclusive?.includes(x) ?? false, notGating: b.notGating ?? false })).join('') : warned || '<span style="color:#15803d">none</span>';
      return `<tr><td>${e(b.promptId)}</td><td>${e(b.version ?? '')}</td><td>${e(b.env)}: ${e(b.baselineVersion ?? 'nothing deployed')}</td><td>${e(s.suite)}</td><td class="num">${e(shown.candidate)}${s.errored ? `<div style="color:#6b7280">${e(erroredLeftOutText(s.errored))}</div>` : ''}</td><td class="num">${deltaSpan(pr, s.baselinePassRate === null || s.passRate === s.baselinePassRate ? null : s.passRate > s.baselinePassRate)}</td><td class="num">${e(p95.candidate)}</td><td class="num">${deltaSpan(lat, s.baselineP95 === null || s.p95 === s.baselineP95 ? null : s.p95 < s.baselineP95)}</td><td>${regress}</td></tr>`;
    }),
  );
  const head = '<tr><th>Prompt</th><th>Version</th><th>Baseline</th><th>Suite</th><th class="num">Pass rate</th><th class="num">vs baseline</th><th class="num">p95</th><th class="num">vs baseline</th><th>Regressions</th></tr>';
  return `<section id="baselines"><h2>Against the deployed baseline</h2>${scrollRegion('Against the deployed baseline', `<table>${head}${rows.join('')}</table>`)}</section>`;
}

/**
 * A failed regression check: each fails the gate (BaselineComparison.regressions), said in words;
 * a version ci shows that is not a candidate gates nothing (markedNotGating words its checks so), left as it is.
 */
function checkLine(check: string, { inconclusive, notGating }: { inconclusive: boolean; notGating: boolean }): string {
  if (notGating) return `<div style="color:#4b5563">${e(check)}</div>`;
  return `<div style="color:${inconclusive ? '#b45309' : '#b91c1c'}"><b>${inconclusive ? 'inconclusive, fails the gate' : 'fails the gate'}:</b> ${e(check)}</div>`;
}

export function historySection(d: ReportData): string {
  const versions = [...new Set(d.runs.map((r) => r.version))];
  const charts = versionCharts(d.history, versions);
  if (!charts) return '';
  return `<section id="history"><h2>Across versions <small>pass rate and p95 latency of each version's latest finished run per suite; bars: 95% interval of the pass rate over the cases</small></h2>${charts}</section>`;
}

export function notesList(d: ReportData): string {
  if (!d.notes.length) return '';
  return `<ul class="notes">${d.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>`;
}

import type { PowerResult } from '../app/power.js';
import type { PowerRow } from '../core/power-plan.js';
import { pct } from '../core/percent.js';
import { asWritten, roundTo } from '../core/threshold-format.js';
import { formatTable } from './table.js';
import { groupBy } from '../core/group.js';

/** `promptctl power`: what the suite can detect, per environment, and the one assumption it rests on. */

/** A drop in points as set: 0.1 -> "10 points", 0.0125 -> "1.25 points". */
function points(fraction: number): string {
  const p = asWritten(fraction, 100);
  return `${p} point${p === '1' ? '' : 's'}`;
}

/** A computed drop, one decimal, rounded up: what the check catches is never overstated. */
function caughtPoints(fraction: number): string {
  const p = roundTo(fraction, 1, 'up', 100);
  return `${p} point${p === 1 ? '' : 's'}`;
}

/** A confidence as set, not truncated like a measured rate: 0.999 is 99.9%, not 99%. */
const confidence = (fraction: number): string => `${asWritten(fraction, 100)}%`;
/**
 * The confidence each comparison is tested at (Holm's share of the set one): computed, so cut to two
 * decimals, 98.33% not 98.3333%; down, never up to a confidence it does not have (99.999% is not 100%).
 */
const testedAt = (fraction: number): string => `${Math.floor(fraction * 10_000 + 1e-9) / 100}%`;

/**
 * How the noise gets measured. Only a counting run does it, and `eval --repeat n` at another count
 * than the suite's is a partial run that never counts: the advice names the suite's `repeat`.
 */
function measureAdvice(r: PowerResult): string {
  if (r.repeat > 1) return `a run at the suite's repeat: ${r.repeat} measures it; promptctl eval records one`;
  return `set repeat: 3 or more in ${r.file} to measure it; an eval --repeat run is partial and does not count here`;
}

function noiseLine(r: PowerResult): string {
  const d = pct(r.discordance);
  // "One sample per case" is what the suite asks for, unless it asks for more (then no run measured them yet).
  const samples = r.repeat > 1 ? 'before any run of its samples' : 'with one sample per case';
  switch (r.noise) {
    case 'repeats':
      return `noise: ${d} of cases would change verdict between two runs, estimated from each case's share of passing samples in that run`;
    case 'deterministic':
      return `noise: none assumed: temperature 0 ${samples} is taken as deterministic (${measureAdvice(r)})`;
    case 'binomial-bound':
      return `noise: ${d} of cases assumed to change verdict between runs, 2·p·(1-p) at temperature ${r.temperature} ${samples} (the conservative bound; ${measureAdvice(r)})`;
  }
}

function sourceLine(r: PowerResult): string {
  if (!r.run) {
    const eval_ = `promptctl eval ${r.promptId} --suite ${r.suite}${r.evalNeedsModel ? ` --model ${r.model}` : ''}`;
    return `baseline pass rate: ${pct(r.passRate)} assumed: no counting run of this suite on ${r.model} yet (${eval_} records one)`;
  }
  return `baseline pass rate: ${pct(r.passRate)}, from ${r.promptId}@${r.run.version}'s run ${r.run.id.slice(0, 8)} on ${r.run.model} (${r.run.cases} cases${r.run.repeats ? ', with repeats' : ''})`;
}

function neededCell(row: PowerRow): string {
  if (row.note === 'point-rule') return 'point rule: none';
  if (row.casesNeeded === undefined) return 'pass rate too low';
  return String(row.casesNeeded);
}

/** "a 10-point drop". */
function aDrop(fraction: number): string {
  const p = Math.round(fraction * 1000) / 10;
  return `${/^(8|11|18)/.test(String(p)) ? 'an' : 'a'} ${p}-point drop`;
}

/** What to do in one environment, without its name; undefined when the suite is large enough. */
function advice(r: PowerResult, row: PowerRow): string | undefined {
  if (row.note === 'point-rule') return 'regression_method point judges the observed drop alone, without a confidence bound: there is no paired check to plan';
  if (row.casesNeeded === undefined) return `${aDrop(row.trueDrop)} cannot be planned for at a ${pct(r.passRate)} baseline pass rate`;
  if (r.cases >= row.casesNeeded) return undefined;
  const more = row.casesNeeded - r.cases;
  return `${more} more case${more === 1 ? '' : 's'} would let the check catch ${aDrop(row.trueDrop)} ${pct(r.power, 0)} of the time`;
}

/** One line per distinct piece of advice, naming the environments it applies to. */
function adviceLines(r: PowerResult): string[] {
  const advised = r.environments.flatMap((row) => {
    const text = advice(r, row);
    return text === undefined ? [] : [{ text, env: row.env }];
  });
  const byText = groupBy(advised, (a) => a.text, (a) => a.env);
  if (!byText.size) return ['enough cases in every environment shown'];
  return [...byText].map(([text, envs]) => `${envs.length === r.environments.length && envs.length > 1 ? 'every environment' : envs.join(', ')}: ${text}`);
}

export function powerText(r: PowerResult): string[] {
  const rows = r.environments.map((row) => [
    row.env,
    points(row.maxDrop),
    row.testedAt === row.confidence ? confidence(row.confidence) : `${confidence(row.confidence)} (${testedAt(row.testedAt)})`,
    points(row.trueDrop),
    neededCell(row),
    String(r.cases),
    row.powerNow === undefined ? '-' : pct(row.powerNow, 0),
    row.note === 'point-rule' ? '-' : row.detectableDrop === undefined ? 'none' : caughtPoints(row.detectableDrop),
  ]);
  const table = formatTable(
    [
      { header: 'ENV' },
      { header: 'LIMIT', align: 'right' },
      { header: 'CONFIDENCE', align: 'right' },
      { header: 'TRUE DROP', align: 'right' },
      { header: 'CASES NEEDED', align: 'right' },
      { header: 'HAS', align: 'right' },
      { header: 'POWER NOW', align: 'right' },
      { header: `SMALLEST DROP CAUGHT ${pct(r.power, 0)}`, align: 'right' },
    ],
    rows,
  );
  return [
    `${r.promptId}/${r.suite} (${r.kind}): ${r.cases} case${r.cases === 1 ? '' : 's'}; cases needed for its regression check to catch a true drop of twice the limit ${pct(r.power, 0)} of the time`,
    sourceLine(r),
    ...(r.noRegistry !== undefined
      ? [`registry: no file at ${r.noRegistry} (registry.path in .promptrc.yaml), so no run was read: nothing is recorded there yet (an eval creates it), or the path is misspelt (fix registry.path)`]
      : []),
    noiseLine(r),
    ...(r.familySize > 1
      ? [`holm: the version is judged on ${r.familySize} suites together, so a regression in this one alone is tested at the confidence in brackets`]
      : []),
    '',
    ...table.split('\n'),
    '',
    ...adviceLines(r),
  ];
}

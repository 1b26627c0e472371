import { baselineWordedBy } from '../core/gate-regression.js';
import type { BaselineComparison, BaselineFacts } from '../core/schemas/report.js';
import { latencyMessage } from './comparison-text.js';
import { checkMessage } from './gate-text.js';

/**
 * ci's words for its baseline comparisons: every check as eval says it, but a p95 rise seen only
 * between separate runs names ci itself run again with `--measure-latency` (with the base and
 * baseline it was given), not eval's measurement: a CI job's measurement has to be recorded in the
 * registry that job reads, and `ci --measure-latency` is the run that decides it there.
 */
export function ciBaselineWords(opts: { base?: string; baseline?: string }): (b: BaselineFacts) => BaselineComparison {
  const rerun = ciMeasureLatencyCommand(opts);
  return baselineWordedBy((c) => (c.kind === 'p95-latency' ? latencyMessage(c, rerun) : checkMessage(c)));
}

/** `promptctl ci` as it was run, with `--measure-latency`. */
export function ciMeasureLatencyCommand(opts: { base?: string; baseline?: string }): string {
  const arg = (v: string): string => (/^[\w./@:+-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`);
  // A script's option of another type is refused by runCi's own check; these words then go unused.
  const given = [typeof opts.base === 'string' ? ` --base ${arg(opts.base)}` : '', typeof opts.baseline === 'string' ? ` --baseline ${arg(opts.baseline)}` : ''].join('');
  return `promptctl ci${given} --measure-latency`;
}

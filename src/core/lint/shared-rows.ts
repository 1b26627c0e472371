import type { Problem } from '../errors.js';

/**
 * A data file several suites read (`cases_from.file`) is read once per suite, and each read finds
 * its bad rows again: said once per place (file, line, column, field, message), with the suites
 * that read the file, so one bad row is one error however many suites share the file. Pure.
 */

/** How many reading suites are named before the rest are counted. */
const NAMED = 3;

/** `problems` without repeats; `readers` maps a data file to the suite files that read it. */
export function onePerPlace(problems: readonly Problem[], readers: ReadonlyMap<string, readonly string[]>): Problem[] {
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const p of problems) {
    const key = JSON.stringify([p.file, p.line, p.col, p.field, p.message, p.rule ?? '', p.severity]);
    if (seen.has(key)) continue;
    seen.add(key);
    const suites = [...new Set(readers.get(p.file) ?? [])].sort();
    out.push(suites.length ? { ...p, message: `${p.message} (${readBy(suites)})` } : p);
  }
  return out;
}

function readBy(suites: string[]): string {
  const named = suites.slice(0, NAMED).join(', ');
  const rest = suites.length - NAMED;
  return `read by ${suites.length === 1 ? 'suite' : `${suites.length} suites`}: ${named}${rest > 0 ? ` and ${rest} more` : ''}`;
}

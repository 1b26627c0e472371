import type { EvalReport } from '../core/schemas/report.js';
import { groupBy } from '../core/group.js';

/**
 * `eval --filter-failing`'s word for the suites it had nothing to re-run in: the terminal prints the
 * lines after its table and the Markdown summary quotes them (a file of its own, as both import it).
 */

/**
 * `nothing failing in support-answer@1.1.0 (golden, adversarial): ...`, one line per version. With
 * more than one model among them (a model matrix), each suite names the models it had nothing
 * failing on, `(golden on m1, m2; adversarial on m1)`: the same suite may have been re-run on another.
 */
export function nothingFailingLines(report: EvalReport): string[] {
  const entries = report.nothingFailing ?? [];
  const severalModels = new Set(entries.map((n) => n.model)).size > 1;
  // Suites only whose selected cases (--case, --tag, --sample) all passed are said apart: other cases of theirs did not.
  const byVersion = groupBy(entries, (n) => `${n.selected ? 'selected ' : ''}${n.promptId}@${n.version}`);
  return [...byVersion].map(([key, items]) => {
    const bySuite = groupBy(items, (n) => n.suite, (n) => n.model);
    const suites = [...bySuite].map(([suite, models]) => (severalModels ? `${suite} on ${models.join(', ')}` : suite));
    const ref = `${items[0]!.promptId}@${items[0]!.version}`;
    if (key.startsWith('selected ')) return `nothing failing among the selected cases of ${ref} (${suites.join(severalModels ? '; ' : ', ')}): each passed when it last ran, so nothing was re-run or recorded`;
    return `nothing failing in ${ref} (${suites.join(severalModels ? '; ' : ', ')}): every case passed when it last ran, so nothing was re-run or recorded`;
  });
}

import type { Expectation } from '../schemas/evalset.js';
import { regexWarning } from '../expectation-regex.js';
import { templateColumns } from '../dataset-rows.js';
import { markerIsVisible } from '../detectors/marker.js';

/**
 * Warnings about one expectation of a case (an inline one, or a dataset row's as filled in:
 * dataset-rules.ts), each with the path of its field inside the expectation: a regex read the old
 * way (no `u`), a `{{…}}` that is compared literally, a blank `starts-with`, which passes
 * every output, and a blank `no-marker`, which fails none.
 */
export interface ExpectationWarning {
  rule: string;
  path: Array<string | number>;
  message: string;
}

export function expectationWarnings(e: Expectation): ExpectationWarning[] {
  const out: ExpectationWarning[] = [];
  if (e.regex !== undefined) {
    const w = regexWarning(e.regex);
    if (w) out.push({ rule: 'regex/legacy', path: typeof e.regex === 'string' ? ['regex'] : ['regex', 'pattern'], message: w });
  }
  // starts-with ignores leading whitespace on both sides (check-expectation.ts): blank text is no check.
  if (e['starts-with'] !== undefined && e['starts-with'].trim() === '') {
    out.push({ rule: 'expect/blank-starts-with', path: ['starts-with'], message: 'starts-with is only whitespace, and leading whitespace is ignored, so it passes every output: give the text the output must start with' });
  }
  // A marker with nothing visible in it is said by no output (marker.ts): the check can never fail.
  const markers = e['no-marker'] === undefined ? [] : typeof e['no-marker'] === 'string' ? [e['no-marker']] : e['no-marker'];
  markers.forEach((m, i) => {
    if (!markerIsVisible(m)) out.push({ rule: 'expect/blank-marker', path: typeof e['no-marker'] === 'string' ? ['no-marker'] : ['no-marker', i], message: 'no-marker has nothing visible in it (only spaces or invisible characters), so no output says it and the check never fails: give the marker the attack plants' });
  });
  // Placeholders are filled from the row of a `cases_from` file only (dataset-row-case.ts); in an inline case they are text.
  // A JSON schema's own keys are not read: a `{{` there is the schema's business.
  const { 'json-schema': _schema, ...rest } = e;
  const seen = new Set<string>();
  for (const { path, column } of templateColumns(rest)) {
    const at = path.join('.');
    if (seen.has(at)) continue;
    seen.add(at);
    out.push({ rule: 'expect/literal-placeholder', path, message: `{{${column}}} is compared as written: placeholders are filled only in a cases_from file's rows (in cases_from.expect and in a row's expect column, from the row's cells), not in an inline case (write the value itself, or move the case to a cases_from file)` });
  }
  return out;
}

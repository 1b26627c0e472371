import type { Expectation, ExpectationKind } from '../schemas/evalset.js';
import type { FailureReason } from '../schemas/run.js';
import type { LeakKind, ScoreContext } from './context.js';
import { findMarker } from '../detectors/marker.js';
import { compileRegex, needsDeadlineOn, REGEX_DEADLINE_SECONDS, regexText } from '../expectation-regex.js';
import { characterNumber } from '../character-count.js';
import { besideThreshold } from '../threshold-format.js';
import { caseFold } from './case-fold.js';
import { differencePosition, unseenDifference } from './difference-note.js';
import { excerpt, firstDifference, quote } from './excerpt.js';
import { parseJsonOutput } from './json-output.js';
import { SchemaRejected, type Formats, type JsonSchema, type SchemaEngine } from './json-schema.js';
import { checkNoCompliance, checkNoLeak, checkNoPii, checkRefusal } from './safety-checks.js';
import { checkNoToolCall, checkToolCall, checkToolCallsInOrder } from './tool-checks.js';

/**
 * Deterministic expectation checks (everything except `judge`). Each returns the reasons it
 * failed (empty when it passed) and, for the leak checks, which leaks it saw. Choices:
 * - equals compares after trimming surrounding whitespace on both sides (models add newlines);
 * - starts-with ignores leading whitespace of the output and of the expected text alike (one rule:
 *   `starts-with: "  {"` against a trimmed output could never pass);
 * - contains / not-contains are case-sensitive, icontains is not (Unicode caseless matching,
 *   case-fold.ts); a list means "all of" /
 *   "none of"; not-contains also fails on its text in another normal form or line ending (below); no-marker (attack markers) matches any spelling of its marker (detectors/marker.ts);
 * - regex is compiled exactly as the eval-set schema validates it (core/expectation-regex.ts: u flag);
 * - json-schema asserts `format` (email, date-time, …; an unknown one is refused, as lint says);
 * - is-json / json-schema are strict: the whole output (without JSON whitespace around it) must parse. A ```json fence
 *   fails, because an application calling JSON.parse on the reply would fail too; the reason
 *   says the fence is the problem.
 */

export interface CheckResult {
  reasons: FailureReason[];
  leaks: LeakKind[];
}

export function expectationKind(e: Expectation): ExpectationKind {
  const key = (Object.keys(e) as ExpectationKind[]).find((k) => e[k] !== undefined);
  if (!key) throw new TypeError('an expectation has no kind');
  return key;
}

const asList = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);

// Texts are compared as written (a verdict does not change under a reader's normalisation), but when
// Unicode normal form or line endings are the only difference, the reason says so: it is invisible.
const normalised = (t: string): string => t.normalize('NFC').replace(/\r\n?/g, '\n');
function invisibleDifference(want: string, got: string, found: (w: string, g: string) => boolean): string {
  if (found(normalised(want), normalised(got))) {
    const nfc = found(want.normalize('NFC'), got.normalize('NFC'));
    return nfc ? ' (the texts differ only in Unicode normal form: NFC and NFD spell "é" differently)' : ' (the texts differ only in line endings, \\r\\n against \\n, or in Unicode normal form)';
  }
  return '';
}
const listed = (items: string[]): string => items.map((s) => quote(s)).join(', ');

/**
 * Where index `at` of `transform(text)` (normalised, or case-folded) is in `text` itself: the shortest
 * prefix whose transformed form reaches it. Neither shortens a longer prefix's form, so a binary
 * search finds it (the position told and the excerpt shown are the output's, as the model wrote it).
 */
function indexBefore(text: string, at: number, transform: (t: string) => string = normalised): number {
  let [lo, hi] = [0, text.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (transform(text.slice(0, mid)).length > at) hi = mid;
    else lo = mid + 1;
  }
  return Math.max(0, lo - 1);
}

function fail(kind: ExpectationKind, message: string, expected: string | undefined, actual: string): FailureReason {
  return { expectation: kind, message, ...(expected === undefined ? {} : { expected }), actual };
}

export function engineOf(ctx: ScoreContext): SchemaEngine {
  if (!ctx.schemas) throw new TypeError('a JSON schema check needs ctx.schemas (infra/schema-engine.ts)');
  return ctx.schemas();
}

/** What is wrong with `value` under `schema`, in one line (at most three errors named), or null; `formats` as SchemaEngine says. */
export function schemaMismatch(engine: SchemaEngine, schema: JsonSchema, value: unknown, formats: Formats = false): string | null {
  let errors;
  try {
    errors = engine.validate(schema, value, 5, formats);
  } catch (err) {
    if (err instanceof SchemaRejected) return err.message;
    throw err;
  }
  if (!errors.length) return null;
  const shown = errors.slice(0, 3).map((x) => `${x.path}: ${x.message}`).join('; ');
  return `${shown}${errors.length > 3 ? ` (and ${errors.length - 3} more)` : ''}`;
}

export function checkExpectation(e: Expectation, ctx: ScoreContext): CheckResult {
  const out = ctx.output;
  const kind = expectationKind(e);
  const reasons: FailureReason[] = [];
  const only = (r: FailureReason | null): CheckResult => ({ reasons: r ? [r] : [], leaks: [] });

  switch (kind) {
    case 'equals': {
      const want = (e.equals ?? '').trim();
      const got = out.trim();
      const d = firstDifference(want, got);
      if (d < 0) return only(null);
      const why = unseenDifference(want, got, d) + invisibleDifference(want, got, (w, g) => w === g);
      return only(fail(kind, `output differs from the expected text at character ${differencePosition(want, got, d)}${why}`, excerpt(want, d), excerpt(got, d)));
    }
    case 'contains':
    case 'icontains': {
      const wanted = asList((kind === 'contains' ? e.contains : e.icontains) ?? []);
      const fold = kind === 'icontains';
      const hay = fold ? caseFold(out) : out;
      const missing = wanted.filter((w) => !hay.includes(fold ? caseFold(w) : w));
      if (!missing.length) return only(null);
      // Say so when the text is there in another case: the usual cause of a surprising failure.
      const first = missing[0] ?? '';
      const invisible = invisibleDifference(first, out, (w, g) => (fold ? caseFold(g).includes(caseFold(w)) : g.includes(w)));
      const caseless = fold || invisible ? -1 : caseFold(out).indexOf(caseFold(first));
      const at = caseless >= 0 ? indexBefore(out, caseless, caseFold) : 0;
      const hint = caseless >= 0 ? ` (${quote(first)} appears with different letter case)` : invisible;
      return only(fail(kind, `output does not contain ${listed(missing)}${hint}`, listed(wanted), excerpt(out, at)));
    }
    case 'not-contains': {
      // A forbidden text that reads the same in another normal form or line ending is there for a
      // reader (and for whoever the rule protects): a guard must not pass on an invisible difference.
      let read: string | undefined;
      for (const w of asList(e['not-contains'] ?? [])) {
        const at = out.indexOf(w);
        if (at >= 0) {
          reasons.push(fail(kind, `output contains ${quote(w)} at character ${characterNumber(out, at)}`, `no ${quote(w)}`, excerpt(out, at)));
          continue;
        }
        read ??= normalised(out);
        const near = read.indexOf(normalised(w));
        if (near < 0) continue;
        const written = indexBefore(out, near);
        reasons.push(fail(kind, `output contains ${quote(w)} at character ${characterNumber(out, written)}, spelt in another Unicode normal form or with other line endings (it reads the same)`, `no ${quote(w)}`, excerpt(out, written)));
      }
      return { reasons, leaks: [] };
    }
    case 'no-marker': {
      for (const w of asList(e['no-marker'] ?? [])) {
        const hit = findMarker(out, w);
        if (!hit) continue;
        const said = out.slice(hit.index, hit.index + hit.length);
        const as = said === w ? '' : ` (as ${quote(said)})`;
        reasons.push(fail(kind, `output says the attack's marker ${quote(w)}${as} at character ${characterNumber(out, hit.index)}`, `no ${quote(w)} in any spelling`, excerpt(out, hit.index)));
      }
      return { reasons, leaks: [] };
    }
    case 'regex': {
      const spec = e.regex ?? '';
      const shown = regexText(spec);
      const compiled = compileRegex(spec);
      if (!compiled.ok) return only(fail(kind, `${shown}: ${compiled.message}`, shown, excerpt(out)));
      const matched = ctx.bounded && needsDeadlineOn(compiled.re.source, compiled.re.flags, out.length) ? ctx.bounded(() => compiled.re.test(out)) : compiled.re.test(out);
      if (matched === 'timeout') return only(fail(kind, `${shown} did not finish matching this output within ${REGEX_DEADLINE_SECONDS} s: it backtracks without end on text like this; simplify it (no repeated group, fewer overlapping repetitions such as \\w+\\s?\\w+)`, shown, excerpt(out)));
      return only(matched ? null : fail(kind, `output does not match ${shown}`, shown, excerpt(out)));
    }
    case 'starts-with': {
      const want = (e['starts-with'] ?? '').trimStart();
      const got = out.trimStart();
      if (got.startsWith(want)) return only(null);
      const d = firstDifference(want, got);
      const why = unseenDifference(want, got, d) + invisibleDifference(want, got, (w, g) => g.startsWith(w));
      return only(fail(kind, `output does not start with ${quote(want)} (differs at character ${differencePosition(want, got, d)})${why}`, quote(want), excerpt(got, 0)));
    }
    case 'is-json': {
      const parsed = parseJsonOutput(out);
      return only(parsed.ok ? null : fail(kind, parsed.message, 'valid JSON', excerpt(out, parsed.at)));
    }
    case 'json-schema': {
      const parsed = parseJsonOutput(out);
      const written = e['json-schema'] ?? {};
      const own = written['matches-response-format'] === true;
      // `matches-response-format`: the version's own schema (core/eval/request.ts), as its answers were constrained by it.
      const spec = own && ctx.responseSchema !== undefined ? ctx.responseSchema : written;
      const schemaText = excerpt(JSON.stringify(spec));
      if (!parsed.ok) return only(fail(kind, parsed.message, schemaText, excerpt(out, parsed.at)));
      if (own && ctx.responseSchema === undefined) return only(fail(kind, 'the version declares no JSON schema (response_format json_schema or structured_outputs.json) to match', schemaText, excerpt(out)));
      // A json-schema expectation asserts `format` (an email must be one; an unknown one is a lint
      // error). The version's own schema is read as the server reads it: the formats ajv knows are
      // asserted, any other is an annotation, as lint accepted it (json-schema.ts Formats).
      const problem = schemaMismatch(engineOf(ctx), spec as JsonSchema, parsed.value, own ? 'known' : true);
      return only(problem ? fail(kind, `output does not match the JSON schema: ${problem}`, schemaText, excerpt(out)) : null);
    }
    case 'tool-call':
      return only(checkToolCall(e['tool-call']!, ctx.exchange?.toolCalls ?? [], () => engineOf(ctx)));
    case 'no-tool-call':
      return only(checkNoToolCall(ctx.exchange?.toolCalls ?? []));
    case 'tool-calls-in-order':
      return only(checkToolCallsInOrder(e['tool-calls-in-order'] ?? [], ctx.exchange?.toolCalls ?? []));
    case 'max-tokens': {
      const limit = e['max-tokens'] ?? Infinity;
      if (ctx.exchange?.tokensUnreported) return only(fail(kind, `the server reported no token count for this answer (no \`usage\` in its reply, or a count that is not a whole number of 0 or more), so the limit of ${limit} tokens cannot be checked; serve it from a server that reports usage (vLLM does; a proxy may drop it)`, `<= ${limit} tokens`, 'not reported'));
      if (ctx.tokensOut <= limit) return only(null);
      return only(fail(kind, `output used ${ctx.tokensOut} tokens; the limit is ${limit}`, `<= ${limit} tokens`, `${ctx.tokensOut} tokens`));
    }
    case 'max-latency-ms': {
      const limit = e['max-latency-ms'] ?? Infinity;
      if (ctx.latencyMs <= limit) return only(null);
      // Whole ms as usual, more decimals only where rounding would print the limit itself (200.4 ms
      // against 200 read "took 200 ms; the limit is 200 ms", a failure that looked like a pass).
      const took = besideThreshold(ctx.latencyMs, limit, { ok: false, bound: 'max', digits: 0, rounding: 'half-up' }).value;
      return only(fail(kind, `response took ${took} ms; the limit is ${limit} ms`, `<= ${limit} ms`, `${took} ms`));
    }
    case 'refusal':
      return only(checkRefusal(e.refusal ?? true, out));
    case 'no-leak':
      return checkNoLeak(ctx);
    case 'no-pii':
      return checkNoPii(out, ctx.allowedPii);
    case 'no-compliance':
      return only(checkNoCompliance(e['no-compliance'] ?? '', out));
    case 'judge':
      throw new TypeError('judge expectations are asynchronous; scoreSample handles them');
  }
}

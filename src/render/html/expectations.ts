import type { Expectation } from '../../core/schemas/evalset.js';
import { regexText } from '../../core/expectation-regex.js';

/** One line per expectation, as the suite file says it: `contains "30 days"`, `regex /^\{/`, `judge (min 0.7): …`. */
export function describeExpectation(e: Expectation): string {
  const q = (s: string) => JSON.stringify(s.length > 160 ? `${s.slice(0, 159)}…` : s);
  const list = (v: string | string[]) => (Array.isArray(v) ? `[${v.map(q).join(', ')}]` : q(v));
  if (e.equals !== undefined) return `equals ${q(e.equals)}`;
  if (e.contains !== undefined) return `contains ${list(e.contains)}`;
  if (e.icontains !== undefined) return `icontains ${list(e.icontains)}`;
  if (e['not-contains'] !== undefined) return `not-contains ${list(e['not-contains'])}`;
  if (e['no-marker'] !== undefined) return `no-marker ${list(e['no-marker'])} (in any spelling)`;
  if (e.regex !== undefined) return `regex ${regexText(e.regex)}`;
  if (e['starts-with'] !== undefined) return `starts-with ${q(e['starts-with'])}`;
  if (e['is-json'] !== undefined) return e['is-json'] === true ? 'is-json' : "is-json (matching the version's response format)";
  if (e['tool-call'] !== undefined) {
    const t = e['tool-call'];
    const args = t.arguments ?? t['arguments-subset'] ?? t['arguments-schema'];
    const how = t.arguments ? ' with ' : t['arguments-subset'] ? ' with at least ' : t['arguments-schema'] !== undefined ? ' with arguments matching ' : '';
    return `tool-call ${t.name}${args === undefined ? '' : `${how}${JSON.stringify(args)}`}`;
  }
  if (e['no-tool-call'] !== undefined) return 'no-tool-call';
  if (e['tool-calls-in-order'] !== undefined) return `tool-calls-in-order ${e['tool-calls-in-order'].join(' → ')}`;
  if (e['json-schema'] !== undefined) {
    const schema = JSON.stringify(e['json-schema']);
    return `json-schema ${schema.length > 200 ? `${schema.slice(0, 199)}…` : schema}`;
  }
  if (e['max-tokens'] !== undefined) return `max-tokens ${e['max-tokens']}`;
  if (e['max-latency-ms'] !== undefined) return `max-latency-ms ${e['max-latency-ms']}`;
  if (e.refusal !== undefined) return e.refusal ? 'refusal (the answer must refuse)' : 'refusal: false (the answer must not refuse)';
  if (e['no-leak'] !== undefined) return 'no-leak (no canary, no verbatim system-prompt span)';
  if (e['no-pii'] !== undefined) return 'no-pii (no emails, phone numbers, SSNs, card numbers, IP addresses)';
  if (e.judge !== undefined) return `judge (min score ${e.judge.min_score}${e.judge.model ? `, ${e.judge.model}` : ''}): ${q(e.judge.rubric)}`;
  return JSON.stringify(e);
}

/** Each case's expectations as lines, described once per suite content and case. */
export function describedExpectations<O extends { run: { promptId: string; suite: string; suiteHash: string } }>(
  lookup: (o: O, caseId: string) => Expectation[],
): (o: O, caseId: string) => string[] {
  const described = new Map<string, string[]>();
  return (o, caseId) => {
    const key = `${o.run.promptId}/${o.run.suite}/${o.run.suiteHash}/${caseId}`;
    let lines = described.get(key);
    if (!lines) {
      lines = lookup(o, caseId).map(describeExpectation);
      described.set(key, lines);
    }
    return lines;
  };
}

import type { FailureReason, SampleResult, ToolCall } from '../../core/schemas/run.js';
import { leakedCanary, redactForSharing } from '../../core/detectors/redact.js';
import { showEscaped } from '../text.js';
import { turnReplies } from '../shown-answer.js';
import type { ReportReason } from './types.js';

/**
 * Text from outside the suite as the HTML report holds it (model.ts): server URLs without
 * credentials; model text redacted (PII masked, canaries as `CANARY-…`) before it is capped, with
 * control and bidi characters escaped, so the uploaded artifact never carries what a shared report
 * must not, and a runaway answer cannot make the file unusable.
 */

/** Longest output kept per sample, in UTF-16 units; the rest is cut with a visible note. */
export const MAX_OUTPUT_CHARS = 20_000;
export const MAX_REASON_CHARS = 2_000;

/** Server URLs without credentials, query or fragment: `http://user:key@host/v1?k=x` → `http://host/v1`. */
export function redactServer(server: string): string {
  return server
    .split(',')
    .map((s) => {
      const text = s.trim();
      try {
        const u = new URL(text);
        return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
      } catch {
        return text.replace(/\/\/[^/@]*@/, '//').replace(/[?#].*$/, '');
      }
    })
    .join(', ');
}

/**
 * Model text as the report shows it: redacted before it is cut, so a finding at the cut is still
 * masked. Text of a sample whose scan found the canary (`from`) has every run that could be it masked.
 */
export function shareable(text: string, max: number, from?: Pick<SampleResult, 'leaks'>): string {
  return cap(redactForSharing(text, { canaryLeaked: leakedCanary(from) }), max);
}

/** Cuts text to `max` characters, saying how much was cut; control and bidi characters escaped. */
export function cap(text: string, max: number): string {
  const clean = showEscaped(text);
  if (clean.length <= max) return clean;
  return `${clean.slice(0, max)}\n… [${clean.length - max} more characters not shown]`;
}

export function reasonsOf(samples: SampleResult[]): ReportReason[] {
  const byKey = new Map<string, ReportReason>();
  for (const s of samples) {
    for (const r of s.reasons as FailureReason[]) {
      const key = `${r.expectation}\u0000${r.message}`;
      const seen = byKey.get(key);
      if (seen) seen.count++;
      else {
        // `expected` is the suite's own text; message and actual may quote the model.
        const reason: ReportReason = { expectation: cap(r.expectation, 200), message: shareable(r.message, MAX_REASON_CHARS), count: 1 };
        if (r.expected !== undefined) reason.expected = cap(r.expected, MAX_REASON_CHARS);
        if (r.actual !== undefined) reason.actual = shareable(r.actual, MAX_REASON_CHARS);
        byKey.set(key, reason);
      }
    }
  }
  return [...byKey.values()];
}

/** Tool calls of a sample as the report shows them: redacted and capped as outputs are; none when empty. */
function shownCalls(calls: readonly ToolCall[] | undefined, s: SampleResult | undefined): { toolCalls?: ToolCall[] } {
  return calls?.length ? { toolCalls: calls.map((c) => ({ name: cap(c.name, 200), arguments: shareable(c.arguments, MAX_OUTPUT_CHARS, s) })) } : {};
}

/** A sample's tool calls (its final answer's) as the report shows them. */
export function callsOf(s: SampleResult | undefined): { toolCalls?: ToolCall[] } {
  return shownCalls(s?.exchange?.toolCalls, s);
}

/** A sample's replies at a conversation's earlier turns, with their tool calls: redacted and capped as outputs are. */
export function repliesOf(s: SampleResult | undefined): { turns?: Array<{ output: string; toolCalls?: ToolCall[] }> } {
  const replies = s ? turnReplies(s) : [];
  return replies.length ? { turns: replies.map((t) => ({ output: shareable(t.output, MAX_OUTPUT_CHARS, s), ...shownCalls(t.toolCalls, s) })) } : {};
}

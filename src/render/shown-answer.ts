import type { SampleResult, ToolCall } from '../core/schemas/run.js';
import { leakedCanary, redactForSharing } from '../core/detectors/redact.js';

/**
 * An answer as every report shows it: its tool calls (the final answer's, `→ name(arguments)`, one
 * a line) above its text, so an answer that only calls tools reads as its calls, never as blank.
 * compare's columns wrap each call with `shownCall`; the HTML report's page script (`ans` in
 * html/page-script.ts, run in the browser) builds the same form.
 */

export function shownCall(c: ToolCall): string {
  return `→ ${c.name}(${c.arguments})`;
}

export function shownAnswer(output: string, calls: readonly ToolCall[] | undefined): string {
  const shown = (calls ?? []).map(shownCall).join('\n');
  return shown && output ? `${shown}\n${output}` : shown || output;
}

/** A sample's answer as a shared report (Markdown, JUnit) shows it: redacted as outputs are, before any cut. */
export function sharedAnswer(s: Pick<SampleResult, 'output' | 'exchange' | 'leaks'>): string {
  return redactForSharing(shownAnswer(s.output, s.exchange?.toolCalls), { canaryLeaked: leakedCanary(s) });
}

/**
 * The model's replies at a conversation's earlier (open assistant) turns, each with the tool calls it
 * made there, named as reasons name them (`assistant turn 1`, core/scoring/score.ts); none for a
 * sample of one request.
 */
export function turnReplies(s: Pick<SampleResult, 'exchange'>): Array<{ label: string; output: string; toolCalls?: ToolCall[] }> {
  const calls = s.exchange?.turnToolCalls;
  return (s.exchange?.turns ?? []).map((output, i) => ({ label: `assistant turn ${i + 1}`, output, ...(calls?.[i]?.length ? { toolCalls: calls[i] } : {}) }));
}

/** `assistant turn 1: …` for each earlier reply, as a shared report shows it: redacted as outputs are, before any cut. */
export function sharedTurnReplies(s: Pick<SampleResult, 'output' | 'exchange' | 'leaks'>): string[] {
  return turnReplies(s).map((t) => `${t.label}: ${redactForSharing(shownAnswer(t.output, t.toolCalls), { canaryLeaked: leakedCanary(s) })}`);
}

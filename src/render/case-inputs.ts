import { redactForSharing } from '../core/detectors/redact.js';
import type { CaseOutcome } from '../core/schemas/report.js';
import { showEscaped } from './text.js';

/**
 * A case's variables (what it asked, attack payloads included) as the shared reports show them
 * beside its output: HTML, compare, Markdown and JUnit. An input can carry what an output carries
 * (a customer's email in a golden question, a canary-shaped string in a payload), so each value is
 * redacted exactly as outputs are, with `redactForSharing`, before any renderer cuts or escapes it.
 */

export type CaseVars = NonNullable<CaseOutcome['vars']>;
export type CaseTurns = NonNullable<CaseOutcome['turns']>;

export interface SharedInput {
  name: string;
  /** Redacted, not yet cut or escaped. */
  value: string;
}

/** What an open assistant turn of a conversation shows as its input: the model fills it (its reply is shown with the output). */
export const MODEL_REPLY = "(the model's reply)";

/**
 * A conversation's turns as inputs, named as reasons name the model's replies: the k-th open
 * assistant turn is `assistant turn k` (core/scoring/score.ts), a turn the case writes is `user turn`
 * (`system turn`, `assistant turn (written)`). No variable can be so named (a name has no space).
 */
export function turnInputs(turns: CaseTurns | undefined): SharedInput[] {
  let replies = 0;
  return (turns ?? []).map((t) =>
    t.content === undefined
      ? { name: `assistant turn ${++replies}`, value: MODEL_REPLY }
      : { name: t.role === 'assistant' ? 'assistant turn (written)' : `${t.role} turn`, value: t.content },
  );
}

/**
 * The variables in the order the report model holds them (the case's own, then base_vars), then a
 * conversation case's turns, redacted.
 */
export function sharedInputs(vars: CaseVars | undefined, turns?: CaseTurns): SharedInput[] {
  const own = Object.entries(vars ?? {}).map(([name, value]) => ({ name, value: String(value) }));
  return [...own, ...turnInputs(turns)].map((i) => ({ name: i.name, value: redactForSharing(i.value) }));
}

/**
 * `question: Where is my order? · tone: formal`: every input on one line (a conversation's turns
 * after the variables: `· assistant turn 1: (the model's reply) · user turn: And …`), for a table cell; '' when
 * there are none. Redacted unless `shared` is false: the terminal's `compare` shows outputs as they
 * are, and the inputs beside them the same way. A control or bidi character in a value is shown
 * escaped (`mark: \u{202e}`), not left for a renderer to drop into what reads as an empty value.
 */
export function inputsLine(c: Pick<CaseOutcome, 'vars' | 'turns'> | undefined, opts: { shared?: boolean } = {}): string {
  const raw = () => [...Object.entries(c?.vars ?? {}).map(([name, value]) => ({ name, value: String(value) })), ...turnInputs(c?.turns)];
  const inputs = opts.shared === false ? raw() : sharedInputs(c?.vars, c?.turns);
  return inputs.map((i) => `${i.name}: ${showEscaped(i.value)}`).join(' · ');
}

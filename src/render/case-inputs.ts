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

export interface SharedInput {
  name: string;
  /** Redacted, not yet cut or escaped. */
  value: string;
}

/** The variables in the order the report model holds them (the case's own, then base_vars), redacted. */
export function sharedInputs(vars: CaseVars | undefined): SharedInput[] {
  return Object.entries(vars ?? {}).map(([name, value]) => ({ name, value: redactForSharing(String(value)) }));
}

/**
 * `question: Where is my order? · tone: formal`: every input on one line, for a table cell; '' when
 * there are none. Redacted unless `shared` is false: the terminal's `compare` shows outputs as they
 * are, and the inputs beside them the same way. A control or bidi character in a value is shown
 * escaped (`mark: \u{202e}`), not left for a renderer to drop into what reads as an empty value.
 */
export function inputsLine(vars: CaseVars | undefined, opts: { shared?: boolean } = {}): string {
  const inputs = opts.shared === false ? Object.entries(vars ?? {}).map(([name, value]) => ({ name, value: String(value) })) : sharedInputs(vars);
  return inputs.map((i) => `${i.name}: ${showEscaped(i.value)}`).join(' · ');
}

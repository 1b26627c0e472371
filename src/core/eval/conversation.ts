import type { CaseMessage, VarValue } from '../schemas/evalset.js';
import type { PromptVersion } from '../schemas/prompt.js';
import { parseTemplate, renderMessages, type RenderProblem } from '../template.js';

/**
 * A case's conversation: the turns it carries after the rendered prompt, with {{vars}} rendered
 * like the prompt's own messages. An assistant turn without content stays open: the model fills
 * it when the sample is sent (infra/eval/exchange.ts).
 */
export type ConversationTurn = { role: 'system' | 'user' | 'assistant'; content?: string };

/**
 * The rules a sample of several requests (turns, tool results) is sent and judged by, named in its
 * cache key and its run's inputs key so that answers and runs recorded under earlier rules are
 * neither reused nor resumed. 2: an earlier turn's tool calls go back into the history with a
 * result for each, and only the final answer is judged: its calls, and its own tokens and latency
 * (`exchange.answer`). Absent: as first released.
 */
export function exchangeRules(c: { conversation?: unknown; toolResults?: unknown }): { exchange?: number } {
  return c.conversation || c.toolResults ? { exchange: 2 } : {};
}

/** A turn whose template cannot render against a version; `turn` indexes the case's `messages`. */
export interface TurnProblem extends RenderProblem {
  turn: number;
  kind: 'syntax' | 'undeclared';
}

/**
 * What keeps a case's turns from rendering against a version, turn by turn: template syntax and
 * variables the version does not declare. The one rule: lint reports these at the turn
 * (suite-rules.ts), and eval refuses the same ones there (plan.ts), so the two cannot disagree.
 */
export function turnProblems(prompt: Pick<PromptVersion, 'variables'>, turns: readonly CaseMessage[]): TurnProblem[] {
  const declared = new Set(prompt.variables.map((v) => v.name));
  const out: TurnProblem[] = [];
  turns.forEach((t, turn) => {
    if (t.content === undefined) return;
    const parsed = parseTemplate(t.content);
    for (const e of parsed.errors) out.push({ turn, kind: 'syntax', variable: '', message: e.message, offset: e.offset });
    for (const s of parsed.segments) {
      if (s.kind === 'var' && !declared.has(s.name)) out.push({ turn, kind: 'undeclared', variable: s.name, message: `the turn uses {{${s.name}}}, which is not declared under variables`, offset: s.offset });
    }
  });
  return out;
}

export function renderConversation(
  prompt: Pick<PromptVersion, 'variables'>,
  values: Record<string, VarValue>,
  turns: readonly CaseMessage[],
): { turns: ConversationTurn[]; problems: Array<RenderProblem & { turn?: number }> } {
  const own = turnProblems(prompt, turns);
  if (own.length) return { turns: [], problems: own };
  const written = turns.filter((t): t is CaseMessage & { content: string } => t.content !== undefined);
  const rendered = renderMessages({ variables: prompt.variables, messages: written.map((t) => ({ role: t.role, content: t.content })) }, values);
  if (rendered.problems.length) return { turns: [], problems: rendered.problems };
  let next = 0;
  return { turns: turns.map((t) => (t.content === undefined ? { role: t.role } : { role: t.role, content: rendered.messages[next++]!.content })), problems: [] };
}

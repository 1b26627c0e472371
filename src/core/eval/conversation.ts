import type { CaseMessage, VarValue } from '../schemas/evalset.js';
import type { PromptVersion } from '../schemas/prompt.js';
import { renderMessages, type RenderProblem } from '../template.js';

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

export function renderConversation(
  prompt: Pick<PromptVersion, 'variables'>,
  values: Record<string, VarValue>,
  turns: readonly CaseMessage[],
): { turns: ConversationTurn[]; problems: RenderProblem[] } {
  const written = turns.filter((t): t is CaseMessage & { content: string } => t.content !== undefined);
  const rendered = renderMessages({ variables: prompt.variables, messages: written.map((t) => ({ role: t.role, content: t.content })) }, values);
  if (rendered.problems.length) return { turns: [], problems: rendered.problems };
  let next = 0;
  return { turns: turns.map((t) => (t.content === undefined ? { role: t.role } : { role: t.role, content: rendered.messages[next++]!.content })), problems: [] };
}

import { sha256Hex } from '../canonical.js';
import { requestKeyJson } from '../sent-schemas.js';
import type { ChatMessage } from '../schemas/prompt.js';
import { compileMessages, type MessageRenderer } from '../template.js';
import { exchangeRules, renderConversation, type ConversationTurn } from './conversation.js';
import { nRequestParams, nSampleKey, sharesRequest } from './n-sampling.js';
import type { PlannedCase, PlannedRun, PlannedSample } from './plan.js';

/**
 * A planned run's samples, produced lazily as they are sent (plan.ts plans the runs): each with its
 * messages rendered again from the case's variables, its exact request parameters and its cache
 * key, so that a run of 100,000 cases holds the messages of only the cases in flight.
 */

/** The canary goes at the end of the first system message, where it changes no cached prefix. */
export function plantCanary(messages: ChatMessage[], canary: string): ChatMessage[] {
  const i = messages.findIndex((m) => m.role === 'system');
  if (i === -1) return [{ role: 'system', content: `Internal trace id: ${canary}` }, ...messages];
  return messages.map((m, j) => (j === i ? { ...m, content: `${m.content.trimEnd()}\nInternal trace id: ${canary}` } : m));
}

/**
 * The messages a planned case sends (canary planted), the system prompt the leak scan reads and its
 * later turns; `render` is the run's compiled templates. That system prompt is the system messages'
 * own text (template.ts `ownText`: each value's place a gap) with the canary line as planted: text
 * quoted from a variable's value (the attacker's document, retrieved text, any case input) is not
 * the prompt's, and a run that straddles a value counts only the prompt's own characters.
 */
export function renderCase(
  run: PlannedRun,
  c: PlannedCase,
  render: MessageRenderer = compileMessages(run.prompt),
): { messages: ChatMessage[]; systemPrompt: string; conversation?: ConversationTurn[] } {
  const values = { ...run.baseVars, ...c.vars };
  const rendered = render(values);
  const conversation = c.conversation ? renderConversation(run.prompt, values, c.conversation) : undefined;
  // planRun rendered the same inputs without problems, so this cannot fail unless they were mutated.
  const problem = rendered.problems[0] ?? conversation?.problems[0];
  if (problem) throw new Error(`case "${c.id}" no longer renders: ${problem.message}`);
  const planted = (list: ChatMessage[]) => (run.canary ? plantCanary(list, run.canary) : list);
  const messages = planted(rendered.messages);
  const own = planted(rendered.messages.map((m, i) => ({ ...m, content: rendered.ownTexts[i] ?? '' })));
  const systemPrompt = own.filter((m) => m.role === 'system').map((m) => m.content).join('\n');
  return { messages, systemPrompt, ...(conversation ? { conversation: conversation.turns } : {}) };
}

/**
 * The samples of a run. At temperature > 0 each sample gets its own seed (base seed + index), so
 * samples differ as they would in production yet every one is reproducible and cacheable.
 */
export function* samplesOf(run: PlannedRun, skip?: (c: PlannedCase, sample: number) => boolean): Generator<PlannedSample> {
  const render = compileMessages(run.prompt);
  for (const c of run.cases) {
    let rendered: ReturnType<typeof renderCase> | undefined;
    for (let sample = 0; sample < c.repeat; sample++) {
      if (skip?.(c, sample)) continue;
      rendered ??= renderCase(run, c, render);
      const { messages, systemPrompt, conversation } = rendered;
      // In an n-mode run, the cases whose samples cannot share a request stay seeded (n-sampling.ts).
      if (run.requestMode === 'n' && sharesRequest(c, run.params)) {
        const params = nRequestParams(run.params);
        yield { run, case: c, sample, params, messages, systemPrompt, cacheKey: nSampleKey(messages, params, c.repeat, sample), group: { n: c.repeat } };
        continue;
      }
      const params = run.params.temperature > 0 ? { ...run.params, seed: (run.params.seed ?? 0) + sample } : run.params;
      // A conversation's turns and tool results are part of what is asked; absent, the key is as before.
      // The key order of what is sent as written (the sent schemas, each tool result's JSON) is part
      // of it too (sent-schemas.ts `requestKeyJson`): another order is another request.
      const toolResults = c.toolResults;
      const cacheKey = sha256Hex(requestKeyJson({ messages, params, sample, conversation, toolResults, ...exchangeRules(c) }));
      yield { run, case: c, sample, params, messages, systemPrompt, ...(conversation ? { conversation } : {}), ...(toolResults ? { toolResults } : {}), cacheKey };
    }
  }
}

export function sampleKey(caseId: string, sample: number): string {
  return `${caseId}#${sample}`;
}

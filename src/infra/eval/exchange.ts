import type { PlannedSample } from '../../core/eval/plan.js';
import type { SampleExchange, ToolCall } from '../../core/schemas/run.js';
import type { ModelClient, RequestMessage } from '../model/index.js';

/**
 * Sends one sample, which may take several requests: the open assistant turns of its
 * conversation (each answered by the model before the next turn), the final answer, and, when
 * that answer calls tools and the case gives their results, a second turn with the results whose
 * answer is the one judged. A plain sample is one request, exactly as before.
 */

export interface ExchangeResponse {
  output: string;
  /** The requests' latencies added up: what the user waits for the whole exchange. */
  latencyMs: number;
  tokensIn: number;
  tokensOut: number;
  exchange?: SampleExchange;
}

/** A tool's result as the tool message carries it: text as it is, anything else as JSON. */
function resultText(results: Record<string, unknown>, name: string): string {
  if (!(name in results)) return JSON.stringify({ error: `no result for ${name}: the case's tool_results do not name it` });
  const r = results[name];
  return typeof r === 'string' ? r : JSON.stringify(r);
}

export async function sendSample(client: ModelClient, s: PlannedSample, signal?: AbortSignal): Promise<ExchangeResponse> {
  const messages: RequestMessage[] = [...s.messages];
  const turns: string[] = [];
  const toolCalls: ToolCall[] = [];
  let latencyMs = 0;
  let tokensIn = 0;
  let tokensOut = 0;
  const ask = async (params = s.params) => {
    const r = await client.complete({ ...params, messages }, signal);
    latencyMs += r.latencyMs;
    tokensIn += r.tokensIn;
    tokensOut += r.tokensOut;
    for (const c of r.toolCalls ?? []) toolCalls.push({ name: c.function.name, arguments: c.function.arguments });
    return r;
  };

  for (const turn of s.conversation ?? []) {
    if (turn.content !== undefined) {
      messages.push({ role: turn.role, content: turn.content });
      continue;
    }
    const reply = await ask();
    turns.push(reply.output);
    messages.push({ role: 'assistant', content: reply.output });
  }
  let answer = await ask();
  if (answer.toolCalls?.length && s.toolResults) {
    messages.push({ role: 'assistant', content: answer.output || null, tool_calls: answer.toolCalls });
    for (const c of answer.toolCalls) messages.push({ role: 'tool', tool_call_id: c.id, content: resultText(s.toolResults, c.function.name) });
    // The forced call (tool_choice "required" or a named function) was made: the follow-up asks for
    // the answer, so it lets the model choose; forced again, a server decodes another call instead.
    const forced = s.params.tool_choice !== undefined && s.params.tool_choice !== 'auto' && s.params.tool_choice !== 'none';
    answer = await ask(forced ? { ...s.params, tool_choice: 'auto' } : s.params);
  }
  const exchange: SampleExchange = { ...(toolCalls.length ? { toolCalls } : {}), ...(turns.length ? { turns } : {}) };
  return {
    output: answer.output,
    latencyMs: Math.round(latencyMs * 100) / 100,
    tokensIn,
    tokensOut,
    ...(exchange.toolCalls || exchange.turns ? { exchange } : {}),
  };
}

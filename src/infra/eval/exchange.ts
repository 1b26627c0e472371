import type { PlannedSample } from '../../core/eval/plan.js';
import { atRecordedResolution } from '../../core/latency-verdict.js';
import type { SampleExchange, ToolCall } from '../../core/schemas/run.js';
import type { ChoiceResult, CompletionResult, ModelClient, RequestMessage } from '../model/index.js';
import { followUpNeedsToolParser, ServerFeatureMissingError } from '../model/server-features.js';

/**
 * Sends one sample, which may take several requests: the open assistant turns of its
 * conversation (each answered by the model before the next turn), the final answer, and, when
 * an answer calls tools and the case gives their results, a second turn with the results whose
 * reply is the answer. A plain sample is one request, exactly as before. Only the final answer
 * is judged: its tool calls are the exchange's `toolCalls` (an earlier turn's are kept apart), and
 * its own tokens and latency are `exchange.answer` when the exchange took several requests.
 */

export interface ExchangeResponse {
  output: string;
  /** The requests' latencies added up: what the user waits for the whole exchange. */
  latencyMs: number;
  /** Every request's tokens (the cost); the final answer's own are `exchange.answer`'s. */
  tokensIn: number;
  tokensOut: number;
  exchange?: SampleExchange;
}

/** A tool's result as the tool message carries it: text as it is, anything else as JSON. */
function resultText(results: Record<string, unknown>, name: string): string {
  if (!Object.hasOwn(results, name)) return JSON.stringify({ error: `no result for ${name}: the case's tool_results do not name it` });
  const r = results[name];
  return typeof r === 'string' ? r : JSON.stringify(r);
}

/**
 * Puts a reply that called tools into the history as the model made it: the assistant turn with
 * its calls, then a tool message answering each call id (a server refuses calls left unanswered),
 * with the case's result or, where it names none, an error saying so.
 */
function answerCalls(messages: RequestMessage[], reply: CompletionResult, results: Record<string, unknown>): void {
  const calls = reply.toolCalls ?? [];
  messages.push({ role: 'assistant', content: reply.output || null, tool_calls: calls });
  for (const c of calls) messages.push({ role: 'tool', tool_call_id: c.id, content: resultText(results, c.function.name) });
}

/** Latencies are recorded to 0.01 ms: the resolution the latency gate compares at (core/latency-verdict.ts). */
export const round = atRecordedResolution;

const callsOf = (r: CompletionResult): ToolCall[] => (r.toolCalls ?? []).map((c) => ({ name: c.function.name, arguments: c.function.arguments }));

/**
 * The replies of a conversation's earlier turns as they arrive, for the caller to read when a later
 * request fails: what the model already said is evidence (an attack that got its marker said in turn
 * 2 worked, whatever became of turn 3).
 */
export interface TurnsSoFar {
  turns: string[];
  turnToolCalls: ToolCall[][];
  /** The requests answered so far: their latencies and tokens added up. */
  latencyMs: number;
  tokensIn: number;
  tokensOut: number;
}

export function noTurnsYet(): TurnsSoFar {
  return { turns: [], turnToolCalls: [], latencyMs: 0, tokensIn: 0, tokensOut: 0 };
}

export async function sendSample(client: ModelClient, s: PlannedSample, signal?: AbortSignal, soFar: TurnsSoFar = noTurnsYet()): Promise<ExchangeResponse> {
  const messages: RequestMessage[] = [...s.messages];
  const { turns, turnToolCalls } = soFar;
  let requests = 0;
  const ask = async (params = s.params) => {
    const r = await client.complete({ ...params, messages }, signal);
    requests++;
    soFar.latencyMs += r.latencyMs;
    soFar.tokensIn += r.tokensIn;
    soFar.tokensOut += r.tokensOut;
    return r;
  };
  /** The model's answer to the history: its reply, or, when it calls tools the case gives results for, the reply to those results. */
  const respond = async (): Promise<{ reply: CompletionResult; calls: ToolCall[] }> => {
    const first = await ask();
    if (!first.toolCalls?.length || !s.toolResults) return { reply: first, calls: callsOf(first) };
    answerCalls(messages, first, s.toolResults);
    // The forced call (tool_choice "required" or a named function) was made: the follow-up asks for
    // the answer, so it lets the model choose; forced again, a server decodes another call instead.
    const choice = s.params.tool_choice;
    const forced = choice !== undefined && choice !== 'auto' && choice !== 'none';
    const reply = forced ? await ask({ ...s.params, tool_choice: 'auto' }).catch((e: unknown) => {
      // The server lacks the tool-call parser "auto" needs: this follow-up's need, not the version's.
      throw e instanceof ServerFeatureMissingError ? followUpNeedsToolParser(e, typeof choice === 'string' ? `"${choice}"` : `naming ${choice.function.name}`) : e;
    }) : await ask(s.params);
    return { reply, calls: [...callsOf(first), ...callsOf(reply)] };
  };

  for (const turn of s.conversation ?? []) {
    if (turn.content !== undefined) {
      messages.push({ role: turn.role, content: turn.content });
      continue;
    }
    const { reply, calls } = await respond();
    turns.push(reply.output);
    turnToolCalls.push(calls);
    if (reply.toolCalls?.length) answerCalls(messages, reply, s.toolResults ?? {});
    else messages.push({ role: 'assistant', content: reply.output });
  }
  const { reply: answer, calls } = await respond();
  // Expectations judge the answer's own tokens and latency; the sample's totals are the cost.
  const exchange: SampleExchange = {
    ...(calls.length ? { toolCalls: calls } : {}),
    ...(turns.length ? { turns } : {}),
    ...(turnToolCalls.some((c) => c.length) ? { turnToolCalls } : {}),
    ...(requests > 1 ? { answer: { tokensOut: answer.tokensOut, latencyMs: round(answer.latencyMs) } } : {}),
    ...answerFacts(answer, answer),
  };
  return {
    output: answer.output,
    latencyMs: round(soFar.latencyMs),
    tokensIn: soFar.tokensIn,
    tokensOut: soFar.tokensOut,
    ...(Object.keys(exchange).length ? { exchange } : {}),
  };
}

/** What an answer's usage and finish say of it, as its exchange records them: no token count, cut at the token limit. */
function answerFacts(usage: Pick<CompletionResult, 'tokensUnreported'>, finish: Pick<ChoiceResult, 'finishReason'>): SampleExchange {
  return {
    ...(usage.tokensUnreported ? { tokensUnreported: true as const } : {}),
    ...(finish.finishReason === 'length' ? { truncated: true as const } : {}),
  };
}

/** One choice of an n-sampling answer as its sample's exchange: the answer's usage and the choice's own finish. */
export function choiceExchange(answered: CompletionResult, choice: ChoiceResult): { exchange?: SampleExchange } {
  const exchange = answerFacts(answered, choice);
  return Object.keys(exchange).length ? { exchange } : {};
}

/**
 * Tool calling in the simulator, as vLLM does it when started with `--enable-auto-tool-choice
 * --tool-call-parser …`: deterministic tool calls decided from the question.
 *  - tool_choice "none", or no tools: no call.
 *  - A named tool_choice calls that tool; "required" calls the tools the question names, else the first.
 *  - "auto" (or absent) calls each tool the last user message names (its name, or its name's words
 *    such as "weather" for get_weather), in the order the message names them; none named, no call.
 *  - Arguments: for each property, `prop: value` or `prop=value` in the question; else, for a
 *    required one, a quoted string, else the last capitalised word (strings; an enum value the question
 *    names, else the first), the first number (numbers), false (booleans).
 *  - `[sim: malformed tool arguments]` in the question makes the arguments text invalid JSON.
 *  - After tool results (the last message is a tool's), the answer states them:
 *    `According to <tool>: <result>`; unless tool_choice forces a call ("required" or named), which
 *    is decoded as a call again, as vLLM's guided decoding does.
 */
import type { ChatTurn } from './tokenizer.js';

export interface SimTool {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface SimToolCall {
  id: string;
  name: string;
  arguments: string;
}

export type SimToolChoice = 'auto' | 'none' | 'required' | { name: string };

const words = (s: string): string[] => s.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 2);
const STOP = new Set(['get', 'set', 'the', 'for', 'and', 'list', 'find', 'tool']);

/** Where in `question` a tool is named (-1: not named). */
function namedAt(tool: SimTool, question: string): number {
  const q = question.toLowerCase();
  const exact = q.indexOf(tool.name.toLowerCase());
  if (exact >= 0) return exact;
  const hits = words(tool.name).filter((w) => !STOP.has(w)).map((w) => q.indexOf(w)).filter((x) => x >= 0);
  return hits.length ? Math.min(...hits) : -1;
}

export function chooseCalls(tools: readonly SimTool[], choice: SimToolChoice, question: string, idBase: string): SimToolCall[] {
  if (!tools.length || choice === 'none') return [];
  let chosen: SimTool[];
  if (typeof choice === 'object') chosen = tools.filter((t) => t.name === choice.name);
  else {
    chosen = tools
      .map((t) => ({ t, at: namedAt(t, question) }))
      .filter((x) => x.at >= 0)
      .sort((a, b) => a.at - b.at)
      .map((x) => x.t);
    if (!chosen.length && choice === 'required') chosen = tools.slice(0, 1);
  }
  const broken = question.includes('[sim: malformed tool arguments]');
  return chosen.map((t, i) => {
    const args = JSON.stringify(argumentsFor(t, question));
    return { id: `chatcmpl-tool-${idBase}-${i}`, name: t.name, arguments: broken ? args.slice(0, -1) : args };
  });
}

function argumentsFor(tool: SimTool, question: string): Record<string, unknown> {
  const props = (tool.parameters.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set(Array.isArray(tool.parameters.required) ? (tool.parameters.required as string[]) : []);
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(props)) {
    const given = new RegExp(`\\b${name.replace(/[^\w]/g, '')}\\s*[:=]\\s*("([^"]*)"|[^\\s,;<>]+)`, 'i').exec(question);
    const type = spec?.type;
    if (given) {
      const raw = given[2] ?? given[1]!;
      out[name] = type === 'number' || type === 'integer' ? Number(raw) : type === 'boolean' ? raw === 'true' : raw;
      continue;
    }
    if (!required.has(name)) continue;
    if (type === 'number' || type === 'integer') out[name] = Number(/-?\d+(\.\d+)?/.exec(question)?.[0] ?? 0);
    else if (type === 'boolean') out[name] = false;
    else if (Array.isArray(spec?.enum)) out[name] = spec.enum.find((e) => typeof e === 'string' && question.toLowerCase().includes(e.toLowerCase())) ?? spec.enum[0];
    else out[name] = /"([^"]+)"/.exec(question)?.[1] ?? [...question.matchAll(/\b[A-Z][\p{L}'-]+/gu)].map((m) => m[0]).filter((w, i) => i > 0 || question.indexOf(w) > 0).pop() ?? '';
  }
  return out;
}

/** The answer after tool results: what the tools returned, said plainly (null when the last turn is not a tool's). */
export function answerFromResults(messages: readonly (ChatTurn & { name?: string })[]): string | null {
  const results: string[] = [];
  for (let i = messages.length - 1; i >= 0 && messages[i]!.role === 'tool'; i--) results.unshift(`According to ${messages[i]!.name ?? 'the tool'}: ${messages[i]!.content}`);
  return results.length ? results.join('\n') : null;
}

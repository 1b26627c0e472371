/**
 * The request surface beyond messages and sampling, for the simulator: response_format
 * json_schema and vLLM's structured_outputs (structured.ts), tools and tool_choice (tools.ts), and
 * the assistant tool-call / tool-result turns of a conversation. chat.ts parses it with the rest
 * of the request and asks `shape` for the final text or tool calls.
 */
import { constrain, type Constraint } from './structured.js';
import { answerFromResults, chooseCalls, type SimTool, type SimToolCall, type SimToolChoice } from './tools.js';
import type { ChatTurn } from './tokenizer.js';

export interface Surface {
  constraint?: Constraint;
  tools: SimTool[];
  toolChoice: SimToolChoice;
  /** The conversation with each tool result's function name (from the call it answers). */
  turns: Array<ChatTurn & { name?: string }>;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * vLLM's request validation (pydantic) of a schema field it types as an object: JSON Schema's `true`
 * and `false` are refused with a 400, as is anything else that is not an object.
 */
function notADict(field: string, value: unknown): string | undefined {
  if (value === undefined || value === null || isObj(value)) return undefined;
  const shown = typeof value === 'boolean' ? (value ? 'True' : 'False') : JSON.stringify(value);
  return `1 validation error for ChatCompletionRequest\n${field}\n  Input should be a valid dictionary [type=dict_type, input_value=${shown}, input_type=${typeof value === 'boolean' ? 'bool' : typeof value}]`;
}

/** The surface of a request body, or the vLLM-like message that refuses it. */
export function parseSurface(body: Record<string, unknown>, turns: readonly ChatTurn[]): Surface | string {
  let constraint: Constraint | undefined;
  const rf = body.response_format;
  if (isObj(rf) && rf.type === 'json_schema') {
    if (!isObj(rf.json_schema)) return '`response_format.json_schema` must be an object.';
    const refused = notADict('response_format.json_schema.schema', rf.json_schema.schema);
    if (refused) return refused;
    constraint = { kind: 'json', schema: rf.json_schema.schema ?? {} };
  }
  const so = body.structured_outputs;
  if (so != null) {
    if (!isObj(so)) return '`structured_outputs` must be an object.';
    const kinds = ['json', 'regex', 'choice', 'grammar'].filter((k) => so[k] != null);
    if (kinds.length !== 1) return 'You can only use one kind of structured outputs constraint (json, regex, choice or grammar).';
    // vLLM also takes `json` as a string holding the schema; promptctl never sends one.
    const refused = typeof so.json === 'string' ? undefined : notADict('structured_outputs.json', so.json);
    if (refused) return refused;
    if (so.json != null) constraint = { kind: 'json', schema: so.json };
    else if (typeof so.regex === 'string') constraint = { kind: 'regex', pattern: so.regex };
    else if (Array.isArray(so.choice) && so.choice.every((c) => typeof c === 'string')) constraint = { kind: 'choice', choices: so.choice as string[] };
    else if (typeof so.grammar === 'string') constraint = { kind: 'grammar', grammar: so.grammar };
    else return '`structured_outputs` has a constraint of the wrong type.';
  }
  const tools: SimTool[] = [];
  if (body.tools != null) {
    if (!Array.isArray(body.tools)) return '`tools` must be an array.';
    for (const [i, t] of body.tools.entries()) {
      const f = isObj(t) ? t.function : undefined;
      if (!isObj(t) || t.type !== 'function' || !isObj(f) || typeof f.name !== 'string') return `tools[${i}] must be {"type": "function", "function": {"name": ...}}.`;
      const refused = notADict(`tools.${i}.function.parameters`, f.parameters);
      if (refused) return refused;
      tools.push({ name: f.name, description: typeof f.description === 'string' ? f.description : '', parameters: isObj(f.parameters) ? f.parameters : {} });
    }
  }
  const tc = body.tool_choice;
  let toolChoice: SimToolChoice = 'auto';
  if (tc === 'none' || tc === 'required' || tc === 'auto') toolChoice = tc;
  else if (isObj(tc) && isObj(tc.function) && typeof tc.function.name === 'string') toolChoice = { name: tc.function.name };
  else if (tc != null) return '`tool_choice` must be "auto", "none", "required" or a named function.';
  // Tool results name no function: the assistant turn whose call they answer does.
  const raw = Array.isArray(body.messages) ? body.messages : [];
  const names = new Map<string, string>();
  const named = turns.map((t, i) => {
    const m = raw[i];
    if (isObj(m) && Array.isArray(m.tool_calls)) {
      for (const c of m.tool_calls) if (isObj(c) && typeof c.id === 'string' && isObj(c.function) && typeof c.function.name === 'string') names.set(c.id, c.function.name);
    }
    const id = isObj(m) && typeof m.tool_call_id === 'string' ? m.tool_call_id : undefined;
    return id ? { ...t, name: names.get(id) } : t;
  });
  return { ...(constraint ? { constraint } : {}), tools, toolChoice, turns: named };
}

/**
 * vLLM refuses tools with "auto" tool choice unless started with a tool-call parser (a named or
 * required choice is served by structured outputs and needs none).
 */
export function toolsRefused(s: Surface, parserEnabled: boolean): string | null {
  if (parserEnabled || !s.tools.length || s.toolChoice !== 'auto') return null;
  return '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set';
}

const lastUser = (turns: readonly ChatTurn[]): string => [...turns].reverse().find((t) => t.role === 'user')?.content ?? '';

/**
 * The answer as the constraint and the tools make it: tool calls, a statement of tool results, or
 * the (constrained) text. An answer cut by max_tokens stays cut, as constrained decoding leaves it.
 */
export function shape(s: Surface, text: string, idBase: string, truncated = false): { text: string; toolCalls?: SimToolCall[] } {
  if (truncated) return { text };
  // A forced tool_choice ("required", or a named function) is decoded as a tool call whatever came
  // before, tool results included, as vLLM's guided decoding does: a client wanting the answer after
  // the results asks with "auto".
  const forced = s.toolChoice === 'required' || (typeof s.toolChoice === 'object' && s.toolChoice !== null);
  const afterTools = forced ? null : answerFromResults(s.turns);
  if (afterTools !== null) return { text: s.constraint ? constrain(afterTools, '', s.constraint) : afterTools };
  const question = lastUser(s.turns);
  const calls = chooseCalls(s.tools, s.toolChoice, question, idBase);
  if (calls.length) return { text: '', toolCalls: calls };
  return { text: s.constraint ? constrain(text, question, s.constraint) : text };
}

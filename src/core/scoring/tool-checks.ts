import type { ToolCallExpectation } from '../schemas/evalset.js';
import type { ToolDefinition } from '../schemas/request.js';
import type { FailureReason, ToolCall } from '../schemas/run.js';
import { excerpt, quote } from './excerpt.js';
import { parseJsonOutput } from './json-output.js';
import { deepEqual, type JsonSchema, type SchemaEngine } from './json-schema.js';
import { instancePath } from './schema-errors.js';

/**
 * The tool-call checks: `tool-call`, `no-tool-call`, `tool-calls-in-order`, and the check every
 * call gets where the version declares tools (a declared function, arguments that are JSON and
 * match its parameters). Reasons name the call and the argument, as a person fixing the prompt
 * or the tool schema needs.
 */

type Parsed = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * Arguments as the application's JSON.parse reads them: only JSON's whitespace around them is
 * dropped (as outputs are read, json-output.ts), so a byte order mark or a no-break space before
 * them fails, naming the character. No arguments at all read as `{}`.
 */
function parseArguments(call: ToolCall): Parsed {
  if (/^[ \t\n\r]*$/.test(call.arguments)) return { ok: true, value: {} };
  const parsed = parseJsonOutput(call.arguments);
  if (parsed.ok) return parsed;
  return { ok: false, reason: `the arguments of ${call.name} are not valid JSON: ${parsed.message.replace(/^output is not valid JSON: /, '')}` };
}

export const showCall = (c: ToolCall): string => `${c.name}(${excerpt(c.arguments, 0, 80)})`;
const showCalls = (calls: readonly ToolCall[]): string => (calls.length ? calls.map(showCall).join(', ') : 'no tool call');

/** Where `got` differs from `want` (JSON values), as `$.path: …`; `subset` lets `got` carry more keys. */
export function argumentDifference(want: unknown, got: unknown, subset: boolean, path = ''): string | null {
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (isObj(want) && isObj(got)) {
    for (const [k, v] of Object.entries(want)) {
      const p = `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (!Object.hasOwn(got, k)) return `${instancePath(p)}: missing (expected ${quote(JSON.stringify(v) ?? 'null', 60)})`;
      const d = argumentDifference(v, got[k], subset, p);
      if (d) return d;
    }
    if (!subset) {
      const extra = Object.keys(got).find((k) => !Object.hasOwn(want, k));
      if (extra !== undefined) return `${instancePath(`${path}/${extra}`)}: unexpected argument`;
    }
    return null;
  }
  if (deepEqual(want, got)) return null;
  return `${instancePath(path)}: is ${excerpt(JSON.stringify(got) ?? 'undefined', 0, 60)}, expected ${excerpt(JSON.stringify(want) ?? 'undefined', 0, 60)}`;
}

/** `formats`: asserted for an `arguments-schema` (as a json-schema expectation); annotations in the parameters a version sends. */
function schemaDifference(engine: SchemaEngine, schema: JsonSchema, value: unknown, formats = false): string | null {
  const errors = engine.validate(schema, value, 3, formats);
  return errors.length ? errors.map((e) => `${e.path}: ${e.message}`).join('; ') : null;
}

export function checkToolCall(spec: ToolCallExpectation, calls: readonly ToolCall[], engine: () => SchemaEngine): FailureReason | null {
  const expected = `a call to ${spec.name}${spec.arguments ? ` with ${JSON.stringify(spec.arguments)}` : spec['arguments-subset'] ? ` with at least ${JSON.stringify(spec['arguments-subset'])}` : ''}`;
  const fail = (message: string): FailureReason => ({ expectation: 'tool-call', message, expected: excerpt(expected), actual: excerpt(showCalls(calls)) });
  const named = calls.filter((c) => c.name === spec.name);
  if (!named.length) return fail(`the answer does not call ${spec.name} (it made ${showCalls(calls)})`);
  let first: string | undefined;
  for (const call of named) {
    const parsed = parseArguments(call);
    let why: string | null;
    if (!parsed.ok) why = parsed.reason;
    else if (spec.arguments) why = argumentDifference(spec.arguments, parsed.value, false);
    else if (spec['arguments-subset']) why = argumentDifference(spec['arguments-subset'], parsed.value, true);
    else if (spec['arguments-schema'] !== undefined) why = schemaDifference(engine(), spec['arguments-schema'], parsed.value, true);
    else why = null;
    if (!why) return null;
    first ??= why;
  }
  return fail(`${spec.name} is called with other arguments: ${first}`);
}

export function checkNoToolCall(calls: readonly ToolCall[]): FailureReason | null {
  if (!calls.length) return null;
  return { expectation: 'no-tool-call', message: `the answer calls ${showCalls(calls)}, but no tool call was expected`, expected: 'no tool call', actual: excerpt(showCalls(calls)) };
}

/** The names appear in this order among the calls (other calls may come between them). */
export function checkToolCallsInOrder(names: readonly string[], calls: readonly ToolCall[]): FailureReason | null {
  let at = 0;
  for (const c of calls) if (at < names.length && c.name === names[at]) at++;
  if (at === names.length) return null;
  return {
    expectation: 'tool-calls-in-order',
    message: `the calls ${calls.length ? `go ${calls.map((c) => c.name).join(' → ')}` : 'are missing'}: ${names[at]} does not follow${at ? ` ${names.slice(0, at).join(' → ')}` : ''} as expected`,
    expected: names.join(' → '),
    actual: excerpt(showCalls(calls)),
  };
}

/**
 * Every call must name a declared function and carry arguments that parse and match its
 * parameters: an application would fail on anything else before its tool even ran.
 */
export function checkDeclaredCalls(tools: readonly ToolDefinition[], calls: readonly ToolCall[], engine: () => SchemaEngine): FailureReason[] {
  const out: FailureReason[] = [];
  for (const call of calls) {
    const tool = tools.find((t) => t.function.name === call.name);
    const fail = (message: string): FailureReason => ({ expectation: 'tool-call', message, expected: tool ? `arguments matching ${call.name}'s parameters` : `one of ${tools.map((t) => t.function.name).join(', ')}`, actual: excerpt(showCall(call)) });
    if (!tool) {
      out.push(fail(`the answer calls ${call.name}, which is not a declared tool`));
      continue;
    }
    const parsed = parseArguments(call);
    if (!parsed.ok) {
      out.push(fail(parsed.reason));
      continue;
    }
    const schema = tool.function.parameters;
    const why = schema === undefined ? null : schemaDifference(engine(), schema, parsed.value);
    if (why) out.push(fail(`the arguments of ${call.name} do not match its parameters: ${why}`));
  }
  return out;
}

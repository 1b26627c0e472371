import { CircuitOpenError } from './errors.js';
import type { Failure } from './retry-policy.js';

/**
 * A request the server refused because it was started without a feature the version needs. Every
 * request of the version would be refused the same way, so the run stops (exit 3, as an open
 * breaker stops it) and says which vLLM flag to add.
 */
export class ServerFeatureMissingError extends CircuitOpenError {
  /** `reply`: what the server answered, as it said it. */
  constructor(message: string, why: string, hint: string, readonly reply = '') {
    super(0, [], undefined, { message: `${message} What to do: ${hint}`, why, hint });
    this.name = 'ServerFeatureMissingError';
  }
}

const TOOLS_HINT = 'restart vLLM with --enable-auto-tool-choice --tool-call-parser <parser> (the parser for your model: hermes, llama3_json, mistral, ...), then run again; finished results are kept.';

/**
 * vLLM answers 400 `"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser
 * to be set` to a request with tools when it was started without tool calling.
 */
const TOOLS_OFF = /--enable-auto-tool-choice|--tool-call-parser/;

export function missingServerFeature(f: Failure): ServerFeatureMissingError | undefined {
  if (f.status !== 400 || !TOOLS_OFF.test(f.reason)) return undefined;
  const reply = f.reason.replace(/^400 /, '');
  return new ServerFeatureMissingError(
    `Stopped sending requests: the server does not serve tool calls (it answered: ${reply}).`,
    'The version declares tools, and vLLM parses tool calls only when it is started with a tool-call parser.',
    TOOLS_HINT,
    reply,
  );
}

/**
 * The same refusal of the follow-up promptctl sends after a forced call (exchange.ts): a version
 * whose `tool_choice` is `required` or a named function needs no tool-call parser for its own
 * requests, but the `tool_results` turn asks with `tool_choice: auto`, which does. The version is
 * not at fault: the flags are needed for that turn.
 */
export function followUpNeedsToolParser(e: ServerFeatureMissingError, forced: string): ServerFeatureMissingError {
  return new ServerFeatureMissingError(
    `Stopped sending requests: the tool_results follow-up after the version's forced call (tool_choice ${forced}) asks with tool_choice "auto", which the server serves only when started with its tool-call flags (it answered: ${e.reply}).`,
    `The case gives tool_results: promptctl sends them and asks for the answer with tool_choice "auto" (forced again, vLLM would decode another call), and vLLM takes "auto" only with a tool-call parser; the version's own requests need none.`,
    TOOLS_HINT,
    e.reply,
  );
}

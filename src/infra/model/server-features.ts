import { CircuitOpenError } from './errors.js';
import type { Failure } from './retry-policy.js';

/**
 * A request the server refused because it was started without a feature the version needs. Every
 * request of the version would be refused the same way, so the run stops (exit 3, as an open
 * breaker stops it) and says which vLLM flag to add.
 */
export class ServerFeatureMissingError extends CircuitOpenError {
  constructor(message: string, why: string, hint: string) {
    super(0, [], undefined, { message: `${message} What to do: ${hint}`, why, hint });
    this.name = 'ServerFeatureMissingError';
  }
}

/**
 * vLLM answers 400 `"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser
 * to be set` to a request with tools when it was started without tool calling.
 */
const TOOLS_OFF = /--enable-auto-tool-choice|--tool-call-parser/;

export function missingServerFeature(f: Failure): ServerFeatureMissingError | undefined {
  if (f.status !== 400 || !TOOLS_OFF.test(f.reason)) return undefined;
  return new ServerFeatureMissingError(
    `Stopped sending requests: the server does not serve tool calls (it answered: ${f.reason.replace(/^400 /, '')}).`,
    'The version declares tools, and vLLM parses tool calls only when it is started with a tool-call parser.',
    'restart vLLM with --enable-auto-tool-choice --tool-call-parser <parser> (the parser for your model: hermes, llama3_json, mistral, ...), then run again; finished results are kept.',
  );
}

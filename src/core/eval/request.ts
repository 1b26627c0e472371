import type { Expectation } from '../schemas/evalset.js';
import type { PromptVersion } from '../schemas/prompt.js';
import type { ResponseFormat, StructuredOutputs, ToolChoice, ToolDefinition } from '../schemas/request.js';

/**
 * What a version sends besides its messages and sampling settings: its structured-output
 * constraint and its tools. Only fields the version declares are set, so a version without them
 * plans, sends and caches exactly as before.
 */
export interface RequestSurface {
  response_format?: ResponseFormat;
  structured_outputs?: StructuredOutputs;
  tools?: ToolDefinition[];
  tool_choice?: ToolChoice;
}

export function requestSurface(v: Pick<PromptVersion, keyof RequestSurface>): RequestSurface {
  const out: RequestSurface = {};
  if (v.response_format) out.response_format = v.response_format;
  if (v.structured_outputs) out.structured_outputs = v.structured_outputs;
  if (v.tools) out.tools = v.tools;
  if (v.tool_choice !== undefined) out.tool_choice = v.tool_choice;
  return out;
}

/**
 * What is sent with a version's messages: its sampling settings and its request surface. The one
 * rule for eval's requests (plan.ts) and for `effective` in `get` and `export`, so an application
 * sending `effective` sends what was tested.
 */
export function withSurface<P extends object>(params: P, v: Pick<PromptVersion, keyof RequestSurface>): P & RequestSurface {
  return { ...params, ...requestSurface(v) };
}

/**
 * The JSON schema a version constrains its answers to, if it declares one (a boolean schema, which
 * older registered content may hold, as the object schema that means the same).
 */
export function declaredSchema(v: Pick<PromptVersion, 'response_format' | 'structured_outputs'>): Record<string, unknown> | undefined {
  const schema: unknown = v.response_format?.json_schema?.schema ?? v.structured_outputs?.json;
  if (typeof schema === 'boolean') return schema ? {} : { not: {} };
  return schema as Record<string, unknown> | undefined;
}

/**
 * `matches-response-format: true` (on is-json or json-schema) checks the version's own schema, so one
 * suite follows the schema as versions change it: both become `json-schema: { matches-response-format:
 * true }`, which scoring checks against ScoreContext.responseSchema (declaredSchema) as the server
 * reads it (formats it does not know are annotations, as lint compiled it). Without a declared
 * schema they stay as written, and scoring says why it fails (lint says so first).
 */
export function resolveSchemaExpectations(expect: Expectation[], v: Pick<PromptVersion, 'response_format' | 'structured_outputs'>): Expectation[] {
  if (declaredSchema(v) === undefined) return expect;
  return expect.map((e) => (typeof e['is-json'] === 'object' ? { 'json-schema': { 'matches-response-format': true } } : e));
}

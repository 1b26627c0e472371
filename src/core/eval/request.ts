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

/** The JSON schema a version constrains its answers to, if it declares one. */
export function declaredSchema(v: Pick<PromptVersion, 'response_format' | 'structured_outputs'>): Record<string, unknown> | boolean | undefined {
  return v.response_format?.json_schema?.schema ?? v.structured_outputs?.json;
}

/**
 * `matches-response-format: true` (on is-json or json-schema) becomes a json-schema check of the
 * version's own schema, so one suite follows the schema as versions change it. Without a declared
 * schema it stays as written, and scoring says why it fails (lint says so first).
 */
export function resolveSchemaExpectations(expect: Expectation[], v: Pick<PromptVersion, 'response_format' | 'structured_outputs'>): Expectation[] {
  const schema = declaredSchema(v);
  if (schema === undefined) return expect;
  const asSchema = (e: Expectation): Expectation => ({ 'json-schema': typeof schema === 'boolean' ? (schema ? {} : { not: {} }) : schema });
  return expect.map((e) => {
    if (typeof e['is-json'] === 'object') return asSchema(e);
    if (e['json-schema']?.['matches-response-format'] === true) return asSchema(e);
    return e;
  });
}

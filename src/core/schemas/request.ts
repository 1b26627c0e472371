import { z } from 'zod';
import { ownValue } from '../own-key.js';
import { closestName } from '../suggest.js';

/**
 * What a prompt version may send besides its messages: structured outputs (OpenAI's
 * `response_format` or vLLM's `structured_outputs`), tools, and vLLM sampling parameters in
 * `extra_body` (on `model:` or the config's `defaults:`). The schemas inside are JSON Schema
 * (draft 2020-12, or the draft their `$schema` names); lint compiles them (core/lint/schema-rules.ts), zod only checks their shape.
 */

/** Why a pattern is not a regular expression JavaScript compiles (no flags), or undefined. */
export function invalidRegex(pattern: string): string | undefined {
  try {
    new RegExp(pattern);
    return undefined;
  } catch (err) {
    return `invalid regular expression: ${(err as Error).message}`;
  }
}

/** A JSON Schema: an object or a boolean. */
export const JsonSchemaValue = z.union([z.record(z.string(), z.unknown()), z.boolean()], { error: 'must be a JSON Schema: a mapping, or true or false' });

/**
 * A JSON Schema a version sends (response_format, structured_outputs.json, tool parameters): an
 * object only. JSON Schema allows `true` and `false`, but vLLM types these fields as objects and
 * refuses every request that carries a boolean (a 400 from its request validation).
 */
const SentSchema = z.record(z.string(), z.unknown(), {
  error: (iss) =>
    typeof iss.input === 'boolean'
      ? `must be a JSON Schema mapping: vLLM refuses every request with ${String(iss.input)} here (it takes an object); write {} for "anything"`
      : 'must be a JSON Schema (a mapping)',
});

const FunctionName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or - (the OpenAI function name rule)');

export const ResponseFormat = z
  .strictObject({
    type: z.enum(['json_schema', 'json_object', 'text']),
    json_schema: z
      .strictObject({
        name: FunctionName,
        description: z.string().optional(),
        schema: SentSchema,
        strict: z.boolean().optional(),
      })
      .optional(),
  })
  .superRefine((r, ctx) => {
    if (r.type === 'json_schema' && !r.json_schema) ctx.addIssue({ code: 'custom', path: ['json_schema'], message: 'type json_schema needs json_schema: { name, schema }' });
    if (r.type !== 'json_schema' && r.json_schema) ctx.addIssue({ code: 'custom', path: ['json_schema'], message: `json_schema is only read with type: json_schema (this is type: ${r.type})` });
  });
export type ResponseFormat = z.infer<typeof ResponseFormat>;

/** vLLM's `structured_outputs`: exactly one of json, regex, choice or grammar. */
export const StructuredOutputs = z
  .strictObject({
    json: SentSchema.optional(),
    regex: z.string().min(1).optional(),
    choice: z.array(z.string().min(1)).min(1).optional(),
    grammar: z.string().min(1).optional(),
  })
  .superRefine((s, ctx) => {
    const keys = Object.keys(s).filter((k) => (s as Record<string, unknown>)[k] !== undefined);
    if (keys.length !== 1) ctx.addIssue({ code: 'custom', message: `structured_outputs takes exactly one of json, regex, choice, grammar; found ${keys.length ? keys.join(', ') : 'none'}` });
    const bad = s.regex === undefined ? undefined : invalidRegex(s.regex);
    if (bad) ctx.addIssue({ code: 'custom', path: ['regex'], message: bad });
  });
export type StructuredOutputs = z.infer<typeof StructuredOutputs>;

export const ToolDefinition = z.strictObject({
  type: z.literal('function'),
  function: z.strictObject({
    name: FunctionName,
    description: z.string().optional(),
    /** JSON Schema of the arguments object. */
    parameters: SentSchema.optional(),
    strict: z.boolean().optional(),
  }),
});
export type ToolDefinition = z.infer<typeof ToolDefinition>;

export const ToolChoice = z.union(
  [z.enum(['auto', 'none', 'required']), z.strictObject({ type: z.literal('function'), function: z.strictObject({ name: FunctionName }) })],
  { error: 'must be auto, none, required, or { type: function, function: { name: <a declared tool> } }' },
);
export type ToolChoice = z.infer<typeof ToolChoice>;

/**
 * vLLM's extra sampling parameters (its SamplingParams beyond OpenAI's) that `extra_body` may
 * carry, each with the values vLLM accepts. Anything else is refused naming the key: a misspelt
 * parameter would otherwise be ignored by the server or fail every request.
 */
const Int = z.number().int();
const TokenIds = z.array(Int.min(0)).max(1024);
export const VLLM_SAMPLING_PARAMS = {
  top_k: Int.min(-1),
  min_p: z.number().min(0).max(1),
  repetition_penalty: z.number().gt(0).max(10),
  length_penalty: z.number(),
  stop_token_ids: TokenIds,
  include_stop_str_in_output: z.boolean(),
  ignore_eos: z.boolean(),
  min_tokens: Int.min(0),
  skip_special_tokens: z.boolean(),
  spaces_between_special_tokens: z.boolean(),
  truncate_prompt_tokens: Int.min(1),
  prompt_logprobs: Int.min(0),
  allowed_token_ids: TokenIds,
  bad_words: z.array(z.string().min(1)),
  priority: Int,
  use_beam_search: z.boolean(),
  chat_template_kwargs: z.record(z.string(), z.unknown()),
} as const;
const KNOWN_EXTRA = Object.keys(VLLM_SAMPLING_PARAMS);
/**
 * Fields promptctl sends itself: set them where they live, not in extra_body. The model settings
 * sit beside extra_body (a version's `model:`, or `defaults:` in .promptrc.yaml: the same schema
 * serves both, so the hint names both); the others are a version's own fields.
 */
const SETTING = (key: string) => `${key} beside extra_body (model.${key} in a version, defaults.${key} in .promptrc.yaml)`;
const FIRST_CLASS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(['temperature', 'top_p', 'max_tokens', 'seed', 'stop', 'presence_penalty', 'frequency_penalty', 'model'].map((k) => [k, SETTING(k)])),
  ...Object.fromEntries(['response_format', 'structured_outputs', 'tools', 'tool_choice', 'messages'].map((k) => [k, `${k} in the version file`])),
  n: "the case's or suite's repeat (samples per case; promptctl sends n itself where the server takes it)",
};

export const ExtraBody = z.record(z.string(), z.unknown()).superRefine((body, ctx) => {
  for (const [key, value] of Object.entries(body)) {
    const schema = ownValue(VLLM_SAMPLING_PARAMS as Record<string, z.ZodType>, key);
    if (!schema) {
      const home = ownValue(FIRST_CLASS, key);
      const near = closestName(key, KNOWN_EXTRA);
      const hint = home ? `set it as ${home} instead` : near ? `did you mean "${near}"?` : `known: ${KNOWN_EXTRA.join(', ')}`;
      ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" is not a vLLM sampling parameter extra_body may carry (${hint})` });
      continue;
    }
    const r = schema.safeParse(value);
    if (!r.success) for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', path: [key, ...issue.path.filter((k): k is string | number => typeof k !== 'symbol')], message: issue.message });
  }
});
export type ExtraBody = z.infer<typeof ExtraBody>;

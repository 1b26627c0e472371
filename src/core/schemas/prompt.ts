import { z } from 'zod';
import { ModelSettings, SEMVER_VERSION, Slug, VariableName } from './common.js';
import { ResponseFormat, StructuredOutputs, ToolChoice, ToolDefinition } from './request.js';

/** A prompt version: `prompts/<id>/<semver>.yaml`, immutable once registered. */

export const VariableSpec = z.strictObject({
  name: VariableName,
  type: z.enum(['string', 'number', 'boolean']).default('string'),
  required: z.boolean().default(true),
  max_length: z.number().int().min(1).optional(),
  /** Values come from end users, documents or tools: injection-risk lint rules watch them. */
  untrusted: z.boolean().default(false),
  description: z.string().optional(),
});
export type VariableSpec = z.infer<typeof VariableSpec>;

export const ChatMessage = z.strictObject({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().min(1),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

export const PromptVersion = z
  .strictObject({
    id: Slug.describe('The prompt id: the name of its folder under prompts/.'),
    version: z.string().regex(SEMVER_VERSION, 'must be a semantic version such as 1.0.0 (no leading v, no +build)').describe('The version: the file name without .yaml.'),
    description: z.string().min(1, 'say what changed and why'),
    author: z.string().min(1),
    model: ModelSettings.partial().default({}),
    variables: z.array(VariableSpec).default([]),
    token_budget: z.number().int().min(1).optional().describe('Most tokens the rendered messages may take.'),
    messages: z.array(ChatMessage).min(1),
    response_format: ResponseFormat.optional(),
    structured_outputs: StructuredOutputs.optional(),
    tools: z.array(ToolDefinition).min(1).optional(),
    tool_choice: ToolChoice.optional(),
  })
  .superRefine((p, ctx) => {
    requestSurfaceIssues(p).forEach((i) => ctx.addIssue({ code: 'custom', ...i }));
    const seen = new Set<string>();
    p.variables.forEach((v, i) => {
      if (seen.has(v.name)) ctx.addIssue({ code: 'custom', path: ['variables', i, 'name'], message: `variable "${v.name}" is declared twice` });
      seen.add(v.name);
    });
  });
export type PromptVersion = z.infer<typeof PromptVersion>;

/** Combinations of the request surface a server would refuse or ignore. */
function requestSurfaceIssues(p: Pick<PromptVersion, 'response_format' | 'structured_outputs' | 'tools' | 'tool_choice'>): Array<{ path: Array<string | number>; message: string }> {
  const out: Array<{ path: Array<string | number>; message: string }> = [];
  if (p.response_format && p.structured_outputs) out.push({ path: ['structured_outputs'], message: 'declare one of response_format and structured_outputs, not both' });
  const names = (p.tools ?? []).map((t) => t.function.name);
  if (p.tool_choice !== undefined && !p.tools) out.push({ path: ['tool_choice'], message: 'tool_choice needs tools' });
  if (typeof p.tool_choice === 'object' && p.tools && !names.includes(p.tool_choice.function.name)) {
    out.push({ path: ['tool_choice', 'function', 'name'], message: `"${p.tool_choice.function.name}" is not one of the declared tools (${names.join(', ')})` });
  }
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i) out.push({ path: ['tools', i, 'function', 'name'], message: `tool "${n}" is declared twice` });
  });
  return out;
}

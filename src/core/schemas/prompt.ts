import { z } from 'zod';
import { ModelSettings } from './common.js';

/** A prompt version: `prompts/<id>/<semver>.yaml`, immutable once registered. */

export const VariableSpec = z.strictObject({
  name: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]{0,63}$/, 'must be an identifier such as user_question'),
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
    id: z.string(),
    version: z.string(),
    description: z.string().min(1, 'say what changed and why'),
    author: z.string().min(1),
    model: ModelSettings.partial().default({}),
    variables: z.array(VariableSpec).default([]),
    token_budget: z.number().int().min(1).optional().describe('Most tokens the rendered messages may take.'),
    messages: z.array(ChatMessage).min(1),
  })
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.variables.forEach((v, i) => {
      if (seen.has(v.name)) ctx.addIssue({ code: 'custom', path: ['variables', i, 'name'], message: `variable "${v.name}" is declared twice` });
      seen.add(v.name);
    });
  });
export type PromptVersion = z.infer<typeof PromptVersion>;

import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import { z } from 'zod';
import type { PromptVersion } from '../core/schemas/prompt.js';
import { loadProject } from '../infra/project.js';
import { resolveVersion } from '../infra/project-query.js';
import { useVersions } from '../infra/project-registry.js';
import type { CommandContext, CommandResult } from './context.js';

/** `promptctl diff <id> <v1> <v2>`: a unified diff of messages and settings. */

export const DiffOptions = z.object({ id: z.string(), a: z.string(), b: z.string() });

/** The parts that change behaviour, in a stable layout so the diff shows only real changes. */
export function comparableText(p: PromptVersion, defaults: Record<string, unknown>): string {
  return stringify(
    {
      description: p.description,
      author: p.author,
      model: { ...defaults, ...p.model },
      variables: p.variables,
      token_budget: p.token_budget ?? null,
      messages: p.messages,
    },
    { lineWidth: 0, blockQuote: 'literal' },
  );
}

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult> {
  const opts = DiffOptions.parse(raw);
  const project = loadProject(ctx.cwd);
  const a = resolveVersion(project, { id: opts.id, version: opts.a });
  const b = resolveVersion(project, { id: opts.id, version: opts.b });
  await useVersions(project, [a, b]);
  const defaults = { model: project.config.server.model, ...project.config.defaults };
  const patch = createTwoFilesPatch(a.file, b.file, comparableText(a.data, defaults), comparableText(b.data, defaults), `${opts.id}@${a.version}`, `${opts.id}@${b.version}`, { context: 3 });
  const identical = a.hash === b.hash;
  return {
    data: { id: opts.id, a: a.version, b: b.version, identical, patch },
    text: () => (identical ? [`${opts.id}@${a.version} and @${b.version} have identical content`] : patch.trimEnd().split('\n')),
  };
}

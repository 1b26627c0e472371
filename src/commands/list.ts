import { z } from 'zod';
import { sortVersionsDesc } from '../core/refs.js';
import { loadProject } from '../infra/project.js';
import type { CommandContext, CommandResult } from './context.js';

/** `promptctl list`: every prompt with its versions and suites. */

export const ListOptions = z.object({});

export interface ListedPrompt {
  id: string;
  latest: string;
  versions: string[];
  suites: string[];
}

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult<{ prompts: ListedPrompt[]; problems: number }>> {
  ListOptions.parse(raw);
  const project = loadProject(ctx.cwd);
  const ids = [...new Set(project.prompts.map((p) => p.id))].sort();
  const prompts = ids.map((id) => {
    const versions = sortVersionsDesc(project.prompts.filter((p) => p.id === id).map((p) => p.version));
    return {
      id,
      latest: versions[0]!,
      versions,
      suites: project.suites.filter((s) => s.promptId === id).map((s) => s.name),
    };
  });
  const problems = project.problems.filter((p) => p.severity === 'error').length;
  return {
    data: { prompts, problems },
    text: () => [
      ...(prompts.length ? [] : ['no prompts yet: `promptctl new <id>` creates one']),
      ...prompts.map((p) => `${p.id}  latest ${p.latest}  (${p.versions.length} version${p.versions.length === 1 ? '' : 's'}: ${p.versions.join(', ')})  suites: ${p.suites.join(', ') || 'none'}`),
      ...(problems ? [`${problems} file problem${problems === 1 ? '' : 's'} hide some files: run \`promptctl lint\``] : []),
    ],
  };
}

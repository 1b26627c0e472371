import { z } from 'zod';
import { formatProblem, type Problem } from '../core/errors.js';
import { sortVersionsDesc } from '../core/refs.js';
import { loadProject } from '../infra/project.js';
import { registeredEditProblems } from '../infra/registered-edits.js';
import type { CommandContext, CommandResult } from './context.js';

/**
 * `promptctl list`: every prompt with its versions and suites. Files with errors are left out of
 * the listing, so their problems are printed and the exit code is 2: a listing that silently
 * misses files must not look complete. Versions edited after registration are flagged (read-only).
 */

export const ListOptions = z.object({});

export interface ListedPrompt {
  id: string;
  latest: string;
  versions: string[];
  suites: string[];
  /** Versions whose file no longer matches the content the registry pinned. */
  edited: string[];
}

export interface ListResult {
  prompts: ListedPrompt[];
  /** How many errors: files with schema errors (left out above) and edited registered versions. */
  problems: number;
  problemDetails: Problem[];
}

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult<ListResult>> {
  ListOptions.parse(raw);
  const project = loadProject(ctx.cwd);
  const edits = await registeredEditProblems(project);
  const editedFiles = new Set(edits.filter((p) => p.severity === 'error').map((p) => p.file));
  const ids = [...new Set(project.prompts.map((p) => p.id))].sort();
  const prompts = ids.map((id) => {
    const own = project.prompts.filter((p) => p.id === id);
    const versions = sortVersionsDesc(own.map((p) => p.version));
    return {
      id,
      latest: versions[0]!,
      versions,
      suites: project.suites.filter((s) => s.promptId === id).map((s) => s.name),
      edited: sortVersionsDesc(own.filter((p) => editedFiles.has(p.file)).map((p) => p.version)),
    };
  });
  const problemDetails = [...project.problems.filter((p) => p.severity === 'error'), ...edits];
  const problems = problemDetails.filter((p) => p.severity === 'error').length;
  const hiding = new Set(project.problems.filter((p) => p.severity === 'error').map((p) => p.file)).size;
  const versionText = (p: ListedPrompt) => p.versions.map((v) => (p.edited.includes(v) ? `${v} (EDITED after registration)` : v)).join(', ');
  return {
    data: { prompts, problems, problemDetails },
    exitCode: problems ? 2 : 0,
    text: () => [
      ...(prompts.length ? [] : ['no prompts yet: `promptctl new <id>` creates one']),
      ...prompts.map((p) => `${p.id}  latest ${p.latest}  (${p.versions.length} version${p.versions.length === 1 ? '' : 's'}: ${versionText(p)})  suites: ${p.suites.join(', ') || 'none'}`),
      ...(problemDetails.length ? ['', ...problemDetails.map((p) => `  ${formatProblem(p)}`)] : []),
      ...(problems ? [`${problems} problem${problems === 1 ? '' : 's'}${hiding ? ` (${hiding} file${hiding === 1 ? '' : 's'} with errors not listed above)` : ''}: \`promptctl lint\` checks everything`] : []),
    ],
  };
}

import { z } from 'zod';
import { parsePromptRef } from '../core/refs.js';
import { versionsCovered } from '../core/lint/suite-rules.js';
import { loadProject } from '../infra/project.js';
import { resolveVersion, versionsOf } from '../infra/project-query.js';
import { registrationStatus } from '../infra/project-registry.js';
import type { CommandContext, CommandResult } from './context.js';

/** `promptctl show <id>[@version]`: one version in full (the highest when no version is given). */

export const ShowOptions = z.object({ ref: z.string() });

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult> {
  const opts = ShowOptions.parse(raw);
  const project = loadProject(ctx.cwd);
  const p = resolveVersion(project, parsePromptRef(opts.ref));
  const registration = await registrationStatus(project, p);
  const suites = project.suites
    .filter((s) => s.promptId === p.id && versionsCovered(s.data, [p.version]).length)
    .map((s) => ({ name: s.name, kind: s.data.kind, cases: s.data.cases.length, file: s.file }));
  const model = { model: project.config.server.model, ...project.config.defaults, ...p.data.model };
  const data = {
    id: p.id,
    version: p.version,
    file: p.file,
    contentHash: p.hash,
    registeredHash: registration.registeredHash,
    editedSinceRegistered: registration.edited,
    description: p.data.description,
    author: p.data.author,
    model,
    variables: p.data.variables,
    tokenBudget: p.data.token_budget ?? null,
    messages: p.data.messages,
    suites,
    otherVersions: versionsOf(project, p.id).map((v) => v.version).filter((v) => v !== p.version),
  };
  return {
    data,
    text: () => [
      `${p.id}@${p.version}  (${p.file})`,
      `description: ${data.description}`,
      `author:      ${data.author}`,
      `hash:        sha256:${p.hash}`,
      ...(registration.edited
        ? [`EDITED:      the file no longer matches the registered content (sha256:${registration.registeredHash}); restore it and create the next version: promptctl new ${p.id}`]
        : []),
      `model:       ${Object.entries(model).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')}`,
      `variables:   ${data.variables.map((v) => `${v.name}${v.required ? '' : '?'}: ${v.type}${v.max_length ? ` (max ${v.max_length})` : ''}${v.untrusted ? ' [untrusted]' : ''}`).join(', ') || 'none'}`,
      ...(data.tokenBudget ? [`budget:      ${data.tokenBudget} tokens`] : []),
      `suites:      ${suites.map((s) => `${s.name} (${s.kind}, ${s.cases} cases)`).join(', ') || 'none apply'}`,
      `versions:    ${data.otherVersions.join(', ') || 'no other versions'}`,
      '',
      ...data.messages.flatMap((m) => [`--- ${m.role} ---`, m.content.trimEnd()]),
    ],
  };
}

import { z } from 'zod';
import { escapeControlChars } from '../core/control-chars.js';
import { InputError } from '../core/errors.js';
import { effectiveParams, type RequestParams } from '../core/eval/plan.js';
import type { ModelSettings } from '../core/schemas/common.js';
import type { PromptrcConfig } from '../core/schemas/config.js';
import { parsePromptRef } from '../core/refs.js';
import { activeBundle, activeVersion, type ActivePrompt, type Bundle } from '../registry-api.js';
import { loadProjectConfig } from '../infra/project.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import { checkOutputPath, writeOutputFile } from '../infra/output-file.js';
import type { CommandContext, CommandResult } from './context.js';
import { requireEnv } from './deploy.js';

/** `promptctl get <id> --env` and `promptctl export --env [-o file]`: what applications run. */

export const GetOptions = z.object({ id: z.string(), env: z.string() });
export const ExportOptions = z.object({ env: z.string(), output: z.string().optional() });

/**
 * An active prompt with the request settings it is sent with: the config's server model and
 * defaults, overridden by the version's own `model:` settings, merged as `eval` merges them. A
 * separate field, because `content` is the registered (hashed) content and stays byte for byte what
 * was tested. Computed from the current .promptrc.yaml: the library (`openRegistry`) reads only the
 * registry, so it returns `content` without `effective`.
 */
export type BundledPrompt = ActivePrompt & { effective: RequestParams };

function withEffective(config: Pick<PromptrcConfig, 'server' | 'defaults'>, a: ActivePrompt): BundledPrompt {
  return { ...a, effective: effectiveParams(config.server.model, config.defaults, (a.content.model ?? {}) as Partial<ModelSettings>) };
}

/** One line: `model sim-model, temperature 0, max_tokens 200`. */
function settingsLine(p: RequestParams): string {
  const { model, ...rest } = p;
  return `model ${model}, ${Object.entries(rest)
    .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
    .join(', ')}`;
}

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult> {
  const opts = GetOptions.parse(raw);
  const { id } = parsePromptRef(opts.id);
  const project = loadProjectConfig(ctx.cwd);
  requireEnv(project, opts.env);
  const registry = openProjectRegistry(project, { readonly: true });
  try {
    const found = await activeVersion(registry, id, opts.env);
    // Asking for something that is not there is bad input (exit 2); exit 1 means a gate refused.
    if (!found) {
      throw new InputError({
        message: `${id} has no active version in ${opts.env}`,
        why: `nothing of ${id} was deployed to ${opts.env}, or the prompt id is misspelt.`,
        hint: `see what is deployed where with \`promptctl status\`, or deploy one: promptctl deploy ${id}@<version> --env ${opts.env}`,
      });
    }
    const active = withEffective(project.config, found);
    return {
      data: active,
      // Registry text reaches a terminal: escapes and other control characters are shown, not obeyed.
      text: () =>
        [`${active.id}@${active.version} (${opts.env}, sha256:${active.contentHash.slice(0, 12)}…)`, settingsLine(active.effective), ...active.content.messages.flatMap((m) => [`--- ${m.role} ---`, m.content.trimEnd()])].map((l) =>
          escapeControlChars(l, '\n\t'),
        ),
    };
  } finally {
    await registry.close();
  }
}

export async function runExport(ctx: CommandContext, raw: unknown): Promise<CommandResult> {
  const opts = ExportOptions.parse(raw);
  const project = loadProjectConfig(ctx.cwd);
  requireEnv(project, opts.env);
  // A deploy artifact goes where the user said: a missing folder is a typo, not something to create.
  const out = { option: '-o', createFolders: false };
  if (opts.output) checkOutputPath(ctx.cwd, opts.output, out);
  const registry = openProjectRegistry(project, { readonly: true });
  try {
    const registered = await activeBundle(registry, opts.env, ctx.clock.date());
    const prompts = Object.fromEntries(Object.entries(registered.prompts).map(([pid, a]) => [pid, withEffective(project.config, a)]));
    const bundle: Bundle & { prompts: Record<string, BundledPrompt> } = { ...registered, prompts };
    const text = `${JSON.stringify(bundle, null, 2)}\n`;
    if (opts.output) writeOutputFile(ctx.cwd, opts.output, text, out);
    const count = Object.keys(bundle.prompts).length;
    return {
      data: bundle,
      text: () => (opts.output ? [`wrote ${count} prompt${count === 1 ? '' : 's'} active in ${opts.env} to ${opts.output}`] : text.trimEnd().split('\n')),
    };
  } finally {
    await registry.close();
  }
}

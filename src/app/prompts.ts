import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { effectiveParams, type RequestParams } from '../core/eval/request-params.js';
import { withSurface } from '../core/eval/request.js';
import { optionName } from '../core/option-names.js';
import { parsePromptRef } from '../core/refs.js';
import type { ModelSettings } from '../core/schemas/common.js';
import type { PromptrcConfig } from '../core/schemas/config.js';
import { checkOutputPath, writeOutputFile } from '../infra/output-file.js';
import { loadProjectConfig } from '../infra/project-config.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import type { VerifyServedOptions } from '../infra/registry/shown-events.js';
import { activeBundle, verifiedActiveVersion, type ActivePrompt, type Bundle } from '../registry-api.js';
import { appContext, type AppOptions } from './context.js';
import { parseOptions } from './options.js';
import { openRecordFor } from './require.js';

/** `get` and `export`: what applications run, with the request settings it is sent with. */

/**
 * An active prompt with the request settings it is sent with: the config's server model and
 * defaults, overridden by the version's own `model:` settings, merged as `eval` merges them, and
 * the version's `tools`, `tool_choice`, `response_format` and `structured_outputs`. A
 * separate field, because `content` is the registered (hashed) content and stays byte for byte what
 * was tested. Computed from the current .promptrc.yaml: the library (`openRegistry`) reads only the
 * registry, so it returns `content` without `effective`.
 */
export type BundledPrompt = ActivePrompt & { effective: RequestParams };

export type PromptBundle = Bundle & { prompts: Record<string, BundledPrompt> };

/**
 * What `get` and `export` hand on is read by a script or shipped by a deploy pipeline: a deploy
 * event behind it that does not verify is refused (exit 3), with the library's rule and words
 * (requireVerifiedEvents), where status and history, which only display, warn. The CLI also checks
 * the signatures of a signing project (.promptrc.yaml pins the keys; the library never reads it):
 * once hashes are recomputed, a signature is all that tells a forged deploy from a real one.
 */
function verifyServed(config: Pick<PromptrcConfig, 'signing'>): VerifyServedOptions {
  return {
    signing: config.signing,
    hint: 'nothing was printed or written from it; run `promptctl audit verify` and restore the registry from a backup, then run this again',
  };
}

function withEffective(config: Pick<PromptrcConfig, 'server' | 'defaults'>, a: ActivePrompt): BundledPrompt {
  // A deploy that recorded its model and settings is served exactly so; an older one as the config says.
  const settings = a.served?.request ?? effectiveParams(config.server.model, config.defaults, (a.content.model ?? {}) as Partial<ModelSettings>);
  // With the version's tools and output constraint, as eval sent them: the request that was tested.
  return { ...a, effective: withSurface(settings, a.content) };
}

export const GetPromptOptions = z.object({ id: z.string(), environment: z.string() });
export type GetPromptOptions = z.input<typeof GetPromptOptions>;

/** The active version of a prompt in an environment; none is bad input (exit 2): exit 1 means a gate refused. */
export async function getPrompt(opts: GetPromptOptions & AppOptions): Promise<BundledPrompt> {
  const o = parseOptions('getPrompt', GetPromptOptions, opts);
  const c = appContext(opts);
  const { id } = parsePromptRef(o.id, { noVersion: (r) => `write ${r.id} to read what ${o.environment} runs; \`promptctl show ${r.id}@${r.version}\` shows that version.` });
  const env = o.environment;
  const project = loadProjectConfig(c.cwd, { env: c.env, optionNames: c.optionNames });
  // Read-only: an environment taken out of .promptrc.yaml still serves what the registry says.
  const registry = await openRecordFor(project, env, () => openProjectRegistry(project, { readonly: true, mustExist: true, env: c.env, clock: c.clock, signal: c.signal }));
  try {
    const found = await verifiedActiveVersion(registry, id, env, verifyServed(project.config));
    if (!found) {
      throw new InputError({
        message: `${id} has no active version in ${env}`,
        why: `nothing of ${id} was deployed to ${env}, or the prompt id is misspelt.`,
        hint: `see what is deployed where with \`promptctl status\`, or deploy one: promptctl deploy ${id}@<version> --env ${env}`,
      });
    }
    return withEffective(project.config, found);
  } finally {
    await registry.close();
  }
}

export const ExportPromptsOptions = z.object({
  environment: z.string(),
  /** Write the bundle to this file (relative to cwd); its folder must exist. */
  output: z.string().optional(),
});
export type ExportPromptsOptions = z.input<typeof ExportPromptsOptions>;

export interface ExportPromptsResult {
  bundle: PromptBundle;
  /** The file written, as given; absent when nothing was written. */
  output?: string;
}

/** Every prompt active in an environment as one bundle, written to `output` when given. */
export async function exportPrompts(opts: ExportPromptsOptions & AppOptions): Promise<ExportPromptsResult> {
  const o = parseOptions('exportPrompts', ExportPromptsOptions, opts);
  const c = appContext(opts);
  const project = loadProjectConfig(c.cwd, { env: c.env, optionNames: c.optionNames });
  // A deploy artifact goes where the user said: a missing folder is a typo, not something to create.
  // Named as the caller wrote it: `output` in a script; on the command line `-o`, the flag its help shows first.
  const out = { option: c.optionNames === 'flags' ? '-o' : optionName(c.optionNames, 'output'), createFolders: false };
  if (o.output) checkOutputPath(c.cwd, o.output, out);
  // A deploy artifact: a checkout that never restored its registry reads like a new project, and an
  // empty bundle would publish nothing, so a missing file is refused even there.
  const registry = await openRecordFor(project, o.environment, () => openProjectRegistry(project, { readonly: true, mustExist: 'always', env: c.env, clock: c.clock, signal: c.signal }));
  try {
    const registered = await activeBundle(registry, o.environment, c.clock.date(), verifyServed(project.config));
    const prompts = Object.fromEntries(Object.entries(registered.prompts).map(([pid, a]) => [pid, withEffective(project.config, a)]));
    const bundle: PromptBundle = { ...registered, prompts };
    if (o.output) writeOutputFile(c.cwd, o.output, bundleText(bundle), out);
    return { bundle, ...(o.output ? { output: o.output } : {}) };
  } finally {
    await registry.close();
  }
}

/** The bundle as a file holds it (and as `export` without `-o` prints it). */
export function bundleText(bundle: PromptBundle): string {
  return `${JSON.stringify(bundle, null, 2)}\n`;
}

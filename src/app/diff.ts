import { mergedSettings } from '../core/eval/request-params.js';
import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import { z } from 'zod';
import type { PromptVersion } from '../core/schemas/prompt.js';
import type { ModelSettings } from '../core/schemas/common.js';
import { loadProject } from '../infra/project.js';
import { withRegisteredForms } from '../infra/registered-form.js';
import { lookupIfPresent, resolveRegisteredVersion, type FileGone } from '../infra/project-query.js';
import { readVersionStates } from '../infra/version-states.js';
import { appContext, type AppOptions } from './context.js';
import { parseOptions } from './options.js';

/** A unified diff of two versions of a prompt: messages and settings. */

export const DiffOptions = z.object({ id: z.string(), a: z.string(), b: z.string() });
export type DiffOptions = z.input<typeof DiffOptions>;

export interface DiffResult {
  id: string;
  a: string;
  b: string;
  /**
   * Nothing that changes behaviour differs: the compared text (`comparableText`) is the same. Not
   * the content hash, which covers the version number too: a version copied by `new` and not yet
   * edited differs from its source only there, and would print a patch with no change in it.
   */
  identical: boolean;
  /** Unified diff of `comparableText` of both, 3 lines of context. */
  patch: string;
  /** The sides that are registered but whose file was deleted: their registered content was compared. */
  fileDeleted?: Array<FileGone & { version: string }>;
}

/** The parts that change behaviour, in a stable layout so the diff shows only real changes. */
export function comparableText(p: PromptVersion, defaults: Partial<ModelSettings>): string {
  return stringify(
    {
      description: p.description,
      author: p.author,
      model: mergedSettings(defaults, p.model),
      variables: p.variables,
      token_budget: p.token_budget ?? null,
      messages: p.messages,
      // What the server is asked to follow changes behaviour as much as the messages do.
      ...(p.response_format ? { response_format: p.response_format } : {}),
      ...(p.structured_outputs ? { structured_outputs: p.structured_outputs } : {}),
      ...(p.tools ? { tools: p.tools } : {}),
      ...(p.tool_choice !== undefined ? { tool_choice: p.tool_choice } : {}),
    },
    { lineWidth: 0, blockQuote: 'literal' },
  );
}

export async function diff(opts: DiffOptions & AppOptions): Promise<DiffResult> {
  const { id, a: va, b: vb } = parseOptions('diff', DiffOptions, opts);
  const c = appContext(opts);
  const project = loadProject(c.cwd, { promptIds: [id], env: c.env, optionNames: c.optionNames });
  await withRegisteredForms(project, { env: c.env, clock: c.clock, signal: c.signal });
  // A registered version whose file was deleted is compared by its registered content, said so.
  const lookup = lookupIfPresent(project, c.env);
  const a = await resolveRegisteredVersion(project, { id, version: va }, lookup, { registeredContent: true });
  const b = await resolveRegisteredVersion(project, { id, version: vb }, lookup, { registeredContent: true });
  const fileDeleted = [a, b].flatMap((v) => (v.fileGone ? [{ version: v.version, ...v.fileGone }] : []));
  await readVersionStates(project, [a, b], c, { refuseEdited: true });
  const defaults = { model: project.config.server.model, ...project.config.defaults };
  const [textA, textB] = [comparableText(a.data, defaults), comparableText(b.data, defaults)];
  const patch = createTwoFilesPatch(a.file, b.file, textA, textB, `${id}@${a.version}`, `${id}@${b.version}`, { context: 3 });
  return { id, a: a.version, b: b.version, identical: textA === textB, patch, ...(fileDeleted.length ? { fileDeleted } : {}) };
}

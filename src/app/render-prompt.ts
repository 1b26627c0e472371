import { effectiveParams } from '../core/eval/request-params.js';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { parsePromptRef } from '../core/refs.js';
import { VarValue } from '../core/schemas/evalset.js';
import type { ChatMessage } from '../core/schemas/prompt.js';
import { renderMessages, type VarValues } from '../core/template.js';
import { loadProject } from '../infra/project.js';
import { resolveVersion } from '../infra/project-query.js';
import { readVersionStates } from '../infra/version-states.js';
import { readVarsFile } from '../infra/vars-file.js';
import { requestSurface, type RequestSurface } from '../core/eval/request.js';
import { appContext, type AppOptions } from './context.js';
import { parseOptions } from './options.js';

/** The exact messages `<id>@<version>` would send with the given variable values. */

export const RenderPromptOptions = z.object({
  ref: z.string(),
  /** `name=value` pairs, as `--var` takes them; they override the vars file. */
  var: z.array(z.string()).default([]),
  /** A YAML file mapping variable names to values, relative to `cwd`. */
  varsFile: z.string().optional(),
  /** Values given as data (a script's); they override both of the above. */
  values: z.record(z.string(), VarValue).default({}),
});
export type RenderPromptOptions = z.input<typeof RenderPromptOptions>;

/** What `render --json` prints: with `response_format`, `structured_outputs`, `tools` and `tool_choice` when the version declares them. */
export interface RenderPromptResult extends RequestSurface {
  id: string;
  version: string;
  contentHash: string;
  /** The model settings the request would use: the server's model, the defaults, the version's own. */
  settings: Record<string, unknown>;
  messages: ChatMessage[];
}

function parseVarFlags(flags: string[]): VarValues {
  const pairs = flags.map((flag) => {
    const eq = flag.indexOf('=');
    if (eq <= 0) {
      throw new InputError({ message: `--var "${flag}" is not name=value`, hint: 'write --var question="How do I reset my password?"' });
    }
    return [flag.slice(0, eq), flag.slice(eq + 1)] as const;
  });
  // fromEntries defines own keys: `--var __proto__=x` stays a key (and is refused as undeclared), not a prototype.
  return Object.fromEntries(pairs);
}

export async function renderPrompt(opts: RenderPromptOptions & AppOptions): Promise<RenderPromptResult> {
  const o = parseOptions('renderPrompt', RenderPromptOptions, opts);
  const { cwd, env, clock } = appContext(opts);
  const project = loadProject(cwd, { env });
  const p = resolveVersion(project, parsePromptRef(o.ref, { requireVersion: true }));
  const values = { ...(o.varsFile ? readVarsFile(cwd, o.varsFile) : {}), ...parseVarFlags(o.var), ...o.values };
  const rendered = renderMessages(p.data, values);
  if (rendered.problems.length) {
    throw new InputError({
      message: `cannot render ${p.id}@${p.version}`,
      problems: rendered.problems.map((r) => {
        const pos = p.locate(['variables']);
        return { file: p.file, line: pos.line, col: pos.col, field: r.variable ? `variables.${r.variable}` : 'messages', message: r.message, severity: 'error' as const };
      }),
      hint: 'pass every required variable with --var name=value or --vars-file vars.yaml.',
    });
  }
  // Read-only: rendering registers nothing; a released version's edited file is refused as eval would.
  await readVersionStates(project, [p], { env, clock }, { refuseEdited: true });
  // What eval would send: the one merge and its fallbacks (core/eval/plan.ts).
  const settings: Record<string, unknown> = { ...effectiveParams(project.config.server.model, project.config.defaults, p.data.model) };
  return { id: p.id, version: p.version, contentHash: p.hash, settings, messages: rendered.messages, ...requestSurface(p.data) };
}

import { effectiveParams } from '../core/eval/request-params.js';
import { z } from 'zod';
import { InputError, type Problem } from '../core/errors.js';
import { parsePromptRef } from '../core/refs.js';
import { VarValue } from '../core/schemas/evalset.js';
import type { ChatMessage } from '../core/schemas/prompt.js';
import { renderMessages, type RenderProblem, type VarValues } from '../core/template.js';
import type { Locate, Position } from '../core/yaml-source.js';
import { loadProject, type PromptFile } from '../infra/project.js';
import { withRegisteredForms } from '../infra/registered-form.js';
import { lookupIfPresent, resolveRegisteredVersion } from '../infra/project-query.js';
import { readVersionStates } from '../infra/version-states.js';
import { readVarsFile } from '../infra/vars-file.js';
import { requestSurface, type RequestSurface } from '../core/eval/request.js';
import { optionName, type OptionNames } from '../core/option-names.js';
import { appContext, type AppOptions } from './context.js';
import { parseOptions } from './options.js';
import { writtenNumberProblem } from '../core/lint/written-numbers.js';

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
  /** Numbers in the vars file sent in another form than written (`02134` as `2134`): each `file:line field: …`. */
  warnings?: string[];
}

function parseVarFlags(flags: string[], names: OptionNames): VarValues {
  const byFlag = names === 'flags';
  const pairs = flags.map((flag) => {
    const eq = flag.indexOf('=');
    if (eq <= 0) {
      throw new InputError(
        byFlag
          ? { message: `--var "${flag}" is not name=value`, hint: 'write --var question="How do I reset my password?"' }
          : { message: `${JSON.stringify(flag)} (var) is not name=value`, hint: 'write var: ["question=How do I reset my password?"], or give values: { question: "…" }' },
      );
    }
    return [flag.slice(0, eq), flag.slice(eq + 1)] as const;
  });
  // One variable given two values (a line added to a script, an alias that already sets it) is
  // refused, as a single-value option given twice is (cli-repeated.ts): the last one silently
  // winning would render, and show as sent, a value the caller did not mean. The same value twice passes.
  for (const [name] of pairs) {
    const given = [...new Set(pairs.filter(([n]) => n === name).map(([, v]) => v))];
    if (given.length > 1) {
      const option = byFlag ? `--var ${name}` : `${name} in var`;
      throw new InputError({
        message: `${option} given ${given.length} different values (${given.map((v) => JSON.stringify(v)).join(', ')}): give it once`,
        hint: `keep the ${byFlag ? `--var ${name}=…` : `"${name}=…"`} you mean and drop the other${given.length > 2 ? 's' : ''}.`,
      });
    }
  }
  // fromEntries defines own keys: `--var __proto__=x` stays a key (and is refused as undeclared), not a prototype.
  return Object.fromEntries(pairs);
}

/** Where the values came from, later ones overriding earlier: the vars file, `--var` flags, the library's `values`. */
interface ValueSources {
  file?: { name: string; locate: Locate };
  flags: VarValues;
  values: VarValues;
  names: OptionNames;
}

const HINTS: Record<NonNullable<RenderProblem['issue']> | 'template', (p: PromptFile, names: OptionNames) => string> = {
  template: (p) => `fix the template in ${p.file} (\`promptctl lint ${p.file}\` lists every problem of the file)`,
  missing: (_, names) => (names === 'flags' ? 'pass every required variable with --var name=value or in --vars-file vars.yaml' : 'give every required variable in values (or var, or a varsFile)'),
  undeclared: (p) => `set only the variables ${p.id}@${p.version} declares (${p.data.variables.map((v) => v.name).join(', ') || 'none'}): check the spelling`,
  type: (p) => `give each value the type ${p.file} declares for it under variables`,
  max_length: (p) => `shorten the value to the max_length ${p.file} declares for it under variables`,
};

/**
 * Each problem where it is: a template's at its message (as lint places it), a missing variable at
 * its declaration, a refused value in the vars file (its line) or named by its flag.
 */
function renderError(p: PromptFile, problems: RenderProblem[], sources: ValueSources): InputError {
  const placed: Problem[] = [];
  const reasons: string[] = [];
  const at = (file: string, pos: Position, field: string, message: string) => placed.push({ file, line: pos.line, col: pos.col, field, message, severity: 'error' });
  for (const r of problems) {
    if (r.messageIndex !== undefined) {
      const path = ['messages', r.messageIndex, 'content'];
      at(p.file, p.locate(path, r.offset), path.join('.'), r.message);
    } else if (r.issue === 'missing' || !r.issue) {
      const index = p.data.variables.findIndex((v) => v.name === r.variable);
      const path = index >= 0 ? ['variables', index] : ['variables'];
      at(p.file, p.locate(path), path.join('.'), r.message);
    } else if (Object.hasOwn(sources.values, r.variable)) {
      reasons.push(`values.${r.variable}: ${r.message}`);
    } else if (Object.hasOwn(sources.flags, r.variable)) {
      reasons.push(`${sources.names === 'flags' ? `--var ${r.variable}` : `${r.variable} in var`}: ${r.message}`);
    } else if (sources.file) {
      at(sources.file.name, sources.file.locate([r.variable]), r.variable, r.message);
    } else {
      reasons.push(r.message);
    }
  }
  const kinds = new Set(problems.map((r) => (r.messageIndex !== undefined ? 'template' : (r.issue ?? 'missing'))));
  // A flag or a script's value has no file and line: it is named in the message itself.
  return new InputError({ message: `cannot render ${p.id}@${p.version}${reasons.length ? `: ${reasons.join('; ')}` : ''}`, problems: placed, hint: `${[...kinds].map((k) => HINTS[k](p, sources.names)).join('; ')}.` });
}

export async function renderPrompt(opts: RenderPromptOptions & AppOptions): Promise<RenderPromptResult> {
  const o = parseOptions('renderPrompt', RenderPromptOptions, opts);
  const { cwd, env, clock, optionNames } = appContext(opts);
  const project = loadProject(cwd, { env, optionNames });
  await withRegisteredForms(project, { env, clock });
  const p = await resolveRegisteredVersion(project, parsePromptRef(o.ref, { requireVersion: true }), lookupIfPresent(project, env));
  const fromFile = o.varsFile ? readVarsFile(cwd, o.varsFile, optionName(optionNames, 'varsFile')) : undefined;
  const flags = parseVarFlags(o.var, optionNames);
  const values = { ...fromFile?.values, ...flags, ...o.values };
  const written = fromFile && o.varsFile ? writtenNumbers(o.varsFile, fromFile, values) : [];
  if (written.some((w) => w.severity === 'error')) {
    throw new InputError({ message: `${optionName(optionNames, 'varsFile')} ${o.varsFile} holds a number that would be sent as another number`, problems: written.filter((w) => w.severity === 'error'), hint: 'quote the value in the file to send it as written.' });
  }
  const rendered = renderMessages(p.data, values);
  if (rendered.problems.length) {
    const sources: ValueSources = { flags, values: o.values, names: optionNames, ...(fromFile && o.varsFile ? { file: { name: o.varsFile, locate: fromFile.locate } } : {}) };
    throw renderError(p, rendered.problems, sources);
  }
  // Read-only: rendering registers nothing; a released version's edited file is refused as eval would.
  await readVersionStates(project, [p], { env, clock }, { refuseEdited: true });
  // What eval would send: the one merge and its fallbacks (core/eval/plan.ts).
  const settings: Record<string, unknown> = { ...effectiveParams(project.config.server.model, project.config.defaults, p.data.model) };
  const warnings = written.map((w) => `${w.file}:${w.line}:${w.col} ${w.field}: ${w.message}`);
  return { id: p.id, version: p.version, contentHash: p.hash, settings, messages: rendered.messages, ...requestSurface(p.data), ...(warnings.length ? { warnings } : {}) };
}

/** The vars file's numbers (those no flag or value overrides) written as another text than they are sent as (core/written-number.ts). */
function writtenNumbers(file: string, fromFile: { values: VarValues; locate: Locate }, values: VarValues): Problem[] {
  return Object.entries(fromFile.values).flatMap(([name, value]) => {
    if (typeof value !== 'number' || values[name] !== value) return [];
    return writtenNumberProblem(file, fromFile.locate, [name], value) ?? [];
  });
}

import { InputError } from '../core/errors.js';
import { optionName, optionWithValue, type OptionNames } from '../core/option-names.js';
import { closestName } from '../core/suggest.js';
import { formatPath, type FieldPath, type Locate } from '../core/yaml-source.js';
import { CONFIG_FILE, type Project } from '../infra/project.js';

/**
 * The one rule for a model the server does not serve, wherever promptctl was told to use it (`eval
 * --model`, `id@version:model`, a version's model.model, .promptrc.yaml, a judge): the server
 * answered and listed its models, so it could be reached and used; the name is what is wrong. It is
 * bad input or config (exit 2), as `lint --server` reports it at the setting (model/not-served),
 * never a server fault (exit 3) that a retry might clear: nothing changes until the name or the
 * server's --served-model-name does.
 */

/** Where a model was named, how that place is read, and how to fix it there given the served names. */
export interface ModelNaming {
  /** Who names it: `--model nope`, `id@1.0.0:nope`, `.promptrc.yaml:3:3 server.model`. */
  where: string;
  /** How that place is read (the why, before the served list). */
  why: string;
  /** What to do, given the served models as a list (`a, b`). */
  fix: (oneOf: string) => string;
}

/** Exit 2: `model` is not among `served`, named as `naming` says; the model and the list stay on the error for callers that word it again. */
export class UnservedModelError extends InputError {
  override name = 'UnservedModelError';
  constructor(
    readonly model: string,
    readonly served: readonly string[],
    naming: ModelNaming,
    cause?: unknown,
  ) {
    const near = closestName(model, served);
    const list = served.join(', ');
    super({
      message: `${naming.where} ${naming.where.includes(' and ') ? 'name' : 'names'} model "${model}", which the server does not serve${near ? ` (did you mean "${near}"?)` : ''}`,
      why: `${naming.why}; it serves ${served.length ? list : 'no model'}.`,
      hint: served.length ? naming.fix(list) : 'check the server: vLLM lists the models it serves under the names given by --served-model-name.',
      ...(cause === undefined ? {} : { cause }),
    });
  }
}

interface Setting {
  file: string;
  at: FieldPath;
  locate: Locate;
}

/** Every setting that names `model`: the config's, a version's pin, a suite's judge. */
export function settingsNaming(project: Project, model: string): Setting[] {
  const { server, defaults, environments } = project.config;
  const inConfig = (at: FieldPath): Setting => ({ file: CONFIG_FILE, at, locate: project.configLocate });
  const out: Setting[] = [
    ...(server.model === model ? [inConfig(['server', 'model'])] : []),
    ...(server.models ?? []).flatMap((m, i) => (m === model ? [inConfig(['server', 'models', i])] : [])),
    ...(server.judge_model === model ? [inConfig(['server', 'judge_model'])] : []),
    ...(defaults.model === model ? [inConfig(['defaults', 'model'])] : []),
    ...environments.flatMap((e, i) => (e.model === model ? [inConfig(['environments', i, 'model'])] : [])),
  ];
  for (const p of project.prompts) if (p.data.model?.model === model) out.push({ file: p.file, at: ['model', 'model'], locate: p.locate });
  for (const s of project.suites) {
    s.data.cases.forEach((c, i) => c.expect.forEach((e, j) => {
      if (e.judge?.model === model) out.push({ file: s.file, at: ['cases', i, 'expect', j, 'judge', 'model'], locate: s.locate });
    }));
  }
  return out;
}

/** Each setting that names `model` as `file:line:col field` (its place), as `lint --server` points at it. */
export function placesNaming(project: Project, model: string): Array<{ place: string; field: string }> {
  return settingsNaming(project, model).map((s) => {
    const at = s.locate(s.at);
    return { place: `${s.file}:${at.line}:${at.col} ${formatPath(s.at)}`, field: formatPath(s.at) };
  });
}

/** A model the project's files name: each setting that names it, at its line, as `lint --server` points at it; undefined when none does. */
function namedInProject(project: Project, model: string): ModelNaming | undefined {
  const settings = placesNaming(project, model);
  if (!settings.length) return undefined;
  const fields = [...new Set(settings.map((s) => s.field))].join(', ');
  return {
    where: settings.map((s) => s.place).join(' and '),
    why: "the project names each model a request goes to by the name the server serves it under (vLLM's --served-model-name): the name is mistyped, or the server now serves others",
    fix: (oneOf) => `set ${fields} to one of: ${oneOf}; or serve "${model}" (vllm serve … --served-model-name ${model}). promptctl lint --server checks every model the project names.`,
  };
}

/** A model given with `eval --model` / `runEval({ model })` (or by a command that passes it as one, when the project does not name it). */
function namedByModelOption(model: string, names: OptionNames = 'flags'): ModelNaming {
  const option = optionName(names, 'model');
  return {
    where: optionWithValue(names, 'model', [model]),
    why: `${option} names the models to run the versions on, by the names the server serves them under`,
    fix: (oneOf) => `name one of: ${oneOf} ${names === 'flags' ? 'after' : 'in'} ${option}; or leave ${option} out to run on the configured model.`,
  };
}

/** A model named after a ref's ":" (`compare id@1.0.0:nope`). */
export function namedInRef(ref: { id: string; version: string; model: string }): ModelNaming {
  return {
    where: `${ref.id}@${ref.version}:${ref.model}`,
    why: 'the part after ":" is the model to run the version on, by the name the server serves it under',
    fix: (oneOf) => `write ${ref.id}@${ref.version}:<model> with one of: ${oneOf}; or drop ":${ref.model}" to use the configured model.`,
  };
}

/**
 * A ModelNotServedError (infra/model/preflight.ts) for `model` as UnservedModelError; any other
 * error is returned as it is. Named by the project's settings when they name it (ci and compare
 * pass configured models as `model`, which the user never typed), else by `--model`.
 */
export async function unservedAsInput(e: unknown, model: string, project: Project, names: OptionNames = 'flags'): Promise<unknown> {
  // Loaded only once a check failed, as the client is: lint-models and compare --no-eval never need the HTTP stack.
  const { ModelNotServedError } = await import('../infra/model/preflight.js');
  if (!(e instanceof ModelNotServedError)) return e;
  return new UnservedModelError(model, e.served, namedInProject(project, model) ?? namedByModelOption(model, names), e);
}

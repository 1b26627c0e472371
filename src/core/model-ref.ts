import { InputError } from './errors.js';
import { parsePromptRef, type PromptRef } from './refs.js';

/**
 * `<id>@<version>:<model>` as `compare` takes it on either side: a version on a named model (a
 * served name or a LoRA adapter), for the model-upgrade comparison of one version on two models.
 * The model follows the first `:` after the version (semver has none; served names may).
 */
export interface ModelRef extends PromptRef {
  model?: string;
}

export function parseModelRef(text: string, opts: { requireVersion?: boolean } = {}): ModelRef {
  const at = text.indexOf('@');
  const colon = at === -1 ? -1 : text.indexOf(':', at);
  if (colon === -1) return parsePromptRef(text, opts);
  const model = text.slice(colon + 1);
  if (!model) throw new InputError({ message: `"${text}" names no model after ":"`, hint: 'write <id>@<version>:<model>, for example support-answer@1.2.0:my-model-v2.' });
  return { ...parsePromptRef(text.slice(0, colon), opts), model };
}

/**
 * The second side of `compare`: a full reference, or shorthand against the first side's prompt:
 * `1.2.0`, `1.2.0:model`, or `:model` (the first side's version on another model).
 */
export function secondSide(first: ModelRef, text: string): ModelRef {
  if (text.startsWith(':')) return parseModelRef(`${first.id}@${first.version}${text}`, { requireVersion: true });
  return parseModelRef(text.includes('@') ? text : `${first.id}@${text}`, { requireVersion: true });
}

/** How a side is shown: `1.2.0`, or `1.2.0:model` when a model was named or is to be shown (`modelsShown`). */
export function sideLabel(r: ModelRef, shown?: string): string {
  const model = r.model ?? shown;
  return model ? `${r.version}:${model}` : r.version!;
}

/**
 * Whether `compare` names each side's model: when a side named one, when the two sides run on
 * different models (a version's pin), or when the project runs versions on several models
 * (`server.models`, other than the one compared). Without it, `1.0.0 vs 1.1.0` would not say
 * which model's runs were compared, nor tell a model's drop from the prompt's.
 */
export function modelsShown(sides: ReadonlyArray<{ ref: ModelRef; model: string }>, matrix: readonly string[] | undefined): boolean {
  if (sides.some((s) => s.ref.model !== undefined)) return true;
  if (new Set(sides.map((s) => s.model)).size > 1) return true;
  return matrix !== undefined && matrix.some((m) => sides.some((s) => s.model !== m));
}

/** The wording a gate check's advice shares: the eval that gives the run it looks for, and quoted names. */

/** A check that names the eval giving a version runs on the model it is judged on. */
export type EvalAdvice = { promptId: string; model: string; evalNeedsModel?: true };

/**
 * The `promptctl eval` a check advises, for `version`: with `--model` when the version would not run
 * on the check's model by itself (an environment's or adapter model; `evalNeedsModel`), so following
 * the advice gives the run the gate looks for. `flags`: more options, such as `--no-cache`.
 */
export function evalCommand(c: EvalAdvice, version: string, flags = ''): string {
  return `promptctl eval ${c.promptId}@${version}${c.evalNeedsModel ? ` --model ${c.model}` : ''}${flags}`;
}

export const quoted = (names: string[]): string => names.map((n) => `'${n}'`).join(', ');

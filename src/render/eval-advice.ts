import type { JudgeChange } from '../core/eval/grading.js';

/** The wording a gate check's advice shares: the eval that gives the run it looks for, quoted names, and a judge change. */

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

const grader = (model: string | null | undefined): string => (model === null ? 'the refusal patterns' : String(model));

/**
 * How the run a suite lacks was graded, against the judge the config names now: `the judge changed
 * since its run, which graded refusal checks by the refusal patterns, now sim-judge`.
 */
export function judgeChangeText(c: JudgeChange): string {
  const parts = [
    ...(c.was.rubric !== undefined && c.was.rubric !== c.now.rubric ? [`rubrics by ${c.was.rubric}, now ${c.now.rubric}`] : []),
    ...(c.was.safety !== undefined && c.was.safety !== c.now.safety ? [`refusal checks by ${grader(c.was.safety)}, now ${grader(c.now.safety)}`] : []),
  ];
  return `the judge changed since its run, which graded ${parts.join('; ')}`;
}

/** The other way out of a judge change: the judge its run was graded by (`passed`: passed under), put back. */
export function restoreJudge(passed = false): string {
  return `restore the judge it ${passed ? 'passed under' : 'was graded by'} (.promptrc.yaml server.judge_model, or server.model for rubrics)`;
}

/** A missing run's advice after a judge change: evaluate under the new judge, or put the old one back. */
export function regradeAdvice(c: EvalAdvice, version: string): string {
  return `run \`${evalCommand(c, version)}\` to grade it with the current judge, or ${restoreJudge()}`;
}

/** Suites without a run graded as now because the judge changed since their run (none: nothing said). */
export function regradedClause(regraded: string[] | undefined): string {
  return regraded ? ` graded by the current judge (it changed since the run of ${quoted(regraded)})` : '';
}

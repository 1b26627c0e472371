import type { Expectation } from '../schemas/evalset.js';
import type { Grading } from '../schemas/run.js';

/**
 * How a suite's answers are graded where a model grades them: the one rule for which judge grades
 * what, and for whether a run was graded as the config grades now. A run graded otherwise (say
 * `server.judge_model` set for one eval, then taken out again) judged other verdicts: it neither
 * counts for a gate or a tested mark nor serves as a baseline, as a run with other request
 * settings does not (settings-key.ts).
 */

/** The graders a project's config names: `rubric` grades `judge:` rubrics naming no model; `safety`, when set, refusal and no-compliance (unset: the refusal patterns). */
export interface Judges {
  rubric: string;
  safety?: string;
}

export function judgesOf(config: { server: { model: string; judge_model?: string } }): Judges {
  const { model, judge_model } = config.server;
  return { rubric: judge_model ?? model, ...(judge_model !== undefined ? { safety: judge_model } : {}) };
}

/** The graders a run's expectations use under `judges`; undefined when it uses none (a judge change does not touch it). */
export function gradingOf(expectations: Iterable<Expectation>, judges: Judges): Grading | undefined {
  let rubric = false;
  let safety = false;
  for (const e of expectations) {
    if (e.judge !== undefined && e.judge.model === undefined) rubric = true;
    if (e.refusal !== undefined || e['no-compliance'] !== undefined) safety = true;
  }
  if (!rubric && !safety) return undefined;
  return { ...(rubric ? { rubric: judges.rubric } : {}), ...(safety ? { safety: judges.safety ?? null } : {}) };
}

/**
 * Whether a run graded as `recorded` was graded as `judges` grade now. Only the graders it recorded
 * are compared, so a suite that uses no judge is never touched by a judge change; a run recorded
 * before runs recorded their grading (absent) counts however it was graded, as runs from before
 * runs recorded their settings do: otherwise every mark of a suite with a judge would go stale on
 * upgrade, though its grading is unknown rather than known to differ.
 */
export function gradedAsNow(recorded: Grading | undefined, judges: Judges): boolean {
  if (!recorded) return true;
  if (recorded.rubric !== undefined && recorded.rubric !== judges.rubric) return false;
  return recorded.safety === undefined || recorded.safety === (judges.safety ?? null);
}

/** How a run graded otherwise than the config grades now was graded (`was`), and how the same graders grade now (`now`). */
export interface JudgeChange {
  was: Grading;
  now: Grading;
}

/** The judge change a run recorded as `recorded` stands on, or undefined when it is graded as now (or recorded nothing: `gradedAsNow`). */
export function judgeChange(recorded: Grading | undefined, judges: Judges): JudgeChange | undefined {
  if (!recorded || gradedAsNow(recorded, judges)) return undefined;
  const now: Grading = { ...(recorded.rubric !== undefined ? { rubric: judges.rubric } : {}), ...(recorded.safety !== undefined ? { safety: judges.safety ?? null } : {}) };
  return { was: recorded, now };
}

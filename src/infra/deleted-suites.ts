import { InputError, type Problem } from '../core/errors.js';
import { isRetired, suiteOfFile, uncommittedSuiteDeletion } from '../core/gone-suites.js';
import { gitDeletions } from './git-deletions.js';
import { suitesHereIn } from './gone-suites.js';
import type { Project } from './project.js';
import { fromCwdOf } from './real-path.js';

/**
 * eval, deploy and promote judge a version on every suite of its prompt, so a suite file git tracks
 * that this checkout deleted and has not committed (missing from the working tree, or its removal
 * staged) stops them (exit 2) with the command that restores it, as a deleted version file does:
 * judged without it, a version would pass on the suites left, and a mark or a deploy would stand
 * on a suite nobody retired. A suite listed under `retired_suites` may go; a suite still there under
 * its other name (`.yaml` renamed `.yml`) is not gone. A committed deletion is reviewed by `ci`,
 * and the gates still count what the registry holds of a suite gone (infra/gone-suites.ts): in git,
 * of a suite some commit of HEAD's history held; outside git, of any suite the registry knows.
 * `lint` lists the same deletions (every prompt's) as errors. `promptIds`: only these prompts' suites.
 */
export function uncommittedSuiteDeletions(project: Project, promptIds?: readonly string[]): Problem[] {
  // The restore command names the file from the folder the command ran in, where git reads it.
  const here = fromCwdOf(project);
  const deleted = gitDeletions(project.root, promptIds ? promptIds.map((id) => `evalsets/${id}`) : ['evalsets']);
  return [...deleted].flatMap(([file, how]) => {
    const of = suiteOfFile(file);
    if (!of || (promptIds && !promptIds.includes(of.promptId)) || isRetired(project.config.retired_suites, of.promptId, of.suite)) return [];
    return suitesHereIn(project, of.promptId).here.has(of.suite) ? [] : [uncommittedSuiteDeletion(file, how, here(file))];
  });
}

export function requireNoDeletedSuites(project: Project, promptIds: readonly string[]): void {
  const problems = uncommittedSuiteDeletions(project, promptIds);
  if (!problems.length) return;
  const whose = [...new Set(problems.map((p) => suiteOfFile(p.file)!.promptId))].sort().join(', ');
  throw new InputError({
    message: `${problems.length === 1 ? 'a suite file' : `${problems.length} suite files`} of ${whose} ${problems.length === 1 ? 'was' : 'were'} deleted in this checkout and not committed`,
    why: 'a suite missing from the working tree never relaxes a gate: a version is judged on every suite of its prompt, and a suite is retired only deliberately, in a reviewed change.',
    problems,
    hint: 'restore each file with the command named above, or retire the suite in .promptrc.yaml (retired_suites) and commit its deletion with that change.',
  });
}

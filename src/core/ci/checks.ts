import { escapeControlChars } from '../control-chars.js';
import { shellWord } from '../shell-word.js';
import { editedAfterReleaseHint } from '../version-state.js';
import { retireHint, suiteOfFile } from '../gone-suites.js';
import { formatProblem, severityTag, type Problem, type ProblemWording } from '../errors.js';
import { versionRefOfFile, type ChangeInput, type CiPlan } from './plan.js';

/**
 * What the registry's state means for a change: pure. The caller looks up which environments run
 * each version; these turn the answers into problems ci reports with the lint results.
 */

/** Where a version is active now, by `id@version`. */
export type ActiveIn = Map<string, string[]>;

/**
 * The command that brings a file back as the base branch has it: every ci finding's restore. `file`
 * as the command names it from the folder it will run in (`../prompts/…` from evalsets/).
 */
export function restoreFromBase(base: string, file: string): string {
  return `git checkout ${base} -- ${shellWord(file)}`;
}

/**
 * The one sentence for a version the base branch released that was edited since: ci's
 * `version/edited`, and eval's and deploy's from a checkout (app/released-on-base.ts).
 */
export function editedOnBaseText(ref: string, base: string, file: string, restore = restoreFromBase(base, file)): string {
  const [id, version] = ref.split('@') as [string, string | undefined];
  return `${ref} was edited after it was released (it is on ${base}): versions are immutable; ${editedAfterReleaseHint({ id, version: version ?? '<version>', file, restore })}`;
}

/**
 * A version on the base branch is released (a pull request is no place to rewrite it): an edit of
 * its content is refused in the words every command uses for an edited released version. What
 * content is, is the registry's rule (plan.ts `sameContent`), so a comment changed is no edit.
 * `source`: where a base file is restored from (the base's name, or the commit the change left it
 * at when the base deleted or rewrote the file since: app/released-on-base.ts `restoreSources`).
 */
export function editedVersionProblems(plan: CiPlan, base: string, changes: readonly ChangeInput[], source: (file: string) => string = () => base): Problem[] {
  return plan.editedVersions.map((file) => {
    const ref = versionRefOfFile(file) ?? file;
    // Renamed too: the restore puts the base's file back under its own name.
    const from = plan.renamed.find((r) => r.file === file)?.from;
    const restore = from ? `git rm -q ${shellWord(file)} && ${restoreFromBase(source(from), from)}` : restoreFromBase(source(file), file);
    return {
      file,
      // Where it first differs from the base's file, as lint says of a released version; else the whole file.
      ...(changes.find((c) => c.file === file)?.editedAt ?? { line: 1, col: 1, field: '' }),
      // The one hint every command gives (keep the edit, then restore), with the base as where the released content is.
      message: editedOnBaseText(ref, base, file, restore),
      severity: 'error',
      rule: 'version/edited',
    };
  });
}

/**
 * A deleted version that runs somewhere: the running prompt could no longer be rebuilt from git.
 * The pull request deleted the file, so `base` still has it: that checkout brings it back, whether
 * the deletion is committed or only in the working tree (as ci's `version/edited` restores).
 */
export function deletedDeployedProblems(plan: CiPlan, activeIn: ActiveIn, base: string): Problem[] {
  return plan.deleted.flatMap((d) => {
    const envs = d.ref ? (activeIn.get(d.ref) ?? []) : [];
    return d.ref && envs.length ? [deletedDeployedProblem(d.ref, d.file, envs, restoreFromBase(base, d.file))] : [];
  });
}

/**
 * A version active in `envs` whose file is gone: one problem for ci (the files git deleted) and lint
 * (the registry's active versions), with the exact command that brings the file back (`restore`:
 * from the base for ci, core/version-state.ts `restoreDeletedFile` for lint, as status says).
 */
export function deletedDeployedProblem(ref: string, file: string, envs: readonly string[], restore: string): Problem {
  return {
    file,
    // No position: the file is gone.
    line: 0,
    col: 0,
    field: '',
    message: `${ref} is active in ${envs.join(', ')} but its file was deleted: every deployed version must be rebuildable from git; restore the file: ${restore}`,
    severity: 'error',
    rule: 'version/deleted-deployed',
  };
}

/** The versions active somewhere whose tested mark names a suite, by the suite's file: `support-answer@1.1.0` in staging and production. */
export type TestedOn = Map<string, Array<{ ref: string; envs: string[] }>>;

/**
 * A suite the change deletes that the version active in an environment was tested on, unless
 * `retired_suites` lists it: its gates, and the regression against that version, would be checked
 * without it. A suite missing from the project never relaxes a gate; retiring one is deliberate,
 * in the change that deletes it, for the review to see.
 */
export function deletedSuiteProblems(plan: CiPlan, testedOn: TestedOn, base: string): Problem[] {
  return plan.deleted.flatMap((d) => {
    const versions = d.kind === 'suite' && !d.retired ? (testedOn.get(d.file) ?? []) : [];
    if (!versions.length) return [];
    const { promptId, suite } = suiteOfFile(d.file)!;
    const tested = versions.map((v) => `${v.ref} (active in ${v.envs.join(', ')})`).join(' and ');
    return [
      {
        file: d.file,
        // No position: the file is gone.
        line: 0,
        col: 0,
        field: '',
        message:
          `suite '${suite}' of ${promptId} was deleted, but ${tested} ${versions.length === 1 ? 'was' : 'were'} tested on it: a suite missing from the project never relaxes a gate, and the gates and the regression against what runs would be checked without it; ` +
          `restore it (${restoreFromBase(base, d.file)}), or ${retireHint(promptId, suite)} in this change`,
        severity: 'error',
        rule: 'suite/deleted-deployed',
      },
    ];
  });
}

/** Problems grouped by file, at most `cap` listed: for summaries a pull request can show. */
export function capProblems<T>(items: T[], cap: number): { shown: T[]; more: number } {
  return { shown: items.slice(0, cap), more: Math.max(0, items.length - cap) };
}

/**
 * The files ci's lint step checked, one list for the text, the Markdown and JUnit: the changed
 * files still present (the config included), the unchanged suites covering new versions, the
 * deleted version files (checked for being deployed), and any other file a problem names.
 */
export function lintedFiles(plan: CiPlan, problems: Problem[]): string[] {
  const deletedVersions = plan.deleted.filter((d) => d.kind === 'version').map((d) => d.file);
  return [...new Set([...plan.lintFiles, ...plan.coveringSuites, ...deletedVersions, ...problems.map((p) => p.file)])];
}

/** A problem as ci prints it: a deleted file has no line to point at. */
export function formatCiProblem(plan: CiPlan, p: Problem, opts: ProblemWording = {}): string {
  if (!plan.deleted.some((d) => d.file === p.file)) return formatProblem(p, opts);
  const tag = severityTag(p, opts);
  return escapeControlChars(`${p.file} (deleted)${tag}: ${p.message}${p.rule ? ` [${p.rule}]` : ''}`);
}

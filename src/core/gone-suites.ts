import type { ErrorDetails, Problem } from './errors.js';
import type { Locate } from './yaml-source.js';
import { CONFIG_FILE } from './schemas/config.js';
import type { GoneSuite } from './gate-types.js';
import { restoreDeletedFile, type GitDeletion } from './version-state.js';

/**
 * Suites missing from a project. A suite missing from the working tree never relaxes a gate:
 * retiring one is a deliberate, reviewed act, a `<prompt-id>/<suite>` entry under `retired_suites`
 * in .promptrc.yaml. Only a suite listed there may be gone: its runs then no longer count.
 */

/** How `retired_suites` names a suite (as `promptctl power` takes it). */
export function suiteName(promptId: string, suite: string): string {
  return `${promptId}/${suite}`;
}

export function isRetired(retired: readonly string[], promptId: string, suite: string): boolean {
  return retired.includes(suiteName(promptId, suite));
}

const SUITE_FILE = /^evalsets\/([^/]+)\/([^/]+)\.ya?ml$/;

/** The prompt and suite a suite file's path (relative to the project) is for; undefined for any other path. */
export function suiteOfFile(file: string): { promptId: string; suite: string } | undefined {
  const m = SUITE_FILE.exec(file);
  return m ? { promptId: m[1]!, suite: m[2]! } : undefined;
}

/** What retiring a suite takes, in the words every refusal of a missing suite ends with. */
export function retireHint(promptId: string, suite: string): string {
  return `to retire the suite deliberately, list ${suiteName(promptId, suite)} under retired_suites in .promptrc.yaml (a reviewed change)`;
}

/**
 * A suite file git tracks that this checkout deleted without committing (`how`: from the working
 * tree, or its removal staged): eval, deploy and promote stop on it, as on a deleted version file.
 * `here`: `file` from the folder the command ran in, where git reads the restore command's path.
 */
export function uncommittedSuiteDeletion(file: string, how: GitDeletion, here = file): Problem {
  const { promptId, suite } = suiteOfFile(file)!;
  return {
    file,
    // No position: the file is gone.
    line: 0,
    col: 0,
    field: '',
    message: `suite '${suite}' of ${promptId} was deleted in this checkout and the deletion is not committed: restore it (${restoreDeletedFile(here, how)}), or ${retireHint(promptId, suite)}`,
    severity: 'error',
    rule: 'suite/deleted',
  };
}

/**
 * Why eval marks no version while a suite the registry knows is gone and not retired: deploy and
 * promote would refuse it (`suite-missing`), so the mark would promise what the gate refuses.
 */
export function goneSuiteReason(promptId: string, version: string, g: GoneSuite): string {
  const known = [
    ...(g.run ? [`${version} has a run of it on this content`] : []),
    ...(g.testedActive !== undefined ? [`${g.testedActive}${g.testedActiveIn !== undefined ? `, active in ${g.testedActiveIn},` : ''} was tested on it`] : []),
  ];
  return (
    `${g.kind} suite '${g.suite}' is missing: ${g.file} is not in the project, but ${known.join(', and ')}, so deploy and promote refuse ${version}; ` +
    `restore the file (${restoreDeletedFile(g)}), or ${retireHint(promptId, g.suite)}`
  );
}

/** A suite of a prompt whose file is not in the project, as eval's refusal names it: retired (listed under `retired_suites`), or missing and known to the registry. */
export interface SuiteGoneFrom {
  promptId: string;
  suite: string;
  file: string;
  /** `file` from the folder the command ran in, where it differs (infra/real-path.ts `fromCwdField`): what the restore command names. */
  fromCwd?: string;
  retired: boolean;
}

/**
 * Why eval refuses versions no suite in the project applies to whose prompt's suites are all gone
 * (`gone`, sorted): they are named, each missing one with the restore and retire lint and ci give a
 * deleted suite, where "no suite applies" would read as if none had ever been written.
 */
export function everySuiteGone(refs: readonly string[], gone: readonly SuiteGoneFrom[]): ErrorDetails & { problems: Problem[] } {
  const missing = gone.filter((g) => !g.retired);
  const retired = gone.filter((g) => g.retired);
  const names = (gs: readonly SuiteGoneFrom[], one: string, many: string) => `${gs.map((g) => suiteName(g.promptId, g.suite)).join(', ')} ${gs.length === 1 ? one : many}`;
  const what = [...(missing.length ? [names(missing, 'is missing from the project', 'are missing from the project')] : []), ...(retired.length ? [names(retired, 'is retired', 'are retired') + ` (retired_suites in ${CONFIG_FILE})`] : [])];
  const problems = missing.map(
    (g): Problem => ({
      file: g.file,
      // No position: the file is gone.
      line: 0,
      col: 0,
      field: '',
      message: `suite '${g.suite}' of ${g.promptId} is not in the project, but the registry knows it: restore it (${restoreDeletedFile(g)}), or ${retireHint(g.promptId, g.suite)}`,
      severity: 'error',
    }),
  );
  const first = (retired[0] ?? gone[0])!;
  return {
    message: `no suite left to evaluate ${refs.join(', ')}: ${what.join(', and ')}`,
    problems,
    why: missing.length
      ? 'eval runs the suites in the project, and a missing suite that the registry holds a run or a tested mark of never relaxes a gate: deploy and promote refuse the version until each is restored or retired.'
      : 'a retired suite no longer runs or gates, and eval runs the suites in the project whose versions range covers the version.',
    hint: missing.length
      ? `restore each file with the command named above, or retire each suite in ${CONFIG_FILE} (retired_suites) and add a suite that applies (evalsets/${first.promptId}/<suite>.yaml).`
      : `add a suite that applies (evalsets/${first.promptId}/<suite>.yaml), or take a suite out of retired_suites and restore its file (${restoreDeletedFile(first)}).`,
  };
}

/**
 * `retired_suites` entries that do nothing, for lint (warnings at the entry): one whose suite file
 * is still in the project (it is not retired until the file goes), and one naming a prompt this
 * project has neither versions nor suites of (a typo would otherwise retire nothing in silence).
 */
export function idleRetirements(retired: readonly string[], present: ReadonlySet<string>, promptIds: ReadonlySet<string>, locate: Locate): Problem[] {
  return retired.flatMap((entry, i): Problem[] => {
    const promptId = entry.split('/')[0]!;
    const why = present.has(entry)
      ? `retired_suites lists ${entry}, but its file is still in the project, so the suite still runs and gates: delete the file in the same reviewed change, or remove the entry`
      : promptIds.has(promptId)
        ? undefined
        : `retired_suites lists ${entry}, but this project has no prompt ${promptId}: check the spelling (<prompt-id>/<suite>), or remove the entry`;
    if (why === undefined) return [];
    const at = locate(['retired_suites', i]);
    return [{ file: CONFIG_FILE, line: at.line, col: at.col, field: `retired_suites.${i}`, message: why, severity: 'warning', rule: 'suite/retired-idle' }];
  });
}

import { InputError } from '../../core/errors.js';
import { takesEveryWord } from '../../core/list-options.js';
import { didYouMean } from '../../core/suggest.js';
import { optionName, optionWithValue, type OptionNames } from '../../core/option-names.js';
import { versionsCovered } from '../../core/suite-versions.js';
import { parsePromptRef } from '../../core/refs.js';
import type { Project, PromptFile, SuiteFile } from '../project.js';
import { resolveRegisteredVersion, versionsOf, type RegistryLookup } from '../project-query.js';

/** Which versions an eval covers, and which suites apply to each. */

/** Suites whose semver range covers the version. */
export function suitesFor(project: Project, v: PromptFile, only?: string[]): SuiteFile[] {
  return suitesApplying(project.suites, v).filter((s) => !only?.length || only.includes(s.name));
}

/** The one rule for which suites apply to a version: its prompt's suites whose `versions` range covers it. */
export function suitesApplying(suites: readonly SuiteFile[], v: Pick<PromptFile, 'id' | 'version'>): SuiteFile[] {
  return suites.filter((s) => s.promptId === v.id && versionsCovered(s.data, [v.version]).length > 0);
}

/**
 * `<id>@<version>` selects that version; `<id>` the highest version; nothing selects the highest
 * version of every prompt (older versions were judged when they were new, and cached answers make
 * re-judging them cheap when asked for explicitly).
 */
export async function selectVersions(project: Project, refs: string[], lookup: RegistryLookup): Promise<PromptFile[]> {
  if (!refs.length) {
    const ids = [...new Set(project.prompts.map((p) => p.id))].sort();
    if (!ids.length) throw noVersionsError(project);
    return ids.map((id) => versionsOf(project, id)[0]!);
  }
  const seen = new Map<string, PromptFile>();
  for (const text of refs) {
    const v = await resolveRegisteredVersion(project, parsePromptRef(text), lookup);
    seen.set(`${v.id}@${v.version}`, v);
  }
  return [...seen.values()];
}

/** Nothing to evaluate: every version file failed to load (their problems), or there is none yet. */
function noVersionsError(project: Project): InputError {
  const errors = project.problems.filter((p) => p.severity === 'error');
  if (errors.length) {
    return new InputError({
      message: `no prompt version could be loaded: ${errors.length} problem${errors.length === 1 ? '' : 's'} in the project's files`,
      why: 'a version is evaluated only when its file is valid.',
      problems: errors,
      hint: 'fix the fields named above; `promptctl lint` lists every problem at once.',
    });
  }
  return new InputError({ message: 'this project has no prompt versions yet', why: `nothing under ${project.root}/prompts/ to evaluate.`, hint: 'create one: promptctl new <id> (or `promptctl init` in an empty folder for the example project)' });
}

/**
 * The suites of each version. Refused: no version with a suite (nothing to run), and with
 * `eachNamed` (versions the user named) any version without one, which would otherwise be left out
 * of a run that passes; `eval` with no versions named says it instead (eval-targets.ts).
 */
export function requireSuites(project: Project, versions: PromptFile[], suite?: SuiteOption, opts: { eachNamed?: boolean } = {}): Array<{ version: PromptFile; suites: SuiteFile[] }> {
  const only = suite?.only;
  const naming = suite?.optionNames ?? 'keys';
  const option = optionName(naming, 'suite');
  // Only the command line reads the versions after a list flag as its values.
  const flags = naming === 'flags';
  const targets = versions.map((version) => ({ version, suites: suitesFor(project, version, only) }));
  // The suites that apply without --suite, for the messages: a misspelt name is found at once.
  const applyingSuites = (of = versions) => [...new Set(of.flatMap((v) => suitesFor(project, v).map((s) => s.name)))].sort();
  // One name of several that no version has would narrow the run without a word (a typo, or a
  // prompt version taken for a suite name: --suite takes every word after it).
  const named = new Set(targets.flatMap((t) => t.suites.map((s) => s.name)));
  const strays = only?.filter((n) => !named.has(n)) ?? [];
  if (strays.length && named.size) {
    const applying = applyingSuites();
    throw new InputError({
      message: `no suite ${strays.map((n) => `"${n}"`).join(', ')} applies to ${versions.map((v) => `${v.id}@${v.version}`).join(', ')} (${option})`,
      why: `the suites that apply are ${applying.join(', ')}${flags ? `; ${takesEveryWord(option, 'a suite name')}` : ''}.`,
      hint: `${didYouMean(strays[0]!, applying)}${flags ? `put the versions to evaluate before ${option}.` : `name only suites that apply in ${option}.`}`,
    });
  }
  const bare = targets.filter((t) => !t.suites.length);
  const names = bare.map((t) => `${t.version.id}@${t.version.version}`).join(', ');
  const withSuite = only?.length ? ` (with ${optionWithValue(naming, 'suite', only)})` : '';
  if (bare.length && bare.length === targets.length) {
    const applying = applyingSuites();
    const unknown = only?.filter((n) => !applying.includes(n)) ?? [];
    throw new InputError({
      message: `no suite applies to ${names}${withSuite}`,
      why: only?.length && applying.length ? `the suites that apply are ${applying.join(', ')}; ${unknown.map((n) => `"${n}"`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not among them.` : 'a suite applies to a version when its `versions` range covers it.',
      hint: only?.length && applying.length ? `${didYouMean(unknown[0] ?? '', applying)}pass one of them to ${option}, or leave ${option} out to run them all.` : `add evalsets/${bare[0]!.version.id}/<suite>.yaml, or widen a suite's versions range.`,
    });
  }
  if (bare.length && opts.eachNamed) {
    const own = applyingSuites(bare.map((t) => t.version));
    throw new InputError({
      message: `no suite applies to ${names}${withSuite}: not evaluated`,
      why: `${only?.length && own.length ? `its suites are ${own.join(', ')}, and ${option} keeps only those named` : 'a suite applies to a version when its `versions` range covers it'}; a version named to eval is never left out of a run that passes.`,
      hint: `leave ${names} out, or ${only?.length && own.length ? `name its suites to ${option}` : `add evalsets/${bare[0]!.version.id}/<suite>.yaml, or widen a suite's versions range`}.`,
    });
  }
  return targets;
}

/** `suite`, the suites a caller named (`eval --suite`, `compare --suite`), and how its refusals name the option. */
export interface SuiteOption {
  only: string[];
  optionNames: OptionNames;
}
